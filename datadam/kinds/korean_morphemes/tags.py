"""The part-of-speech tags of the Korean morpheme kind (plain Python, no Django).

The Sejong tag set (the 21st Century Sejong Project's, as most Korean corpora use it) with
the few tags Kiwi adds (marked *): opening and closing brackets, list bullets, the adverb
suffix, web tokens and extra codas. Kiwi's irregular-conjugation suffixes (``VV-I``,
``VA-R``...) are folded into the plain tag: they say how a stem conjugates, not what it is.
The widget lists the same tags (``_tags.html``, checked against this list by a unit test).
"""

from __future__ import annotations

#: (tag, Korean name, English name), in the order the widget lists them.
TAGS: tuple[tuple[str, str, str], ...] = (
    ("NNG", "일반 명사", "common noun"),
    ("NNP", "고유 명사", "proper noun"),
    ("NNB", "의존 명사", "bound noun"),
    ("NR", "수사", "numeral"),
    ("NP", "대명사", "pronoun"),
    ("VV", "동사", "verb"),
    ("VA", "형용사", "adjective"),
    ("VX", "보조 용언", "auxiliary predicate"),
    ("VCP", "긍정 지정사", "positive copula (이다)"),
    ("VCN", "부정 지정사", "negative copula (아니다)"),
    ("MM", "관형사", "determiner"),
    ("MAG", "일반 부사", "general adverb"),
    ("MAJ", "접속 부사", "conjunctive adverb"),
    ("IC", "감탄사", "interjection"),
    ("JKS", "주격 조사", "subject particle"),
    ("JKC", "보격 조사", "complement particle"),
    ("JKG", "관형격 조사", "adnominal particle"),
    ("JKO", "목적격 조사", "object particle"),
    ("JKB", "부사격 조사", "adverbial particle"),
    ("JKV", "호격 조사", "vocative particle"),
    ("JKQ", "인용격 조사", "quotative particle"),
    ("JX", "보조사", "auxiliary particle"),
    ("JC", "접속 조사", "conjunctive particle"),
    ("EP", "선어말 어미", "pre-final ending"),
    ("EF", "종결 어미", "final ending"),
    ("EC", "연결 어미", "connective ending"),
    ("ETN", "명사형 전성 어미", "nominalising ending"),
    ("ETM", "관형형 전성 어미", "adnominalising ending"),
    ("XPN", "체언 접두사", "noun prefix"),
    ("XSN", "명사 파생 접미사", "noun-deriving suffix"),
    ("XSV", "동사 파생 접미사", "verb-deriving suffix"),
    ("XSA", "형용사 파생 접미사", "adjective-deriving suffix"),
    ("XSM", "부사 파생 접미사", "adverb-deriving suffix (*)"),
    ("XR", "어근", "root"),
    ("SF", "마침표, 물음표, 느낌표", "sentence-final mark (. ? !)"),
    ("SP", "쉼표, 가운뎃점, 콜론, 빗금", "separator (, · : /)"),
    ("SS", "따옴표, 괄호표, 줄표", "quote or bracket"),
    ("SSO", "여는 괄호", "opening bracket or quote (*)"),
    ("SSC", "닫는 괄호", "closing bracket or quote (*)"),
    ("SE", "줄임표", "ellipsis (…)"),
    ("SO", "붙임표", "hyphen or tilde (- ~)"),
    ("SW", "기타 기호", "other symbol"),
    ("SL", "외국어", "foreign letters"),
    ("SH", "한자", "Chinese characters"),
    ("SN", "숫자", "number"),
    ("SB", "순서 있는 글머리", "list bullet (가. 1.) (*)"),
    ("UN", "분석 불능", "cannot analyse (*)"),
    ("W_URL", "URL 주소", "web address (*)"),
    ("W_EMAIL", "이메일 주소", "e-mail address (*)"),
    ("W_HASHTAG", "해시태그", "hashtag (*)"),
    ("W_MENTION", "멘션", "mention (*)"),
    ("W_SERIAL", "일련번호", "serial number (*)"),
    ("W_EMOJI", "이모지", "emoji (*)"),
    ("Z_CODA", "덧붙은 받침", "added coda (*)"),
    ("Z_SIOT", "사이시옷", "linking ㅅ (*)"),
)
TAG_SET: frozenset[str] = frozenset(tag for tag, _ko, _en in TAGS)
#: The tag a raw analyser tag outside the set becomes.
UNKNOWN = "UN"


def base_tag(tag: str) -> str:
    """A tag of the set from an analyser's tag: ``VV-I`` → ``VV``; unknown ones → ``UN``."""
    if tag in TAG_SET:
        return tag
    stem = tag.rsplit("-", 1)[0] if tag.endswith(("-R", "-I")) else tag
    return stem if stem in TAG_SET else UNKNOWN


def script_tag(char: str) -> str:
    """A guess of a character's tag from its script, for text no analyser segmented."""
    code = ord(char)
    if 0xAC00 <= code <= 0xD7A3:
        return "NNG"
    if char.isdigit():
        return "SN"
    if char.isascii() and char.isalpha():
        return "SL"
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF:
        return "SH"
    if char in ".?!":
        return "SF"
    if char in ",·:;/":
        return "SP"
    if char in "([{<«“‘「『〈《":
        return "SSO"
    if char in ")]}>»”’」』〉》":
        return "SSC"
    if char in "\"'":
        return "SS"
    if char in "…":
        return "SE"
    if char in "-~–—":
        return "SO"
    if char.isalpha():
        return "SL"
    return "SW"
