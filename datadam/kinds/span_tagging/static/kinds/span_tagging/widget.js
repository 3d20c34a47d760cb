// Span tagging: the worker's widget. widget.html renders a root <div data-span-tagger> with
// the label buttons, the text, the list of spans and a hidden <input name="answer">; this
// ES module (run once per page, however often htmx swaps the next task in) mounts every
// root on htmx:load and keeps the input holding {"spans": [{start, end, label}]} as JSON.
//
// Select text with the mouse (or Shift+arrows from the caret: by word; Alt for single
// characters), then press 1–9 or click a label; Enter labels it with the current label.
// A selection snaps to whole words (Alt held: exact characters). Click a span to select
// it: 1–9 relabel it, Del deletes it. Ctrl+Z / Ctrl+Shift+Z (Ctrl+Y) undo and redo.
// Offsets are code points (text.js); without `nested` a new span replaces those it overlaps.
import {
  byPosition, colorOf, draw, nextWord, offsetAt, prevWord, readJson, snap, spansOf,
} from "./text.js";

const live = new Set();
let active = null; // the widget the keyboard talks to: the one used last
let altHeld = false;
const HISTORY_MAX = 200;

class Tagger {
  constructor(root) {
    root.ddTagger = this;
    live.add(this);
    this.root = root;
    this.config = readJson(root, "config") || {};
    this.labels = Array.isArray(this.config.labels) ? this.config.labels.map(String) : [];
    this.nested = this.config.nested === true;
    this.label = this.labels[0] ?? "";
    this.ch = Array.from(String(readJson(root, "text") ?? ""));
    this.spans = spansOf(readJson(root, "answer"), this.ch.length).sort(byPosition);
    this.readonly = root.hasAttribute("data-readonly");
    this.input = root.querySelector('input[name="answer"]');
    this.el = root.querySelector(".dd-sp-text");
    this.list = root.querySelector(".dd-sp-list");
    this.strings = root.querySelector(".dd-sp-strings")?.dataset || {};
    this.pending = null; // [a, b]: a selection waiting for its label
    this.selected = null; // a span object of this.spans
    this.caret = 0;
    this.anchor = null; // where a Shift+arrow selection started
    this.history = [this.snapshot()];
    this.future = [];
    this.bind();
    this.sync();
    this.render();
  }

  t(key, vars = {}) {
    let text = this.strings[key] || key;
    for (const [k, v] of Object.entries(vars)) text = text.replace(`{${k}}`, v);
    return text;
  }

  colour = (label) => colorOf(label, this.labels, this.config.colors);

  snapshot() {
    return JSON.stringify(this.spans);
  }

  answer() {
    return { spans: this.spans.map(({ start, end, label }) => ({ start, end, label })) };
  }

  sync() {
    if (this.input) this.input.value = JSON.stringify(this.answer());
    this.root.dispatchEvent(new CustomEvent("dd:change", { bubbles: true }));
  }

  commit(message) {
    this.spans.sort(byPosition);
    const snap = this.snapshot();
    if (snap !== this.history[this.history.length - 1]) {
      this.history.push(snap);
      if (this.history.length > HISTORY_MAX) this.history.shift();
      this.future = [];
    }
    this.sync();
    this.render(message);
  }

  restore(snap) {
    this.spans = JSON.parse(snap);
    this.selected = null;
    this.pending = null;
    this.sync();
    this.render();
  }

  undo() {
    if (this.history.length < 2) return;
    this.future.push(this.history.pop());
    this.restore(this.history[this.history.length - 1]);
  }

  redo() {
    if (!this.future.length) return;
    const snap = this.future.pop();
    this.history.push(snap);
    this.restore(snap);
  }

  // ---- what the worker does -------------------------------------------------------------
  text(s) {
    const words = this.ch.slice(s.start, s.end);
    return words.length > 40 ? words.slice(0, 40).join("") + "…" : words.join("");
  }

