"""Personal data in Korean and English texts: found, and masked with fixed tokens.

Kinds (``ALL_KINDS``): resident registration numbers (``rrn``), phone numbers, e-mail
addresses, payment card numbers (``card``), bank account numbers (``account``), postal
addresses, passport numbers and driver's licence numbers. Each finding is replaced by a
language-neutral ASCII token (``TOKENS``: ``[PHONE]``, ``[RRN]``...), so training code can
rely on it.

How each is told from look-alikes (dates, prices, order numbers, versions, ISBNs):

- ``rrn``: ``YYMMDD-GNNNNNN`` (hyphen, space or nothing between): a real date, a gender
  digit 1–8, and the check digit, except where it does not apply (numbers issued since
  October 2020 have none: births from then on), or where a keyword (주민등록번호, RRN...)
  stands just before. ``YYMMDD-G******`` (the rest hidden) counts too.
- ``phone``: Korean mobiles (010...) with or without separators, landlines with an area
  code (02, 031...) and separators, ``+82``, US numbers (``(555) 123-4567``), and any
  ``+``-prefixed international number of 8–15 digits.
- ``card``: 13–19 digits, bare or in the usual groups, with a card network's leading digits
  and a valid Luhn check digit.
- ``account``: 10–14 digits in hyphenated groups. Taken when a word about accounts or a
  bank's name stands near (계좌, 예금주, 입금, account, 신한, KB...), bare digits too; without
  such a word only in a bank's own grouping (``110-123-456789``, ``1002-123-456789``...)
  and never after words about orders or parcels (주문, 송장, order, tracking...).
- ``address``: Korean road-name addresses (``서울특별시 강남구 테헤란로 152``) and lot
  addresses (``역삼동 123-4번지``) with at least a province, city or district before them,
  with the building and unit after them (``101동 1203호``); English street addresses
  (``123 Main Street, Apt 4``).
- ``passport`` (with a keyword: 여권, passport) and ``driver`` (``11-12-123456-12``).

Full-width digits and letters, and the various dashes, are matched as their ASCII forms;
positions always refer to the text as given. Every pattern has bounded repetitions and
fixed-width look-arounds, so the work grows linearly with the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from datadam.errors import InvalidInput

ALL_KINDS: tuple[str, ...] = (
    "rrn", "phone", "email", "card", "account", "address", "passport", "driver",
)
TOKENS: dict[str, str] = {
    "rrn": "[RRN]", "phone": "[PHONE]", "email": "[EMAIL]", "card": "[CARD]",
    "account": "[ACCOUNT]", "address": "[ADDRESS]", "passport": "[PASSPORT]",
    "driver": "[DRIVER_LICENSE]",
}
# Where two findings cover the same characters, the longer wins; between equals, the one
# earlier here (the more specific check).
_PRIORITY = {kind: i for i, kind in enumerate(
    ("rrn", "card", "email", "driver", "passport", "phone", "account", "address"))}


@dataclass(frozen=True)
class Found:
    """One piece of personal data: its kind and where it is (``text[start:end]``)."""

    kind: str
    start: int
    end: int
    text: str


def _translation() -> dict[int, str]:
    table = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}  # full-width ASCII
    for dash in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63":
        table[ord(dash)] = "-"
    for space in "\u00a0\u2002\u2003\u2009\u202f\u3000":
        table[ord(space)] = " "
    return table


_TABLE = _translation()


def normalise(text: str) -> str:
    """The text with full-width forms and dashes as ASCII, one character for one."""
    return text.translate(_TABLE)


def _near(text: str, start: int, end: int, words: re.Pattern[str], before: int = 30,
          after: int = 12) -> bool:
    """Whether ``words`` occur just before (or just after) ``text[start:end]``."""
    return bool(words.search(text, max(0, start - before), start)
                or words.search(text, end, min(len(text), end + after)))


# --- resident registration numbers ---------------------------------------------------------

_RRN = re.compile(
    r"(?<![0-9])(?<![0-9][-.])(\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])"
    r"( ?- ?| )?([1-8])(\d{6}|[*xX●]{6})(?![0-9]|-[0-9])"
)
_RRN_WORDS = re.compile(r"주민|등록번호|외국인등록|resident|registration|rrn|ssn", re.I)
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _rrn_ok(text: str, m: re.Match[str]) -> bool:
    yy, mm, dd, _sep, gender, rest = m.groups()
    century = {"1": 1900, "2": 1900, "5": 1900, "6": 1900}.get(gender, 2000)
    year, month, day = century + int(yy), int(mm), int(dd)
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    if day > _DAYS[month - 1] or (month == 2 and day == 29 and not leap):
        return False
    if not rest.isdigit():  # the last six hidden: a date and a gender digit say enough
        return True
    digits = [int(c) for c in yy + mm + dd + gender + rest]
    total = sum(d * w for d, w in zip(digits, (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5), strict=False))
    check = (11 - total % 11) % 10
    if gender in "5678":  # foreign residents' numbers used 13 instead of 11
        check = (13 - total % 11) % 10
    no_checksum = (year, month) >= (2020, 10)
    return (check == digits[12] or no_checksum
            or _near(text, m.start(), m.end(), _RRN_WORDS, after=0))


def _find_rrn(text: str) -> Iterator[tuple[int, int]]:
    for m in _RRN.finditer(text):
        if _rrn_ok(text, m):
            yield m.start(), m.end()


# --- phone numbers -------------------------------------------------------------------------

_SEP = r"(?: ?[-.] ?| )"
_PHONE = re.compile(
    r"(?<![0-9+])(?<![0-9][-.])(?:"
    # +82 (0)10-1234-5678, +82 2 123 4567
    r"\+82" + _SEP + r"?(?:\(0\)" + _SEP + r"?)?(?:1[016789]|2|[3-6][1-5]|70)"
    + _SEP + r"?\d{3,4}" + _SEP + r"?\d{4}"
    # 82-10-1234-5678 (the + left out)
    r"|82" + _SEP + r"1[016789]" + _SEP + r"\d{3,4}" + _SEP + r"\d{4}"
    # 010-1234-5678, 010 1234 5678, 01012345678, (010) 1234-5678
    r"|(?:01[016789]" + _SEP + r"?|\(01[016789]\) ?)\d{3,4}" + _SEP + r"?\d{4}"
    # 02-123-4567, (031) 123-4567, 070-1234-5678
    r"|(?:0(?:2|3[1-3]|4[1-4]|5[1-5]|6[1-4]|70|80)" + _SEP + r"|\(0(?:2|[3-6][1-5]|70)\) ?)"
    r"\d{3,4}" + _SEP + r"\d{4}"
    # +1 (555) 123-4567, +44 20 7946 0958: any + number, 8 to 15 digits (counted below)
    r"|\+[1-9]\d{0,2}" + _SEP + r"?(?:\(\d{1,4}\)" + _SEP + r"?)?\d{1,4}(?:" + _SEP
    + r"\d{2,4}){1,4}"
    # (555) 123-4567, 555-123-4567, 555.123.4567
    r"|(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[-.])[2-9]\d{2}[-.]\d{4}"
    r")(?![0-9]|[-.][0-9])"
)


def _find_phone(text: str) -> Iterator[tuple[int, int]]:
    for m in _PHONE.finditer(text):
        digits = sum(c.isdigit() for c in m.group())
        if 8 <= digits <= 15:
            yield m.start(), m.end()


# --- e-mail --------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@"
    r"(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-]|\.[A-Za-z0-9])"
)


def _find_email(text: str) -> Iterator[tuple[int, int]]:
    for m in _EMAIL.finditer(text):
        yield m.start(), m.end()


# --- payment cards -------------------------------------------------------------------------

_CARD = re.compile(r"(?<![0-9])(?<![0-9][- ])\d(?:[- ]?\d){12,18}(?![0-9]|[- ][0-9])")


def luhn_valid(digits: str) -> bool:
    """Whether the last digit is the Luhn check digit of the others."""
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _card_network(digits: str) -> bool:
    """Whether the leading digits and the length are a card network's."""
    n, two, four = len(digits), int(digits[:2]), int(digits[:4])
    if digits[0] == "4":
        return n in (13, 16, 19)  # Visa
    if 51 <= two <= 55 or 2221 <= four <= 2720:
        return n == 16  # Mastercard
    if two in (34, 37):
        return n == 15  # American Express
    if two in (36, 38) or 300 <= int(digits[:3]) <= 305:
        return n in (14, 16)  # Diners
    if 3528 <= four <= 3589:
        return n == 16  # JCB
    if four == 6011 or two in (62, 65) or 644 <= int(digits[:3]) <= 649:
        return 16 <= n <= 19  # Discover, UnionPay
    if digits[0] == "9":
        return n == 16  # Korean domestic cards (BC...)
    return False


