"""Full-text search over the dataset hub (datadam.hub.search), on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from datadam.hub.models import Dataset, Visibility
from datadam.hub.search import (
    FTS_TABLE,
    MAX_TERMS,
    search_document,
    search_filter,
    search_index,
    search_rebuild,
    search_remove,
)

_seq = itertools.count(1)


@pytest.fixture
def make_dataset(client_org) -> Callable[..., Dataset]:
    """A dataset of the client organization, indexed."""
    _, org = client_org

    def make(title: str, **fields: Any) -> Dataset:
        fields.setdefault("kind", "text_classification")
        dataset = Dataset.objects.create(organization=org, slug=f"ds-{next(_seq)}",
                                         title=title, **fields)
        search_index(dataset)
        return dataset

    return make


@pytest.fixture
def corpus(make_dataset) -> dict[str, Dataset]:
    """A few datasets in English and Korean, plus unrelated ones (so that a word is rare,
    as it is in a real hub, and the ranking has something to weigh)."""
    made = {
        "speech": make_dataset("Speech Recognition Corpus", title_ko="음성인식 말뭉치",
                               description="Read sentences recorded on phones.",
                               tags=["audio", "asr"], kind="audio_transcription"),
        "reviews": make_dataset("Product reviews", title_ko="상품 후기",
                                description="쇼핑몰 후기를 모은 데이터셋을 공개합니다.",
                                tags=["sentiment"]),
        "faces": make_dataset("Face boxes", description="Photos of crowds with boxes.",
                              kind="bounding_box"),
        "heart": make_dataset("Diary", description="그때의 마음, 적은 일기.",
                              tags=["AI", "journal"]),
    }
    for n in range(6):
        make_dataset(f"Unrelated {n}", description="Weather readings of a city.",
                     kind="image_classification")
    return made


def _found(query: str) -> list[int]:
    queryset, _ = search_filter(Dataset.objects.all(), query)
    return [d.pk for d in queryset]


def test_english_words_are_found_in_titles_descriptions_and_tags_whatever_their_case(corpus):
    assert _found("speech") == [corpus["speech"].pk]
    assert _found("SENTENCES") == [corpus["speech"].pk]
    assert _found("sentiment") == [corpus["reviews"].pk]
    assert _found("recog") == [corpus["speech"].pk]  # the start of a word
    assert _found("zebra") == []


def test_korean_stems_find_the_words_they_begin_or_sit_inside(corpus):
    assert _found("데이터") == [corpus["reviews"].pk]  # in 데이터셋을
    assert _found("음성") == [corpus["speech"].pk]  # in 음성인식
    assert _found("인식") == [corpus["speech"].pk]  # inside 음성인식
    assert _found("후기") == [corpus["reviews"].pk]  # in 후기를 and 후기
    assert _found("데이터셋을") == [corpus["reviews"].pk]
    assert _found("터셋의") == []  # every syllable is there, not in this order


def test_a_one_syllable_or_two_letter_word_matches_anywhere(corpus):
    assert set(_found("음")) == {corpus["speech"].pk, corpus["heart"].pk}  # 음성, 마음
    assert _found("마음") == [corpus["heart"].pk]
    assert _found("ai") == [corpus["heart"].pk]


def test_a_fragment_inside_an_english_word_is_found_on_sqlite_only(corpus):
    expected = [corpus["speech"].pk] if connection.vendor == "sqlite" else []
    assert _found("peech") == expected
    assert _found("ecognitio") == expected


def test_decomposed_hangul_in_the_query_matches_composed_text(corpus):
    assert _found(unicodedata.normalize("NFD", "음성인식")) == [corpus["speech"].pk]


def test_every_word_of_the_query_must_match(corpus):
    assert _found("speech corpus") == [corpus["speech"].pk]
    assert _found("speech 말뭉치") == [corpus["speech"].pk]
    assert _found("speech boxes") == []
    assert _found("boxes crowds") == [corpus["faces"].pk]
    assert _found("후기 ai") == []


def test_the_kind_is_searchable_by_its_name_in_english_and_korean(corpus):
    assert _found("bounding box") == [corpus["faces"].pk]
    assert set(_found("텍스트 분류")) == {corpus["reviews"].pk, corpus["heart"].pk}
    assert _found("transcription") == [corpus["speech"].pk]


@pytest.mark.parametrize("query", [
    '"', "*", "(", ")", ":", "'", "-", "NEAR", "NEAR(speech corpus)", '"speech', 'speech"',
    "speech*", "title:speech", "speech AND", "NOT speech", "speech OR", "^speech", "{speech}",
    "'; DROP TABLE hub_dataset; --", "\\", "%", "_", "%%speech", "a & b | !c", "<->", "음성:*",
    "'음성'", "\x00", "speech\nrecognition", "🙂", "x" * 5000,
])
def test_syntax_characters_in_the_query_never_raise(corpus, query):
    queryset, _ = search_filter(Dataset.objects.all(), query)
    list(queryset)
    queryset.count()


def test_punctuation_around_words_is_ignored(corpus):
    assert _found('"speech"') == [corpus["speech"].pk]
    assert _found("speech* (corpus):") == [corpus["speech"].pk]
    assert _found("'음성'") == [corpus["speech"].pk]
    assert _found("speech-recognition") == [corpus["speech"].pk]


@pytest.mark.parametrize("query", ["", "   ", "%", "_", "!?*", None])
def test_a_query_without_words_returns_the_queryset_unchanged(corpus, query):
    everything = Dataset.objects.order_by("pk")
    queryset, ranked = search_filter(everything, query)
    assert queryset is everything
    assert ranked is False


def test_a_query_of_many_words_uses_the_first_ones(corpus):
    words = ["speech", "corpus", "recognition"] + [f"w{i}" for i in range(500)]
    queryset, _ = search_filter(Dataset.objects.all(), " ".join(words))
    assert len(queryset) == 0  # w0… are among the first MAX_TERMS words and match nothing
    queryset, _ = search_filter(Dataset.objects.all(), " ".join(["speech"] * MAX_TERMS * 5))
    assert [d.pk for d in queryset] == [corpus["speech"].pk]


def test_a_title_match_ranks_before_a_description_only_match(make_dataset, corpus):
    in_title = make_dataset("Hourly readings of automatic weather stations in the mountains",
                            description="Hourly data.", downloads=1)
    in_description = make_dataset("Readings", description="Stations.", downloads=900)
    queryset, ranked = search_filter(Dataset.objects.all(), "stations")
    assert ranked is True
    assert [d.pk for d in queryset] == [in_title.pk, in_description.pk]
    assert queryset[0].rank > queryset[1].rank


def test_a_korean_title_match_ranks_before_a_description_only_match(make_dataset, corpus):
    in_title = make_dataset("Minutes", title_ko="지난 십 년 동안 열린 시의회 본회의 회의록 모음",
                            downloads=0)
    in_description = make_dataset("Meetings", description="회의록.", downloads=500)
    queryset, ranked = search_filter(Dataset.objects.all(), "회의록")
    assert ranked is True
    assert [d.pk for d in queryset] == [in_title.pk, in_description.pk]
    queryset, ranked = search_filter(Dataset.objects.all(), "회의록 모음")
    assert [d.pk for d in queryset] == [in_title.pk]


def test_search_composes_with_the_other_filters_of_the_listing(make_dataset, corpus):
    hidden = make_dataset("Speech in meetings", visibility=Visibility.ORGANIZATION)
    public = Dataset.objects.filter(visibility=Visibility.PUBLIC)
    queryset, _ = search_filter(public, "speech")
    assert [d.pk for d in queryset] == [corpus["speech"].pk]
    assert queryset.count() == 1
    queryset, _ = search_filter(Dataset.objects.all(), "speech")
    assert set(queryset.values_list("pk", flat=True)) == {corpus["speech"].pk, hidden.pk}


def test_reindexing_after_an_edit_finds_the_new_words_and_not_the_old(corpus):
    dataset = corpus["faces"]
    Dataset.objects.filter(pk=dataset.pk).update(title="Pedestrian crossings",
                                                 description="횡단보도 영상")
    dataset.refresh_from_db()
    assert _found("pedestrian") == []  # not indexed yet
    search_index(dataset)
    assert _found("pedestrian") == [dataset.pk]
    assert _found("횡단보도") == [dataset.pk]
    assert _found("crowds") == []
    assert _found("face") == []


def test_a_removed_dataset_is_no_longer_found(corpus):
    dataset = corpus["speech"]
    dataset.delete()
    search_remove(dataset.pk)
    assert _found("speech") == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {FTS_TABLE} WHERE rowid = %s", [dataset.pk])
            assert cursor.fetchone()[0] == 0


def test_rebuilding_reindexes_every_dataset(corpus):
    Dataset.objects.update(search_text="")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
    assert _found("speech") == []
    assert search_rebuild() == Dataset.objects.count()
    assert _found("speech") == [corpus["speech"].pk]
    assert _found("데이터") == [corpus["reviews"].pk]


def test_the_document_puts_titles_on_its_first_line(corpus):
    first, rest = search_document(corpus["speech"]).split("\n")
    assert first.startswith("speech recognition corpus 음성인식 말뭉치")
    assert "성인" in first.split()  # a bigram of 음성인식
    assert "read sentences recorded on phones" in rest
    assert "audio" in rest.split() and "asr" in rest.split()
    assert corpus["speech"].search_text == search_document(corpus["speech"])


def test_the_search_uses_the_full_text_index(corpus):
    queryset, _ = search_filter(Dataset.objects.all(), "speech 데이터")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        assert "dataset_search_idx" in queryset.explain()
    else:
        plan = queryset.explain()
        assert "VIRTUAL TABLE INDEX" in plan
        assert "SEARCH hub_dataset USING INTEGER PRIMARY KEY" in plan  # not a scan


def test_a_deleted_dataset_leaves_the_index_by_itself(corpus):
    dataset = corpus["speech"]
    dataset.delete()  # as the admin does: post_delete forgets it, no call needed
    assert _found("speech") == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {FTS_TABLE} WHERE rowid = %s", [dataset.pk])
            assert cursor.fetchone()[0] == 0


def test_the_reindex_command_rebuilds_the_index(corpus):
    from io import StringIO

    from django.core.management import call_command

    Dataset.objects.update(search_text="")
    out = StringIO()
    call_command("hub_reindex", stdout=out)
    assert f"reindexed {Dataset.objects.count()} datasets" in out.getvalue()
    assert _found("speech") == [corpus["speech"].pk]
