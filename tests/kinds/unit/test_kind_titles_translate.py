"""Task kind titles and descriptions follow the active language (they are lazy strings)."""

from __future__ import annotations

import pytest
from django.utils import translation

from datadam.kinds import all_kinds, get_kind


@pytest.mark.parametrize(
    ("slug", "english", "korean"),
    [("text_classification", "Text classification", "텍스트 분류"),
     ("image_classification", "Image classification", "이미지 분류")],
)
def test_kind_titles_follow_the_active_language(slug, english, korean):
    kind = get_kind(slug)
    with translation.override("en"):
        assert str(kind.title) == english
    with translation.override("ko"):
        assert str(kind.title) == korean


def test_every_kind_has_a_korean_title_and_description():
    with translation.override("ko"):
        for kind in all_kinds():
            for text in (str(kind.title), str(kind.description)):
                assert any("\uac00" <= ch <= "\ud7a3" for ch in text), (kind.slug, text)