def _card_groups(raw: str) -> bool:
    groups = [len(g) for g in re.split(r"[- ]", raw)]
    if len(groups) == 1:
        return True
    if len({c for c in raw if not c.isdigit()}) > 1:  # one kind of separator
        return False
    if groups in ([4, 6, 4], [4, 6, 5]):
        return True
    return all(g == 4 for g in groups[:-1]) and 1 <= groups[-1] <= 4


def _find_card(text: str) -> Iterator[tuple[int, int]]:
    for m in _CARD.finditer(text):
        raw = m.group()
        digits = re.sub(r"\D", "", raw)
        if _card_groups(raw) and _card_network(digits) and luhn_valid(digits):
            yield m.start(), m.end()


# --- bank accounts -------------------------------------------------------------------------

_ACCOUNT = re.compile(r"(?<![0-9])(?<![0-9][-.])\d{2,7}(?:-\d{2,7}){1,3}(?![0-9]|[-.][0-9])")
_ACCOUNT_BARE = re.compile(
    r"(?<![0-9])(?<![0-9][-. ])(?:\d{10,14}|\d{3,6}(?: \d{2,7}){1,3})(?![0-9]|[-. ][0-9])"
)
# Bank names that are also everyday words (우리 "we", 하나 "one", 국민 "people") count only
# with 은행 ("bank"), which is a keyword of its own.
_ACCOUNT_WORDS = re.compile(
    r"계좌|예금주|입금|송금|이체|통장|은행|뱅크|신한|농협|우체국|새마을금고|신협|수협|카뱅|씨티"
    r"|account|acct|bank|deposit|wire|iban|routing|kb국민|(?<![a-z])(?:kb|nh|ibk)(?![a-z])",
    re.I,
)
_NOT_ACCOUNT_WORDS = re.compile(
    r"주문|송장|운송장|택배|배송|접수|예약|사업자|isbn|order|tracking|invoice|ticket|ref"
    r"|serial|model|전화|휴대폰|연락처|tel|phone|fax|팩스", re.I)
