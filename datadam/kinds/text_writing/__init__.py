"""Writing over a source: question–answer pairs, summaries, translations, dialogues and
sentences written from a passage or a prompt.

Five kinds, one per mode, registered from this folder (the wizard's kind list is then the
choice of mode, each mode has its own settings, and a worker's skill is measured per mode:
a good translator is not always a good summariser). They share the item format, the widget,
the review card, the checks and the aggregation:

- item ``{"source": "the passage or prompt", "source_language": "ko"}`` (language optional);
- answers and their checks: ``answers``; settings: ``config``; language: ``script``;
  pasted or inhumanly fast typing, from the widget's meta: ``rhythm`` (warnings only);
  answers that repeat one the client already has: ``duplicates`` (the submit hooks);
- result: the weighted medoid of the item's answers, agreement 1 − mean CER to it
  (``similarity``); gold by 1 − CER against the known text, or the matched token F1.

See docs/kinds/text_writing.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from datadam.kinds import register
from datadam.kinds.base import FusedKind, ItemAggregate, ItemError

from . import answers as written
from . import config, duplicates, similarity
from .config import MAX_COUNT, MAX_TEXT

MAX_SOURCE = 100_000
LANGUAGE_CODE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$")
SAMPLE_PASSAGE = gettext_noop(
    "The Han River flows through the middle of Seoul. Its bridges join the north and the "
    "south of the city, and on summer evenings its parks fill with people who come to walk, "
    "cycle and eat by the water.")
SAMPLE_PROMPT = {
    "dialogue": gettext_noop("A customer asks a shop assistant whether a pair of shoes can "
                             "be returned."),
    "sentences": gettext_noop("Write sentences about what you like to do on a rainy day."),
}
#: The translation preview's source is English whatever the page's language.
SAMPLE_TRANSLATION = "The delivery was quick and the staff were friendly."


class WritingKind(FusedKind):
    """A writing kind; ``mode`` says what is written (see ``answers``)."""

    mode = "summary"
    answer_needs_item = True
    uses_labels = False
    submit_hooks = True  # near-duplicates: looked up before the insert, recorded after
    review_template = "text_writing/review.html"

    @property
    def widget_template(self) -> str:  # type: ignore[override]
        return f"text_writing/widgets/{self.mode}.html"

    def sample_item(self) -> dict[str, Any]:
        if self.mode == "translation":
            return {"source": SAMPLE_TRANSLATION, "source_language": "en"}
        return {"source": _(SAMPLE_PROMPT.get(self.mode, SAMPLE_PASSAGE))}

    def example_item(self) -> dict[str, Any]:
        return {"source": SAMPLE_PROMPT.get(self.mode, SAMPLE_PASSAGE), "source_language": "en"}

    def validate_config(self, cfg: dict[str, Any]) -> dict[str, Any]:
        return config.validate(cfg, self.mode)

    def validate_item(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise ItemError(_("item must be a JSON object"))
        source = data.get("source")
        if not isinstance(source, str) or not source.strip():
            raise ItemError(_('item needs a non-empty "source" field: the passage or prompt'))
        if len(source) > MAX_SOURCE:
            raise ItemError(_("the source is longer than %(most)s characters")
                            % {"most": MAX_SOURCE})
        language = data.get("source_language")
        if language is not None and not (isinstance(language, str)
                                         and LANGUAGE_CODE.match(language)):
            raise ItemError(_('"source_language" must be a language code such as "ko" or '
                              '"en"'))
        return data

    def answer_schema(self, cfg: dict[str, Any]) -> dict[str, Any]:
        text = {"type": "string", "minLength": 1, "maxLength": MAX_TEXT}
        meta = {"type": "object", "additionalProperties": False, "properties": {
            key: {"type": "integer", "minimum": 0, "maximum": most}
            for key, most in written.META.items()}}
        count = {"minItems": cfg.get("min_count", 1), "maxItems": cfg.get("max_count", MAX_COUNT)}
        content: dict[str, Any]
        if self.mode == "qa_pairs":
            content = {"type": "array", **count, "items": {
                "type": "object", "required": ["question", "answer"],
                "additionalProperties": False,
                "properties": {"question": text, "answer": text}}}
        elif self.mode == "dialogue":
            content = {"type": "array", **count, "items": {
                "type": "object", "required": ["speaker", "text"], "additionalProperties": False,
                "properties": {"speaker": {"enum": cfg.get("speakers", [])}, "text": text}}}
        elif self.mode == "sentences":
            content = {"type": "array", **count, "items": text}
        else:
            content = text
        key = written.CONTENT[self.mode]
        return {"type": "object", "required": [key], "additionalProperties": False,
                "properties": {key: content, "meta": meta}}

    def validate_answer(self, answer: Any, cfg: dict[str, Any],
                        item: dict[str, Any] | None = None) -> dict[str, Any]:
        return written.validate(answer, cfg, item)

    def answer_received(self, answer: dict[str, Any], *, project: Any, assignment: Any,
                        worker: Any) -> dict[str, Any]:
        """Near-duplicates of the client's earlier answers: warned or refused."""
        return duplicates.duplicates_checked(answer, written.CONTENT[self.mode],
                                             project=project, assignment=assignment,
                                             worker=worker)

    def answer_stored(self, *, submission: Any, project: Any, assignment: Any,
                      worker: Any) -> None:
        duplicates.answer_fingerprinted(submission, written.CONTENT[self.mode],
                                        project=project, assignment=assignment, worker=worker)

    def content(self, answer: dict[str, Any]) -> dict[str, Any]:
        """The written part of an answer (no ``meta``, no ``checks``)."""
        key = written.CONTENT[self.mode]
        return {key: answer[key]} if isinstance(answer, dict) and key in answer else {}

    def aggregate_item(self, answers: Sequence[dict[str, Any]], weights: Sequence[float],
                       cfg: dict[str, Any]) -> ItemAggregate | None:
        usable = [(self.content(a), w) for a, w in zip(answers, weights, strict=True)]
        usable = [(a, w) for a, w in usable if a]
        if not usable:
            return None
        chosen, agreement = similarity.medoid([a for a, _w in usable],
                                              [w for _a, w in usable], self.mode)
        result = usable[chosen][0]
        return ItemAggregate(result, agreement, self.summary(result))

    def aggregate(self, answers: Sequence[dict[str, Any]], cfg: dict[str, Any]
                  ) -> dict[str, Any]:
        """``aggregate_item`` with every worker weighted alike (no skills known)."""
        fused = self.aggregate_item(answers, [1.0] * len(answers), cfg)
        if fused is None:
            return {}
        return {**fused.result, "confidence": round(fused.agreement, 4),
                "answers": len(answers)}

    def score_answer(self, answer: dict[str, Any], reference: dict[str, Any],
                     cfg: dict[str, Any]) -> float:
        mine, ref = self.content(answer), self.content(reference)
        if not mine or not ref:
            return 0.0
        return similarity.similarity(mine, ref, self.mode)

    def answer_matches(self, answer: dict[str, Any], gold: dict[str, Any],
                       cfg: dict[str, Any] | None = None) -> bool:
        cfg = cfg or {}
        score = float(cfg.get("pass_score", config.DEFAULTS[self.mode]["pass_score"]))
        return self.score_answer(answer, gold, cfg) >= score - 1e-9

    def correctness(self, cfg: dict[str, Any]) -> str:
        score = cfg.get("pass_score", config.DEFAULTS[self.mode]["pass_score"])
        if self.mode == "qa_pairs":
            return _("its question–answer pairs, matched one to one with the known pairs, "
                     "share their words: a matched token F1 of at least %(score)s") % {
                "score": score}
        if self.mode == "sentences":
            return _("its sentences, matched one to one with the known sentences, are close "
                     "to them: a matched similarity (1 − normalised edit distance) of at "
                     "least %(score)s") % {"score": score}
        return _("its text is close to the known text: 1 − character error rate of at least "
                 "%(score)s") % {"score": score}

    def summary(self, answer: dict[str, Any]) -> str:
        if self.mode == "qa_pairs":
            pairs = answer.get("pairs") or []
            head = f"Q: {pairs[0]['question']} A: {pairs[0]['answer']}" if pairs else ""
            return _short(head, len(pairs))
        if self.mode == "dialogue":
            turns = answer.get("turns") or []
            return _short(f"{turns[0]['speaker']}: {turns[0]['text']}" if turns else "",
                          len(turns))
        if self.mode == "sentences":
            sentences = answer.get("sentences") or []
            return _short(sentences[0] if sentences else "", len(sentences))
        return _short(str(answer.get("text", "")), 1)

    def wrong_answer(self, gold: Any, cfg: dict[str, Any]) -> dict[str, Any] | None:
        """Gold garbled: every word's letters reversed (QA: the answers moved one pair on,
        when there are several). None when that changes nothing."""
        content = self.content(gold)
        if not content:
            return None
        key = written.CONTENT[self.mode]
        value = content[key]
        if self.mode == "qa_pairs":
            moved = [p["answer"] for p in value[1:] + value[:1]]
            if len(value) < 2 or all(a == p["answer"] for a, p in zip(moved, value,
                                                                     strict=True)):
                moved = [_garble(p["answer"]) for p in value]
            wrong: Any = [{"question": p["question"], "answer": a}
                          for p, a in zip(value, moved, strict=True)]
        elif self.mode == "dialogue":
            wrong = [{"speaker": t["speaker"], "text": _garble(t["text"])} for t in value]
        elif self.mode == "sentences":
            wrong = [_garble(s) for s in value]
        else:
            wrong = _garble(value)
        return None if wrong == value else {key: wrong}


