"""Full-text search over the dataset hub, on SQLite (FTS5) and PostgreSQL (tsvector).

The indexed text (``Dataset.search_text``, built by ``search_document``) is normalized in
Python the same way on both backends: NFKC (so decomposed Hangul from macOS composes),
lower case, punctuation dropped, words separated by one space. It has two lines: the titles
(both languages) on the first, descriptions, tags and the kind's name on the second, so
that both backends can weigh a title match above a description match. Each line ends with
the Hangul syllable bigrams of its Korean words ("음성인식" adds "음성 성인 인식"), which lets
PostgreSQL find a Korean stem inside a word; the bigrams are substrings of the words they
come from, so they never make a substring search match something the text does not hold.

A query is cut into words the same way (at most ``MAX_TERMS``); all of them must match.
Quotes, ``*``, ``:``, ``NEAR`` and the like are never passed on as syntax: punctuation is
dropped and every word is quoted, so no input makes the query fail.

SQLite: the FTS5 table ``hub_dataset_fts(title, text)`` with the ``trigram`` tokenizer
(SQLite 3.35+) holds a copy of the two lines under the dataset's id; ``search_index``
rewrites it and ``search_remove`` deletes it. A word of 3+ characters matches anywhere in
a word ("데이터" finds "데이터셋을"; "peech" finds "speech"), through the index, ranked by
``bm25`` with titles weighing ``TITLE_WEIGHT`` times more. Trigrams cannot look up a word
of 1-2 characters, so such words ("음성", "ai") are matched with LIKE over ``search_text``
(a scan; when the query also has longer words, only over the rows they matched). The
scores of the matches are computed once per query (a materialized CTE looked up by id).

PostgreSQL: a GIN index over ``to_tsvector('simple', search_text)`` (migration 0002). A
word matches the start of an indexed word ("recog" finds "recognition"). A word with
Korean in it matches anywhere inside a word: its syllable bigrams must follow each other
in the index ("데이터" looks up "데이 <-> 이터"), and a LIKE over the rows found then checks
the exact substring. A lone Hangul syllable has no bigram and is matched with LIKE
(a scan). Ranked by ``ts_rank`` with the title line weighted 'A', the rest 'D'; the
vectors are computed for the matching rows only (about 1 s for 18,000 matches of short
texts: a stored tsvector column would make a word found in nearly every dataset cheaper).

So the two backends agree on Korean and on word starts; only SQLite also finds a fragment
from the middle of a word that has no Hangul in it ("peech", "ai" inside "detail"). Other
database backends get a LIKE per word, unranked. pg_trgm was not used: it needs an extension that a
managed database may refuse, it extracts no trigrams from Korean under a C locale, and it
has no ``ts_rank``.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import F, FloatField, Func, Lookup, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.utils import translation

from datadam.kinds import kind_title

from .models import Dataset

FTS_TABLE = "hub_dataset_fts"
#: How many times a title match outweighs a description match (SQLite bm25).
TITLE_WEIGHT = 10.0
#: Words of a query beyond these are ignored (each adds a clause to the SQL).
MAX_TERMS = 12
#: Characters of a query beyond these are ignored.
MAX_QUERY = 256
#: The shortest word the trigram index can look up.
TRIGRAM = 3

_WORD = re.compile(r"[^\W_]+")
_HANGUL_RUN = re.compile("[\uac00-\ud7a3]{2,}")
_HANGUL = re.compile("[\uac00-\ud7a3]")


def _words(text: str) -> list[str]:
    """The words of ``text``, normalized as the index stores them."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).lower())


def _bigrams(run: str) -> list[str]:
    """Overlapping two-syllable pieces of a Hangul run: "음성인식" → 음성, 성인, 인식."""
    return [run[i:i + 2] for i in range(len(run) - 1)]


def _line(texts: Iterable[str]) -> str:
    """One line of the document: the words of ``texts``, then their Hangul bigrams."""
    words = _words(" ".join(texts))
    bigrams = [b for word in words for run in _HANGUL_RUN.findall(word) for b in _bigrams(run)]
    return " ".join(words + bigrams)


def _kind_names(slug: str) -> list[str]:
    """The kind's slug as words and its title in every language of the site."""
    names = [slug.replace("_", " ")]
    for language in ("en", "ko"):
        with translation.override(language):
            names.append(kind_title(slug))
    return names


def search_document(dataset: Dataset) -> str:
    """The text indexed for ``dataset``: titles on the first line, descriptions, tags and
    the kind's name on the second (see the module docstring for the normalization)."""
    tags = [str(tag) for tag in dataset.tags] if isinstance(dataset.tags, list) else []
    titles = _line([dataset.title, dataset.title_ko])
    rest = _line([dataset.description, dataset.description_ko, *tags,
                  *_kind_names(dataset.kind)])
    return f"{titles}\n{rest}"


def _fts_write(cursor: Any, dataset_id: int, text: str) -> None:
    title, _, rest = text.partition("\n")
    cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [dataset_id])
    cursor.execute(f"INSERT INTO {FTS_TABLE}(rowid, title, text) VALUES (%s, %s, %s)",
                   [dataset_id, title, rest])