# Groupings banks print account numbers in (digits per group), e.g. 신한 3-3-6, 우리 4-3-6,
# 국민 6-2-6, 하나 3-6-5, 농협 3-4-4-2, 기업 3-6-2-3, 카카오뱅크 4-2-7, 토스뱅크 4-4-4.
BANK_GROUPINGS = {
    (3, 3, 6), (3, 2, 6), (4, 3, 6), (6, 2, 6), (3, 2, 4, 3), (3, 6, 5), (3, 4, 4, 2),
    (3, 6, 2, 3), (4, 2, 7), (4, 4, 4), (3, 3, 5), (3, 2, 5), (6, 2, 5), (3, 4, 4, 3),
}


def _find_account(text: str) -> Iterator[tuple[int, int]]:
    for m in _ACCOUNT.finditer(text):
        groups = tuple(len(g) for g in m.group().split("-"))
        if not 10 <= sum(groups) <= 14 or groups[0] < 3:
            continue
        if _near(text, m.start(), m.end(), _NOT_ACCOUNT_WORDS, before=20, after=0):
            continue
        if _near(text, m.start(), m.end(), _ACCOUNT_WORDS) or (
            groups in BANK_GROUPINGS and m.group()[0] != "0"
        ):
            yield m.start(), m.end()
    for m in _ACCOUNT_BARE.finditer(text):
        if not 10 <= sum(c.isdigit() for c in m.group()) <= 14:
            continue
        if _near(text, m.start(), m.end(), _ACCOUNT_WORDS, before=20, after=8) and not _near(
            text, m.start(), m.end(), _NOT_ACCOUNT_WORDS, before=20, after=0
        ):
            yield m.start(), m.end()


# --- addresses -----------------------------------------------------------------------------

