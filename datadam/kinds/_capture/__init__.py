"""What the collection kinds share: photo, audio recording and video clip.

The worker makes new data for an item (a prompt: "Take a photo of your face from the front,
without glasses", or a script to read aloud) with the camera or the microphone, in the
browser. The file is uploaded first (``datadam.collection``: checked by content, checked
automatically, compared with earlier captures) and the answer names it::

    {"capture": 12, "tags": {"glasses": "none"}, "consent": 5}

The submit hooks turn that into the stored answer (the file's URL, the checks, the near
duplicates and the consent, as found by the server); see docs/kinds/capture.md. A private
folder (``kinds._load`` skips it): ``photo_capture``, ``audio_recording`` and
``video_recording`` each register a kind built on ``CaptureKind``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from datadam.errors import InvalidInput
from datadam.kinds.base import FusedKind, ItemAggregate, ItemError
from datadam.kinds.config_fields import ConfigField
from datadam.kinds.exporting import ExportContext, ExportFormat, Record, gettext_noop

MAX_PROMPT = 5_000
MAX_TAGS = 10
MAX_CHOICES = 30
MAX_PER_WORKER = 100_000
#: Options a project may switch on (``config["options"]``), each also given as a boolean key.
OPTIONS = ("allow_files", "keep_metadata", "blur_faces", "blur_plates")
OPTION_CHOICES = (
    ("allow_files", gettext_lazy("Workers may choose a file instead of capturing")),
    ("keep_metadata", gettext_lazy("Keep the files' metadata (time, device) in exports")),
    ("blur_faces", gettext_lazy("Blur faces in exported images")),
    ("blur_plates", gettext_lazy("Blur licence plates in exported images")),
)
DUPLICATE = "duplicate"
FACING = ("user", "environment")


def _number(cfg: dict[str, Any], key: str, default: float, low: float, high: float,
            *, whole: bool = False) -> float | int:
    value = cfg.get(key, default)
    if value is None or value == "":
        value = default
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInput(_("%(key)s must be a number") % {"key": key})
    if not low <= value <= high:
        raise InvalidInput(_("%(key)s must be from %(low)s to %(high)s")
                           % {"key": key, "low": f"{low:g}", "high": f"{high:g}"})
    return int(value) if whole else float(value)


def seconds_range(cfg: dict[str, Any], low: float, high: float, most: float
                  ) -> dict[str, float]:
    """``min_seconds`` and ``max_seconds`` of a recording or clip, checked."""
    out = {"min_seconds": float(_number(cfg, "min_seconds", low, 0, most)),
           "max_seconds": float(_number(cfg, "max_seconds", high, 0.5, most))}
    if out["min_seconds"] >= out["max_seconds"]:
        raise InvalidInput(_("min_seconds must be less than max_seconds"))
    return out


def facing_of(cfg: dict[str, Any]) -> str:
    """Which camera the widget opens: "user" (front) or "environment" (back)."""
    facing = cfg.get("facing") or "environment"
    if facing not in FACING:
        raise InvalidInput(_('facing must be "user" or "environment"'))
    return facing


def parse_tags(raw: Any) -> list[dict[str, Any]]:
    """Tags the worker gives each capture: ``[{"name": "pose", "choices": ["front", ...]}]``,
    also written as lines ``pose: front, left, right`` (the wizard's field)."""
    if raw in (None, "", []):
        return []
    if isinstance(raw, str):
        raw = [line for line in raw.splitlines() if line.strip()]
    if not isinstance(raw, list) or len(raw) > MAX_TAGS:
        raise InvalidInput(_("tags must be a list of at most %(n)s tags") % {"n": MAX_TAGS})
    tags: list[dict[str, Any]] = []
    for entry in raw:
        if isinstance(entry, str):
            name, sep, rest = entry.partition(":")
            if not sep:
                raise InvalidInput(_('write each tag as "name: choice, choice", like "pose: '
                                     'front, left, right"'))
            entry = {"name": name, "choices": rest.split(",")}
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise InvalidInput(_('each tag needs a "name" and "choices"'))
        name = entry["name"].strip()
        choices = entry.get("choices")
        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
            raise InvalidInput(_('tag "%(name)s" needs a list of choices') % {"name": name})
        choices = list(dict.fromkeys(c.strip() for c in choices if c.strip()))
        if not name or len(name) > 50 or not 1 <= len(choices) <= MAX_CHOICES:
            raise InvalidInput(_('tag "%(name)s" needs a name of at most 50 characters and 1 '
                                 'to %(n)s choices') % {"name": name, "n": MAX_CHOICES})
        if any(len(c) > 100 for c in choices):
            raise InvalidInput(_("a tag's choice has at most 100 characters"))
        if any(t["name"] == name for t in tags):
            raise InvalidInput(_('tag "%(name)s" is listed twice') % {"name": name})
        tags.append({"name": name, "choices": choices})
    return tags


def _write_folder(ctx: ExportContext, records: Iterable[Record]) -> Iterator[bytes]:
    from datadam.collection.export import write_folder

    return write_folder(ctx, records)


FOLDER_FORMAT = ExportFormat(
    slug="capture_folder", title="Files + metadata.jsonl (Hugging Face folder)",
    extension="zip", content_type="application/zip", write=_write_folder,
    description=gettext_noop("The captured files, de-identified as the project says, with "
                             "metadata.jsonl (file_name, prompt, tags, consent), as "
                             "datasets.load_dataset(\"imagefolder\") or \"audiofolder\" "
                             "reads it."))


class CaptureKind(FusedKind):
    """A kind whose workers capture new media; subclasses set the media and its checks."""

    media_kind = "image"
    #: The automatic checks of this media, in the order they are shown, with their names.
    checks: tuple[tuple[str, Any], ...] = ()
    default_blocking: tuple[str, ...] = ()
    uses_labels = False
    submit_hooks = True
    caps_per_worker = True
    collects = True
    exporters = (FOLDER_FORMAT,)

    @property
    def widget_template(self) -> str:  # type: ignore[override]
        return f"{self.slug}/widget.html"

    # --- config ---------------------------------------------------------------------------
    def common_fields(self) -> tuple[ConfigField, ...]:
        return (
            ConfigField("tags", gettext_lazy("Tags the worker gives each capture"), "lines", [],
                        gettext_lazy('One tag a line: a name, a colon and its choices, like '
                                     '"glasses: none, glasses, sunglasses".')),
            ConfigField("per_worker", gettext_lazy("Most captures per worker"), "number", 0,
                        gettext_lazy("0: no limit.")),
            ConfigField("blocking", gettext_lazy("Checks that refuse a capture"), "multi",
                        list(self.default_blocking),
                        gettext_lazy("The others only warn the worker and the reviewer."),
                        choices=(*self.checks, (DUPLICATE, gettext_lazy("Near-duplicate")))),
            ConfigField("options", gettext_lazy("Options"), "multi", [],
                        choices=OPTION_CHOICES),
        )

    def media_config(self, cfg: dict[str, Any]) -> dict[str, Any]:
        """The subclass's own settings, checked and with defaults."""
        return {}

    def validate_config(self, cfg: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(cfg, dict):
            raise InvalidInput(_("config must be a JSON object"))
        out = {k: v for k, v in cfg.items() if k not in (*OPTIONS, "options", "tags",
                                                         "blocking", "per_worker")}
        out.update(self.media_config(cfg))
        options = cfg.get("options")
        if options is None:
            options = [o for o in OPTIONS if cfg.get(o) is True]
        if not isinstance(options, list) or any(o not in OPTIONS for o in options):
            raise InvalidInput(_("options must be a list of: %(names)s")
                               % {"names": ", ".join(OPTIONS)})
        out["options"] = [o for o in OPTIONS if o in options]
        out.update({o: o in options for o in OPTIONS})
        out["tags"] = parse_tags(cfg.get("tags"))
        blocking = cfg.get("blocking", list(self.default_blocking))
        names = [name for name, _label in self.checks] + [DUPLICATE]
        if not isinstance(blocking, list) or any(b not in names for b in blocking):
            raise InvalidInput(_("blocking must be a list of: %(names)s")
                               % {"names": ", ".join(names)})
        out["blocking"] = [n for n in names if n in blocking]
        out["per_worker"] = _number(cfg, "per_worker", 0, 0, MAX_PER_WORKER, whole=True)
        if "duplicate_distance" in cfg:
            out["duplicate_distance"] = _number(cfg, "duplicate_distance", 0, 0, 16, whole=True)
        return out

    # --- items ------------------------------------------------------------------------------
    def sample_item(self) -> dict[str, Any]:
        return {"prompt": _("Take a photo of a cup on a table, from above.")}

    def example_item(self) -> dict[str, Any]:
        return {"prompt": "Take a photo of a cup on a table, from above."}

    def validate_item(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise ItemError(_("item must be a JSON object"))
        prompt = data.get("prompt")
        if not isinstance(prompt, str) or not prompt.strip():
            raise ItemError(_('item needs a non-empty "prompt": what the worker captures'))
        if len(prompt) > MAX_PROMPT:
            raise ItemError(_("the prompt is longer than %(n)s characters") % {"n": MAX_PROMPT})
        for key in ("text", "example"):
            if key in data and not (isinstance(data[key], str) and len(data[key]) <= MAX_PROMPT):
                raise ItemError(_('"%(key)s" must be text of at most %(n)s characters')
                                % {"key": key, "n": MAX_PROMPT})
        return data

    # --- answers ----------------------------------------------------------------------------
    def answer_schema(self, cfg: dict[str, Any]) -> dict[str, Any]:
        tags = {t["name"]: {"enum": t["choices"]} for t in cfg.get("tags", [])}
        return {"type": "object", "required": ["capture", *(["tags"] if tags else [])],
                "additionalProperties": False, "properties": {
                    "capture": {"type": "integer", "minimum": 1,
                                "description": "id of the capture uploaded for this task "
                                               "(POST /assignments/{id}/captures)"},
                    "tags": {"type": "object", "properties": tags, "required": list(tags),
                             "additionalProperties": False},
                    "consent": {"type": "integer", "minimum": 1}}}

    def validate_answer(self, answer: Any, cfg: dict[str, Any],
                        item: dict[str, Any] | None = None) -> dict[str, Any]:
        if not isinstance(answer, dict):
            raise InvalidInput(_('answer must be a JSON object like {"capture": 12}'))
        extra = sorted(set(answer) - {"capture", "tags", "consent"})
        if extra:
            raise InvalidInput(_("unknown answer keys: %(keys)s") % {"keys": ", ".join(extra)})
        capture = answer.get("capture")
        if isinstance(capture, bool) or not isinstance(capture, int) or capture < 1:
            raise InvalidInput(_("capture first: the answer names the uploaded capture by its "
                                 "id"))
        consent = answer.get("consent")
        if consent is not None and (isinstance(consent, bool) or not isinstance(consent, int)
                                    or consent < 1):
            raise InvalidInput(_("consent must be the id of a signed consent"))
        given = answer.get("tags") or {}
        if not isinstance(given, dict):
            raise InvalidInput(_("tags must be a JSON object of tag names and choices"))
        wanted = {t["name"]: t["choices"] for t in cfg.get("tags", [])}
        unknown = sorted(set(given) - set(wanted))
        if unknown:
            raise InvalidInput(_("unknown tags: %(tags)s") % {"tags": ", ".join(unknown)})
        tags = {}
        for name, choices in wanted.items():
            value = given.get(name)
            if value not in choices:
                raise InvalidInput(_('choose the tag "%(name)s": one of %(choices)s')
                                   % {"name": name, "choices": ", ".join(choices)})
            tags[name] = value
        out: dict[str, Any] = {"capture": capture, "tags": tags}
        if consent is not None:
            out["consent"] = consent
        return out

    def answer_received(self, answer: dict[str, Any], *, project: Any, assignment: Any,
                        worker: Any) -> dict[str, Any]:
        from datadam.collection.services import capture_attach

        return capture_attach(answer=answer, project=project, assignment=assignment,
                              worker=worker)

    def answer_stored(self, *, submission: Any, project: Any, assignment: Any,
                      worker: Any) -> None:
        from datadam.collection.services import capture_submitted

        capture_submitted(submission=submission, project=project, worker=worker)

    # --- results ----------------------------------------------------------------------------
    def aggregate_item(self, answers: Sequence[dict[str, Any]], weights: Sequence[float],
                       config: dict[str, Any]) -> ItemAggregate | None:
        """Captures are not combined: each is a data record of its own (the export lists
        them one by one). An item's result counts its captures and their tags."""
        if not answers:
            return None
        tags: dict[str, dict[str, int]] = {}
        for answer in answers:
            for name, value in (answer.get("tags") or {}).items():
                tags.setdefault(name, {}).setdefault(value, 0)
                tags[name][value] += 1
        result = {"captures": len(answers), "tags": tags}
        return ItemAggregate(result, 1.0, self.summary(result))

    def answer_matches(self, answer: dict[str, Any], gold: dict[str, Any],
                       config: dict[str, Any] | None = None) -> bool:
        return False  # new data has no known answer: captures are judged by review

    def correctness(self, config: dict[str, Any]) -> str:
        return _("a reviewer approved the capture, after its automatic checks")

    def summary(self, answer: dict[str, Any]) -> str:
        n = answer.get("captures")
        if isinstance(n, int):
            return ngettext("%(n)s capture", "%(n)s captures", n) % {"n": n}
        return ", ".join(f"{k}: {v}" for k, v in (answer.get("tags") or {}).items()
                         if isinstance(v, str))

    def export_records(self, project: Any, options: Any) -> Any:
        """One record per approved capture whose consent stands (``collection.export``)."""
        from datadam.collection.export import capture_records

        return capture_records(project)

    def export_media(self, config: dict[str, Any], open_media: Any) -> Any:
        from datadam.collection.export import DeidentifyingOpener

        return DeidentifyingOpener(config, open_media)

    def deidentification(self, config: dict[str, Any]) -> dict[str, Any]:
        from datadam.collection.export import statement

        return statement(config)