def _garble(text: str) -> str:
    return " ".join(word[::-1] for word in text.split(" "))


def _short(text: str, count: int) -> str:
    text = " ".join(text.split())
    text = text if len(text) <= 80 else text[:79] + "…"
    return f"{text} (+{count - 1})" if count > 1 else text


class QaPairs(WritingKind):
    mode = "qa_pairs"
    config_fields = config.fields("qa_pairs")
    slug = "writing_qa"
    title = gettext_lazy("Question–answer writing")
    description = gettext_lazy("Read a passage and write question–answer pairs about it.")
    search_words = ("question", "questions", "qa", "quiz", "질문", "질의응답", "문답")


class Summary(WritingKind):
    mode = "summary"
    config_fields = config.fields("summary")
    slug = "writing_summary"
    title = gettext_lazy("Summary writing")
    description = gettext_lazy("Read a text and sum it up in your own words.")
    search_words = ("summary", "summaries", "summarise", "summarize", "요약")


class Translation(WritingKind):
    mode = "translation"
    config_fields = config.fields("translation")
    slug = "writing_translation"
    title = gettext_lazy("Translation")
    description = gettext_lazy("Translate a text into the project's language.")
    search_words = ("translation", "translate", "translator", "bilingual", "번역", "통역")


class Dialogue(WritingKind):
    mode = "dialogue"
    config_fields = config.fields("dialogue")
    slug = "writing_dialogue"
    title = gettext_lazy("Dialogue writing")
    description = gettext_lazy("Write a dialogue, turn by turn, on a situation or a passage.")
    search_words = ("dialogue", "dialog", "conversation", "chat", "대화", "대화문")


class Sentences(WritingKind):
    mode = "sentences"
    config_fields = config.fields("sentences")
    slug = "writing_sentences"
    title = gettext_lazy("Sentence writing")
    description = gettext_lazy("Write sentences on a prompt.")
    search_words = ("sentence", "sentences", "composition", "writing", "작문", "글쓰기")


KINDS = (QaPairs(), Summary(), Translation(), Dialogue(), Sentences())
for _kind in KINDS:
    register(_kind)