_H = "[가-힣]"
_PROVINCE = (
    r"(?:서울|부산|대구|인천|광주|대전|울산|세종|경기|강원|충북|충남|전북|전남|경북|경남|제주"
    r"|충청북|충청남|전라북|전라남|경상북|경상남)"
    r"(?:특별자치시|특별자치도|특별시|광역시|도|시)?"
)
# A city, county or district: two syllables or more before 시, 군 or 구 (연구 "research" is
# not one), or one of the one-syllable districts.
_CITY = r"(?:" + _H + r"{2,8}(?:시|군|구)|[중동서남북]구)"
# A number followed by a counter (3번 출구, 5분, 2명) is not a building number.
_NOT_BUILDING = (
    r"(?![0-9])(?! ?(?:번(?!지)|명|개|시|분|초|년|월|일|회|원|배|차|등|위|살|세|권|장|대|곳"
    r"|km|m\b|%))"
)
_KOREAN_ADDRESS = re.compile(
    r"(?<![가-힣])(?:" + _PROVINCE + r" (?:" + _CITY + r" ){0,2}|(?:" + _CITY + r" ){1,2})"
    r"(?:" + _H + r"{1,6}(?:읍|면) )?"
    r"(?:"
    # lot: 역삼동 123-4번지, 을지로3가 12
    r"[가-힣0-9]{1,10}(?:동|가|리) (?:산 ?)?\d{1,5}(?:-\d{1,5})?(?: ?번지)?" + _NOT_BUILDING +
    r"|"
    # road name: 테헤란로 152, 수내로46번길 4, 세종대로 175-1
    r"[가-힣0-9]{1,15}(?:(?<!으)로|길) ?\d{1,5}(?:-\d{1,5})?" + _NOT_BUILDING +
    r")"
    # building, unit, floor: , 101동 1203호 / 3층
    r"(?:,? ?\d{1,4}동)?(?:,? ?\d{1,5}호)?(?:,? ?\d{1,3}층)?"
    r"(?![0-9])"
)
_STREET_TYPES = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl"
    r"|Terrace|Ter|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Square|Sq)"
)
_ENGLISH_ADDRESS = re.compile(
    r"(?<![A-Za-z0-9])\d{1,6}[A-Z]? (?:(?:N|S|E|W|North|South|East|West)\.? )?"
    r"(?:(?:[A-Z][A-Za-z'-]{0,20}|\d{1,3}(?:st|nd|rd|th)) ){1,4}" + _STREET_TYPES
    + r"\.?(?: (?:NW|NE|SW|SE|N|S|E|W)\b)?"
    r"(?:,? (?:Apt|Apartment|Suite|Ste|Unit|Fl|Floor|Room|Rm)\.? ?#? ?[A-Za-z0-9-]{1,6}"
    r"|,? #[A-Za-z0-9-]{1,6})?"
    # , Springfield, IL 62704
    r"(?:, [A-Z][a-z]{1,20}(?: [A-Z][a-z]{1,20}){0,2}, [A-Z]{2} \d{5}(?:-\d{4})?)?"
    r"(?![A-Za-z0-9])"
)
# Korean addresses written in Latin letters: 152 Teheran-ro, Gangnam-gu, Seoul
_ROMAN_ROAD = r"[A-Z][a-z]{1,20}(?:-[a-z0-9]{1,10}){0,2}-(?:ro|gil|daero)"
_ROMAN_ADDRESS = re.compile(
    r"(?<![A-Za-z0-9-])(?:\d{1,5}(?:-\d{1,5})? " + _ROMAN_ROAD + r"|" + _ROMAN_ROAD
    + r" \d{1,5}(?:-\d{1,5})?)"
    r"(?:, [A-Z][a-z]{1,20}-(?:gu|si|gun|dong|eup|myeon)){0,3}"
    r"(?:, (?:Seoul|Busan|Daegu|Incheon|Gwangju|Daejeon|Ulsan|Sejong|Gyeonggi-do|Jeju))?"
    r"(?![A-Za-z0-9])"
)
# A road and number alone (봉은사로 359) only where the words around say it is an address.
_KOREAN_ROAD_ONLY = re.compile(
    r"(?<![가-힣0-9])[가-힣0-9]{2,15}(?:(?<!으)로|길) ?\d{1,5}(?:-\d{1,5})?" + _NOT_BUILDING
)
_ADDRESS_WORDS_BEFORE = re.compile(
    r"주소|배송지|거주|자택|사는 곳|위치"
    r"|address|live at|lives at|ship to|deliver to|office|located",
    re.I,
)
_ADDRESS_WORDS_AFTER = re.compile(r"^(?:에|으?로) ?(?:살|거주|있|배송|보내)")