  // Label the pending selection; else relabel the selected span; the label stays current.
  use(label) {
    if (!this.labels.includes(label)) return;
    this.label = label;
    if (this.pending) return this.tag(label);
    const s = this.selected;
    if (s && s.label !== label) {
      if (this.spans.some((o) => o.start === s.start && o.end === s.end && o.label === label)) {
        return this.render(this.t("already"));
      }
      s.label = label;
      return this.commit();
    }
    this.render();
  }

  tag(label) {
    const [start, end] = this.pending;
    this.pending = null;
    this.anchor = null;
    this.caret = end;
    const same = this.spans.find((s) => s.start === start && s.end === end && s.label === label);
    if (same) {
      this.selected = same;
      return this.render(this.t("already"));
    }
    const hit = this.spans.filter((s) => s.start < end && start < s.end);
    let message = "";
    if (this.nested) {
      const crossing = hit.filter((s) => !(s.start <= start && end <= s.end)
        && !(start <= s.start && s.end <= end));
      if (crossing.length) return this.render(this.t("crosses", { name: crossing[0].label }));
    } else if (hit.length) {
      this.spans = this.spans.filter((s) => !hit.includes(s));
      message = this.t("replaced", { n: String(hit.length) });
    }
    const span = { start, end, label };
    this.spans.push(span);
    this.selected = span;
    this.commit(message || this.t("added", { name: label, text: this.text(span) }));
  }

  remove(span) {
    if (!span) return;
    this.spans = this.spans.filter((s) => s !== span);
    if (this.selected === span) this.selected = null;
    this.commit(this.t("deleted", { name: span.label }));
  }

  // The innermost span at offset i (for a click or Delete at the caret).
  spanAt(i) {
    return this.spans.filter((s) => s.start <= i && i < s.end)
      .sort((a, b) => (a.end - a.start) - (b.end - b.start))[0] || null;
  }

  select(span) {
    this.selected = span;
    this.pending = null;
    this.render(span ? this.t("selectedHint", { name: span.label, text: this.text(span) }) : "");
  }

  // A selection from a to b (either order) becomes the pending one, snapped; `caretToEnd`
  // (the mouse) puts the caret at its end, where the keyboard goes on from.
  choose(a, b, exact, caretToEnd = false) {
    const range = snap(this.ch, a, b, exact);
    this.pending = range;
    if (range && caretToEnd) this.caret = range[1];
    this.selected = null;
    this.render(range ? this.t("pendingHint", { text: this.ch.slice(...range).join("") }) : "");
  }

  // ---- the view -------------------------------------------------------------------------
  render(message) {
    // The caret is always drawn; CSS shows it only while the text has the focus (a redraw
    // on focus would replace the text under a mouse button going down to select).
    draw(this.el, this.ch, this.spans, {
      pending: this.pending, selected: this.selected, colour: this.colour,
      caret: this.readonly ? null : this.caret,
    });
    for (const b of this.root.querySelectorAll(".dd-sp-label")) {
      b.setAttribute("aria-pressed", String(b.dataset.label === this.label));
      b.style.setProperty("--c", this.colour(b.dataset.label));
    }
    this.renderList();
    const undo = this.root.querySelector('[data-act="undo"]');
    if (undo) undo.disabled = this.history.length < 2;
    const redo = this.root.querySelector('[data-act="redo"]');
    if (redo) redo.disabled = !this.future.length;
    if (message !== undefined) this.status(message);
  }