def search_index(dataset: Dataset) -> None:
    """(Re)index one dataset after its titles, descriptions, tags or kind changed. Writes
    ``search_text`` with an UPDATE (no save signals, ``updated_at`` untouched)."""
    text = search_document(dataset)
    with transaction.atomic():
        Dataset.objects.filter(pk=dataset.pk).update(search_text=text)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                _fts_write(cursor, dataset.pk, text)
    dataset.search_text = text


def search_remove(dataset_id: int) -> None:
    """Forget a deleted dataset. Only SQLite keeps a separate row (PostgreSQL's index
    follows the table by itself)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [dataset_id])


def search_rebuild() -> int:
    """Reindex every dataset (after ``search_document`` changed, or a restore that left the
    SQLite table out); returns how many."""
    count = 0
    with transaction.atomic():
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {FTS_TABLE}")
        for dataset in Dataset.objects.order_by("pk").iterator(chunk_size=500):
            search_index(dataset)
            count += 1
    return count


class _Sql(Func):
    """An SQL snippet whose ``{0}``, ``{1}``… are compiled expressions (parameters kept in
    the order the placeholders appear)."""

    def __init__(self, sql: str, *expressions: Any, output_field: Any) -> None:
        super().__init__(*expressions, output_field=output_field)
        self.sql = sql

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        compiled = [compiler.compile(e) for e in self.get_source_expressions()]
        params: list[Any] = []
        for _, field, _, _ in string.Formatter().parse(self.sql):
            if field is not None:
                params.extend(compiled[int(field)][1])
        return self.sql.format(*(sql for sql, _ in compiled)), params


class _TsMatch(Lookup):
    """``to_tsvector('simple', lhs) @@ to_tsquery('simple', rhs)``: the expression of the GIN
    index, as a condition of its own (a boolean expression would get "= true" appended)."""

    lookup_name = "hub_tsmatch"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return (f"to_tsvector('simple', {lhs}) @@ to_tsquery('simple', {rhs})",
                [*lhs_params, *rhs_params])


def _query_terms(query: str) -> list[str]:
    """The distinct words of a query, at most ``MAX_TERMS``."""
    return list(dict.fromkeys(_words((query or "")[:MAX_QUERY])))[:MAX_TERMS]


def _ordered(queryset: QuerySet, rank: _Sql) -> QuerySet:
    return queryset.annotate(rank=rank).order_by("-rank", "-downloads", "-pk")


def _filter_sqlite(queryset: QuerySet, terms: list[str]) -> tuple[QuerySet, bool]:
    indexed = [t for t in terms if len(t) >= TRIGRAM]
    for term in terms:
        if len(term) < TRIGRAM:
            queryset = queryset.filter(search_text__contains=term)
    if not indexed:
        return queryset, False
    match = " AND ".join('"' + t.replace('"', '""') + '"' for t in indexed)
    found = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])
    # The matches' scores are computed once (a MATCH restricted to one rowid would read the
    # words' whole posting lists again for every row) and looked up by id.
    rank = _Sql(f"(WITH m AS MATERIALIZED (SELECT rowid AS id, -bm25({FTS_TABLE}, "
                f"{TITLE_WEIGHT}, 1.0) AS r FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH {{0}}) "
                f"SELECT r FROM m WHERE m.id = {{1}})",
                Value(match), F("pk"), output_field=FloatField())
    return _ordered(queryset.filter(pk__in=found), rank), True


def _phrase(run: str) -> str:
    """A tsquery for a Hangul run: its bigrams one after the other."""
    return "(" + " <-> ".join(f"'{b}'" for b in _bigrams(run)) + ")"


def _filter_postgresql(queryset: QuerySet, terms: list[str]) -> tuple[QuerySet, bool]:
    parts: list[str] = []
    for term in terms:
        runs = _HANGUL_RUN.findall(term)
        if runs:
            parts.extend(_phrase(run) for run in runs)
        if runs or _HANGUL.search(term):
            # The bigrams only narrow the rows down; the substring decides.
            queryset = queryset.filter(search_text__contains=term)
        else:
            parts.append(f"'{term}':*")
    if not parts:
        return queryset, False
    tsquery = " & ".join(parts)
    found = _TsMatch(F("search_text"), tsquery)
    rank = _Sql("ts_rank(setweight(to_tsvector('simple', split_part({0}, chr(10), 1)), 'A') "
                "|| setweight(to_tsvector('simple', split_part({0}, chr(10), 2)), 'D'), "
                "to_tsquery('simple', {1}))",
                F("search_text"), Value(tsquery), output_field=FloatField())
    return _ordered(queryset.filter(found), rank), True


def search_filter(queryset: QuerySet, query: str) -> tuple[QuerySet, bool]:
    """Datasets of ``queryset`` that match every word of ``query``, and whether they come
    ordered by relevance (annotated ``rank``, higher first). A query without words returns
    the queryset unchanged; no input raises."""
    terms = _query_terms(query)
    if not terms:
        return queryset, False
    if connection.vendor == "sqlite":
        return _filter_sqlite(queryset, terms)
    if connection.vendor == "postgresql":
        return _filter_postgresql(queryset, terms)
    for term in terms:
        queryset = queryset.filter(search_text__contains=term)
    return queryset, False