# A lot number with 번지 says it is an address even without the district before it.
_KOREAN_LOT = re.compile(
    r"(?<![가-힣])[가-힣0-9]{1,10}(?:동|가|리) (?:산 ?)?\d{1,5}(?:-\d{1,5})? ?번지"
    r"(?:,? ?\d{1,4}동)?(?:,? ?\d{1,5}호)?(?![0-9])"
)


def _find_address(text: str) -> Iterator[tuple[int, int]]:
    for pattern in (_KOREAN_ADDRESS, _KOREAN_LOT, _ENGLISH_ADDRESS, _ROMAN_ADDRESS):
        for m in pattern.finditer(text):
            yield m.start(), m.end()
    for m in _KOREAN_ROAD_ONLY.finditer(text):
        if _ADDRESS_WORDS_BEFORE.search(text, max(0, m.start() - 15), m.start()) or (
            _ADDRESS_WORDS_AFTER.search(text[m.end():m.end() + 8])
        ):
            yield m.start(), m.end()


# --- passports and driver's licences -------------------------------------------------------

_PASSPORT = re.compile(r"(?<![A-Za-z0-9])[A-Z](?:\d{8}|\d{3}[A-Z]\d{4})(?![A-Za-z0-9])")
_PASSPORT_WORDS = re.compile(r"여권|passport", re.I)
# 11-12-123456-12: a region (11–28, or its name), the year, a serial, a check number.
_DRIVER = re.compile(
    r"(?<![0-9-])(?:1[1-9]|2[0-8]|(?:서울|부산|경기|강원|충북|충남|전북|전남|경북|경남|제주|대구|인천"
    r"|광주|대전|울산) ?)-?\d{2}-\d{6}-\d{2}(?![0-9]|-[0-9])"
)


def _find_passport(text: str) -> Iterator[tuple[int, int]]:
    for m in _PASSPORT.finditer(text):
        if _near(text, m.start(), m.end(), _PASSPORT_WORDS, before=25, after=0):
            yield m.start(), m.end()


def _find_driver(text: str) -> Iterator[tuple[int, int]]:
    for m in _DRIVER.finditer(text):
        yield m.start(), m.end()


_FINDERS: dict[str, Callable[[str], Iterator[tuple[int, int]]]] = {
    "rrn": _find_rrn, "phone": _find_phone, "email": _find_email, "card": _find_card,
    "account": _find_account, "address": _find_address, "passport": _find_passport,
    "driver": _find_driver,
}


def _kinds(kinds: Collection[str] | None) -> tuple[str, ...]:
    if kinds is None:
        return ALL_KINDS
    unknown = sorted(set(kinds) - set(ALL_KINDS))
    if unknown:
        raise InvalidInput(
            _("unknown kinds of personal data: %(unknown)s (known: %(known)s)")
            % {"unknown": ", ".join(unknown), "known": ", ".join(ALL_KINDS)}
        )
    return tuple(k for k in ALL_KINDS if k in kinds)


def find_personal_data(text: str, kinds: Collection[str] | None = None) -> list[Found]:
    """The personal data in ``text`` (of the given kinds, default all), in text order.

    Findings never overlap: where two do, the longer one is kept, and between two of the
    same length the more specific kind (``rrn`` before ``card`` before ``phone``...).
    """
    wanted = _kinds(kinds)
    norm = normalise(text)
    candidates = [
        (start, end, kind) for kind in wanted for start, end in _FINDERS[kind](norm)
    ]
    candidates.sort(key=lambda c: (c[0] - c[1], _PRIORITY[c[2]], c[0]))
    taken: list[tuple[int, int, str]] = []
    covered = bytearray(len(text) + 1)
    for start, end, kind in candidates:
        if not any(covered[start:end]):
            covered[start:end] = b"\x01" * (end - start)
            taken.append((start, end, kind))
    taken.sort()
    return [Found(kind, start, end, text[start:end]) for start, end, kind in taken]


def mask_text(text: str, kinds: Collection[str] | None = None) -> tuple[str, dict[str, int]]:
    """``text`` with each piece of personal data replaced by its token (``TOKENS``), and
    how many of each kind were replaced (every kind asked for, zeros included)."""
    found = find_personal_data(text, kinds)
    counts = dict.fromkeys(_kinds(kinds), 0)
    parts: list[str] = []
    at = 0
    for f in found:
        parts += [text[at:f.start], TOKENS[f.kind]]
        counts[f.kind] += 1
        at = f.end
    parts.append(text[at:])
    return "".join(parts), counts