  renderList() {
    if (!this.list) return;
    // Only when the spans or the selected one changed (not for every caret move).
    const key = `${this.snapshot()}|${this.spans.indexOf(this.selected)}`;
    if (key === this.listKey) return;
    this.listKey = key;
    const rows = this.spans.map((s) => {
      const li = document.createElement("li");
      li.className = "dd-sp-row";
      li.style.setProperty("--c", this.colour(s.label));
      if (s === this.selected) li.setAttribute("aria-current", "true");
      const pick = document.createElement("button");
      pick.type = "button";
      pick.className = "dd-sp-pick";
      pick.dataset.act = "pick";
      const chip = document.createElement("span");
      chip.className = "dd-sp-chip";
      chip.textContent = s.label;
      const quote = document.createElement("span");
      quote.className = "dd-sp-quote";
      quote.textContent = this.text(s);
      const where = document.createElement("small");
      where.className = "muted";
      where.textContent = `${s.start}–${s.end}`;
      pick.append(chip, quote, where);
      li.append(pick);
      li.ddSpan = s;
      if (!this.readonly) {
        const del = document.createElement("button");
        del.type = "button";
        del.className = "dd-sp-del secondary";
        del.dataset.act = "delete";
        del.textContent = "×";
        del.setAttribute("aria-label", this.t("deleteSpan", { name: `${s.label} ${this.text(s)}` }));
        li.append(del);
      }
      return li;
    });
    this.list.replaceChildren(...rows);
    const empty = this.root.querySelector(".dd-sp-empty");
    if (empty) empty.hidden = this.spans.length > 0;
  }

  status(message) {
    const el = this.root.querySelector(".dd-sp-status");
    if (el) el.textContent = message || "";
  }

  // ---- events ---------------------------------------------------------------------------
  bind() {
    this.root.addEventListener("focusin", () => { active = this; });
    this.root.addEventListener("click", (e) => {
      const button = e.target.closest("button");
      if (!button || !this.root.contains(button)) return;
      const act = button.dataset.act;
      const row = button.closest(".dd-sp-row");
      if (button.classList.contains("dd-sp-label")) this.use(button.dataset.label);
      else if (act === "undo") this.undo();
      else if (act === "redo") this.redo();
      else if (act === "pick" && row) {
        this.select(row.ddSpan);
        this.el.querySelector(".dd-sp-on")?.scrollIntoView({ block: "nearest" });
      } else if (act === "delete" && row) this.remove(row.ddSpan);
    });
    if (this.readonly) return;
    this.el.addEventListener("pointerdown", (e) => {
      if (e.button !== 0) return;
      this.dragging = true;
      altHeld = e.altKey;
    });
    // A long press on a touch screen hands the pointer to the browser's own selection.
    this.el.addEventListener("pointercancel", () => { this.dragging = false; });
  }

  // The mouse let go: a selection in the text becomes the pending one, a click selects the
  // span under it (or none) and puts the caret there.
  pointerUp(e) {
    this.dragging = false;
    const sel = window.getSelection();
    if (sel && sel.rangeCount && !sel.isCollapsed) {
      const r = sel.getRangeAt(0);
      const a = offsetAt(this.el, r.startContainer, r.startOffset);
      const b = offsetAt(this.el, r.endContainer, r.endOffset);
      sel.removeAllRanges();
      this.caret = b;
      this.anchor = null;
      this.el.focus({ preventScroll: true });
      return this.choose(a, b, e.altKey, true);
    }
    const seg = e.target.closest?.("[data-s]");
    if (!seg || !this.el.contains(seg)) return;
    const at = Number(seg.dataset.s);
    this.caret = sel && sel.rangeCount ? offsetAt(this.el, sel.focusNode, sel.focusOffset) : at;
    this.anchor = null;
    this.el.focus({ preventScroll: true });
    this.select(this.spanAt(at));
  }

  // A touch selection (no pointerup at its end): remembered, drawn when a label is picked.
  selectionChanged() {
    if (this.dragging) return;
    const sel = window.getSelection();
    if (!sel || !sel.rangeCount || sel.isCollapsed) return;
    const r = sel.getRangeAt(0);
    if (!this.el.contains(r.commonAncestorContainer)) return;
    const a = offsetAt(this.el, r.startContainer, r.startOffset);
    const b = offsetAt(this.el, r.endContainer, r.endOffset);
    this.pending = snap(this.ch, a, b, altHeld);
    this.selected = null;
    if (this.pending) this.status(this.t("pendingHint", { text: this.ch.slice(...this.pending).join("") }));
  }

  // Arrow keys in the text: the caret moves by word (Alt: by character); Shift selects.
  moveCaret(e) {
    const n = this.ch.length;
    let to = this.caret;
    if (e.key === "ArrowRight") to = e.altKey ? Math.min(n, to + 1) : nextWord(this.ch, to);
    else if (e.key === "ArrowLeft") to = e.altKey ? Math.max(0, to - 1) : prevWord(this.ch, to);
    else if (e.key === "Home") to = 0;
    else if (e.key === "End") to = n;
    else return false;
    if (e.shiftKey) {
      if (this.anchor == null) this.anchor = this.pending && this.caret === this.pending[1]
        ? this.pending[0] : this.caret;
      this.caret = to;
      if (this.anchor === to) {
        this.pending = null;
        this.render("");
      } else this.choose(this.anchor, to, e.altKey);
    } else {
      this.caret = to;
      this.anchor = null;
      this.pending = null;
      this.render();
    }
    return true;
  }

  // One key: true when the widget used it (then nothing else gets it).
  key(e) {
    const k = e.key;
    const inText = e.target === this.el;
    if (e.ctrlKey || e.metaKey) {
      if (e.altKey) return false;
      const lower = k.toLowerCase();
      if (lower === "z") e.shiftKey ? this.redo() : this.undo();
      else if (lower === "y") this.redo();
      else return false;
      return true;
    }
    if (inText && this.moveCaret(e)) return true;
    if (e.altKey) return false;
    const onControl = e.target.closest && e.target.closest("button, a, summary");
    if (/^[1-9]$/.test(k) && this.labels.length) {
      const label = this.labels[Number(k) - 1];
      if (label === undefined) return false;
      this.use(label);
    } else if (k === "Enter" && this.pending && !onControl) this.tag(this.label);
    else if (k === "Escape" && (this.pending || this.selected)) {
      this.pending = null;
      this.anchor = null;
      this.select(null);
    } else if ((k === "Delete" || k === "Backspace") && !onControl) {
      const span = this.selected || (inText ? this.spanAt(this.caret) : null);
      if (!span) return false;
      this.remove(span);
    } else return false;
    return true;
  }
}

function typing(t) {
  if (!t || !t.tagName) return false;
  if (t.isContentEditable || t.tagName === "TEXTAREA" || t.tagName === "SELECT") return true;
  return t.tagName === "INPUT" && !["radio", "checkbox", "button", "submit"].includes(t.type);
}

function target() {
  if (active && active.root.isConnected && !active.readonly) return active;
  return [...live].find((w) => w.root.isConnected && !w.readonly && w.root.closest("[data-keys]"))
    || null;
}

function mountAll(scope) {
  for (const w of live) {
    if (!w.root.isConnected) {
      live.delete(w);
      if (active === w) active = null;
    }
  }
  if (!scope || !scope.querySelectorAll) return;
  const roots = [...scope.querySelectorAll("[data-span-tagger]")];
  if (scope.matches && scope.matches("[data-span-tagger]")) roots.push(scope);
  for (const root of roots) if (!root.ddTagger) new Tagger(root);
}

// Window, capture phase: before app.js (document) turns Enter into Submit and digits into
// its own keys, so Enter can label a selection first. A key the widget used goes no further.
window.addEventListener("keydown", (e) => {
  if (e.key === "Alt") altHeld = true;
  const w = target();
  if (!w || typing(e.target)) return;
  if (w.key(e)) {
    e.preventDefault();
    e.stopImmediatePropagation();
  }
}, true);
window.addEventListener("keyup", (e) => { if (e.key === "Alt") altHeld = false; }, true);
window.addEventListener("blur", () => { altHeld = false; });
document.addEventListener("pointerup", (e) => {
  for (const w of live) if (w.dragging) w.pointerUp(e);
});
document.addEventListener("selectionchange", () => {
  for (const w of live) if (!w.readonly && w.root.isConnected) w.selectionChanged();
});
document.addEventListener("htmx:load", (e) => mountAll(e.target));
document.addEventListener("htmx:historyRestore", () => mountAll(document));
mountAll(document);
