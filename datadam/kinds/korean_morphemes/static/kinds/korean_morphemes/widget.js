// Korean morphemes: the worker corrects an automatic morpheme analysis of one sentence.
//
// widget.html renders a root <div data-km> holding the text, the item's analysis and the
// answer (if any) as JSON, the hidden <input name="answer">, the editor and the tag set. This
// module runs once per page however often htmx swaps the next task in (the browser keeps one
// copy per URL): it mounts every root on load and on htmx:load; listeners live on the roots.
//
// The model is the answer itself, tokens [{start, end, form, tag}]; model.js has the edits.
// Each eojeol (whitespace-separated word) shows its text and its morphemes as chips; the
// selected chip's tag, form and split points are edited below. Undo and redo keep snapshots.

import { byScript, eojeols, groupOf, hasNext, mergeNext, splitAt, validTokens, withForm,
  withTag } from "./model.js";

const HISTORY_MAX = 200;
let counter = 0;

function readJson(root, name) {
  const el = root.querySelector(`[data-json="${name}"] script`);
  if (!el) return null;
  try { return JSON.parse(el.textContent); } catch { return null; }
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));
}

class Widget {
  constructor(root) {
    root.ddKm = this;
    this.root = root;
    this.id = `km${++counter}`;
    this.readonly = root.hasAttribute("data-readonly");
    this.text = String(readJson(root, "text") ?? "");
    this.chars = Array.from(this.text);
    this.words = eojeols(this.chars);
    const auto = readJson(root, "auto");
    const answer = readJson(root, "answer");
    this.analysed = validTokens(auto, this.chars.length);
    this.start = this.analysed ? auto : byScript(this.chars);
    const pre = answer && validTokens(answer.tokens, this.chars.length) ? answer.tokens : this.start;
    this.tokens = pre.map(({ start, end, form, tag, score }) =>
      (score === undefined ? { start, end, form, tag } : { start, end, form, tag, score }));
    this.sel = null;
    this.history = [];
    this.future = [];
    this.strings = { ...(root.querySelector(".km-strings")?.dataset || {}) };
    this.tagDefs = [...root.querySelectorAll(".km-tagdefs li")].map((li) => ({
      tag: li.dataset.tag, ko: li.dataset.ko, name: li.textContent.trim() }));
    this.tagNames = Object.fromEntries(this.tagDefs.map((d) => [d.tag, d.name]));
    this.el = {
      words: root.querySelector(".km-words"),
      input: root.querySelector('input[name="answer"]'),
      edit: root.querySelector(".km-edit"),
      status: root.querySelector(".km-status"),
      tag: root.querySelector(".km-tag"),
      list: root.querySelector(".km-list"),
      form: root.querySelector(".km-form"),
      split: root.querySelector(".km-split"),
      merge: root.querySelector('[data-act="merge"]'),
      undo: root.querySelector('[data-act="undo"]'),
      redo: root.querySelector('[data-act="redo"]'),
      note: root.querySelector(".km-note"),
    };
    if (!this.readonly) this.listen();
    if (this.el.note) this.el.note.hidden = this.analysed || !!(answer && answer.tokens);
    this.render();
    // The task page may focus [data-autofocus] (htmx:afterSwap) before htmx:load mounts this.
    if (!this.readonly && document.activeElement === this.el.words) this.focusChip(0);
  }

  // --- the model (edits in model.js) -------------------------------------------------------
  group(i) { return groupOf(this.tokens, i); }

  hasNext(i) { return hasNext(this.tokens, i); }

  apply(change) {
    if (change) this.commit(change.tokens, change.sel);
    return change;
  }

  commit(tokens, sel) {
    this.history.push({ tokens: this.tokens, sel: this.sel });
    if (this.history.length > HISTORY_MAX) this.history.shift();
    this.future = [];
    this.tokens = tokens;
    this.sel = sel;
    this.render();
  }

  undo() {
    if (!this.history.length) return;
    this.future.push({ tokens: this.tokens, sel: this.sel });
    ({ tokens: this.tokens, sel: this.sel } = this.history.pop());
    this.render();
  }

  redo() {
    if (!this.future.length) return;
    this.history.push({ tokens: this.tokens, sel: this.sel });
    ({ tokens: this.tokens, sel: this.sel } = this.future.pop());
    this.render();
  }

  setTag(i, tag) {
    if (this.tokens[i].tag !== tag) this.apply(withTag(this.tokens, i, tag));
  }

  // How many morphemes the typed form made (0: nothing usable typed).
  setForm(i, value) {
    const change = withForm(this.tokens, i, value);
    if (!change) return 0;
    const made = change.tokens.length - this.tokens.length + 1;
    if (made > 1 || change.tokens[i].form !== this.tokens[i].form) this.apply(change);
    return made;
  }

  split(i, k) { this.apply(splitAt(this.tokens, this.chars, i, k)); }

  merge(i) { this.apply(mergeNext(this.tokens, i)); }

  reset() {
    this.commit(this.start.map(({ start, end, form, tag }) => ({ start, end, form, tag })), 0);
  }

  // --- the view -----------------------------------------------------------------------------
  render() {
    const focused = this.root.contains(document.activeElement) &&
      document.activeElement.classList.contains("km-chip");
    const frag = document.createDocumentFragment();
    let i = 0;
    this.words.forEach(([s, e], n) => {
      const word = document.createElement("div");
      word.className = "km-word";
      word.setAttribute("role", "group");
      const text = this.chars.slice(s, e).join("");
      word.setAttribute("aria-label", fill(this.strings.word || "{text}", { n: n + 1, text }));
      const surf = document.createElement("div");
      surf.className = "km-surface";
      surf.textContent = text;
      const chips = document.createElement("div");
      chips.className = "km-chips";
      while (i < this.tokens.length && this.tokens[i].start < e) {
        const [, b] = this.group(i);
        const holder = b > i ? document.createElement("span") : chips;
        if (b > i) {
          holder.className = "km-group";
          holder.title = this.strings.group || "";
          chips.append(holder);
        }
        for (; i <= b; i++) holder.append(this.chip(i));
      }
      word.append(surf, chips);
      frag.append(word);
    });
    this.el.words.replaceChildren(frag);
    if (this.readonly) return;
    this.el.input.value = JSON.stringify({ tokens: this.tokens.map(({ start, end, form, tag }) =>
      ({ start, end, form, tag })) });
    this.el.undo.disabled = !this.history.length;
    this.el.redo.disabled = !this.future.length;
    this.showEditor();
    if (focused) this.focusChip(this.sel ?? 0);
  }

  chip(i) {
    const t = this.tokens[i];
    const el = document.createElement(this.readonly ? "span" : "button");
    el.className = "km-chip";
    el.dataset.i = String(i);
    if (!this.readonly) {
      el.type = "button";
      el.tabIndex = i === (this.sel ?? 0) ? 0 : -1;
      el.setAttribute("aria-pressed", String(i === this.sel));
    }
    if (typeof t.score === "number" && t.score < 0.5) el.classList.add("km-low");
    const f = document.createElement("span");
    f.className = "km-f";
    f.textContent = t.form;
    const g = document.createElement("span");
    g.className = "km-t";
    g.textContent = t.tag;
    el.title = `${t.form}/${t.tag} ${this.tagNames[t.tag] || ""}${typeof t.score === "number" ? ` (${t.score})` : ""}`;
    el.append(f, g);
    return el;
  }

  showEditor() {
    const i = this.sel;
    this.el.edit.hidden = i === null;
    if (i === null) return;
    const t = this.tokens[i];
    const [a, b] = this.group(i);
    let status = fill(this.strings.morpheme || "{form}/{tag}", { n: i + 1,
      total: this.tokens.length, form: t.form, tag: t.tag, name: this.tagNames[t.tag] || t.tag });
    if (b > a) {
      const others = this.tokens.slice(a, b + 1).filter((_x, k) => a + k !== i)
        .map((x) => `${x.form}/${x.tag}`).join(", ");
      status += ` · ${fill(this.strings.shared || "", { others })}`;
    }
    this.el.status.textContent = status;
    if (document.activeElement !== this.el.tag) this.el.tag.value = t.tag;
    if (document.activeElement !== this.el.form) this.el.form.value = t.form;
    this.el.merge.disabled = !this.hasNext(i);
    const chars = this.chars.slice(t.start, t.end);
    const parts = [];
    chars.forEach((ch, k) => {
      const c = document.createElement("span");
      c.className = "km-char";
      c.textContent = ch;
      parts.push(c);
      if (k < chars.length - 1) {
        const gap = document.createElement("button");
        gap.type = "button";
        gap.className = "km-gap";
        gap.dataset.k = String(k + 1);
        gap.setAttribute("aria-label", fill(this.strings.splitAfter || "{char}", { char: ch }));
        gap.innerHTML = k < 9 ? `<kbd>${k + 1}</kbd>` : "|";
        parts.push(gap);
      }
    });
    if (chars.length < 2) {
      const none = document.createElement("span");
      none.className = "muted";
      none.textContent = ` ${this.strings.splitNone || ""}`;
      parts.push(none);
    }
    this.el.split.replaceChildren(...parts);
  }

  chipEl(i) { return this.el.words.querySelector(`.km-chip[data-i="${i}"]`); }

  focusChip(i) {
    const el = this.chipEl(Math.max(0, Math.min(i, this.tokens.length - 1)));
    if (el) el.focus();
  }

  select(i) {
    if (i < 0 || i >= this.tokens.length) return;
    this.sel = i;
    for (const el of this.el.words.querySelectorAll(".km-chip")) {
      const mine = Number(el.dataset.i) === i;
      el.tabIndex = mine ? 0 : -1;
      el.setAttribute("aria-pressed", String(mine));
    }
    this.showEditor();
  }

  // --- the tag list (a combobox: type to filter, arrows, Enter) ------------------------------
  matches(query) {
    const q = query.trim().toLowerCase();
    if (!q) return this.tagDefs;
    const byCode = this.tagDefs.filter((d) => d.tag.toLowerCase().startsWith(q));
    const byName = this.tagDefs.filter((d) => !byCode.includes(d) &&
      (d.ko.includes(q) || d.name.toLowerCase().includes(q)));
    return [...byCode, ...byName];
  }

  openTags(query) {
    if (this.sel === null) return;
    const { tag, list } = this.el;
    this.opening = true; // the focus listener opens the list when focus comes another way
    tag.focus();
    this.opening = false;
    tag.value = query;
    if (query) tag.setSelectionRange(query.length, query.length); else tag.select();
    this.filter(query ? 0 : Math.max(0, this.tagDefs.findIndex((d) => d.tag === this.tokens[this.sel].tag)));
    list.hidden = false;
    tag.setAttribute("aria-expanded", "true");
  }

  filter(active = 0) {
    const { tag, list } = this.el;
    this.options = this.matches(tag.value);
    this.active = Math.min(active, this.options.length - 1);
    list.id = `${this.id}-list`;
    tag.setAttribute("aria-controls", list.id);
    const items = this.options.map((d, k) => {
      const li = document.createElement("li");
      li.id = `${this.id}-o${k}`;
      li.setAttribute("role", "option");
      li.dataset.tag = d.tag;
      li.setAttribute("aria-selected", String(k === this.active));
      li.innerHTML = "<b></b> <span lang=\"ko\"></span> <span class=\"muted\"></span>";
      li.children[0].textContent = d.tag;
      li.children[1].textContent = d.ko;
      li.children[2].textContent = d.name;
      return li;
    });
    if (!items.length) {
      const li = document.createElement("li");
      li.className = "muted";
      li.textContent = this.strings.noMatch || "";
      items.push(li);
    }
    list.replaceChildren(...items);
    this.moveActive(0);
  }

  moveActive(step) {
    if (!this.options.length) { this.el.tag.removeAttribute("aria-activedescendant"); return; }
    this.active = (this.active + step + this.options.length) % this.options.length;
    this.el.list.querySelectorAll("[role=option]").forEach((li, k) =>
      li.setAttribute("aria-selected", String(k === this.active)));
    const li = this.el.list.children[this.active];
    this.el.tag.setAttribute("aria-activedescendant", li.id);
    li.scrollIntoView({ block: "nearest" });
  }

  closeTags(back) {
    this.el.list.hidden = true;
    this.el.tag.setAttribute("aria-expanded", "false");
    this.el.tag.removeAttribute("aria-activedescendant");
    if (this.sel !== null) this.el.tag.value = this.tokens[this.sel].tag;
    if (back) this.focusChip(this.sel ?? 0);
  }

  pick(tag) {
    const i = this.sel;
    this.closeTags(false);
    this.setTag(i, tag);
    this.showEditor();
    this.focusChip(i);
  }

  // --- events -------------------------------------------------------------------------------
  listen() {
    const root = this.root;
    root.addEventListener("focusin", (ev) => {
      const chip = ev.target.closest(".km-chip");
      if (chip && Number(chip.dataset.i) !== this.sel) this.select(Number(chip.dataset.i));
    });
    root.addEventListener("mousedown", (ev) => {
      if (ev.target.closest(".km-list")) ev.preventDefault(); // keep the typing in the field
    });
    root.addEventListener("click", (ev) => {
      const option = ev.target.closest(".km-list [role=option]");
      if (option) { this.pick(option.dataset.tag); return; }
      const chip = ev.target.closest(".km-chip");
      if (chip) { this.select(Number(chip.dataset.i)); this.openTags(""); return; }
      const gap = ev.target.closest(".km-gap");
      if (gap && this.sel !== null) { this.split(this.sel, Number(gap.dataset.k)); this.focusChip(this.sel); return; }
      const act = ev.target.closest("[data-act]")?.dataset.act;
      if (act === "undo") this.undo();
      else if (act === "redo") this.redo();
      else if (act === "reset") this.reset();
      else if (act === "merge" && this.sel !== null) { this.merge(this.sel); this.focusChip(this.sel); }
    });
    root.addEventListener("keydown", (ev) => this.onKey(ev));
    // The task page focuses [data-autofocus] (the words) when the next task comes in.
    this.el.words.addEventListener("focus", () => this.focusChip(this.sel ?? 0));
    this.el.tag.addEventListener("input", () => { this.filter(0); this.el.list.hidden = false; });
    this.el.tag.addEventListener("focus", () => {
      if (!this.opening && this.el.list.hidden) this.openTags("");
    });
    this.el.tag.addEventListener("blur", () => setTimeout(() => {
      if (document.activeElement !== this.el.tag) this.closeTags(false);
    }, 0));
    // A form typed is applied by Enter, or when the field is left (to the morpheme that was
    // selected when the typing began).
    this.el.form.addEventListener("focus", () => { this.formAt = this.sel; this.formDirty = false; });
    this.el.form.addEventListener("input", () => { this.formDirty = true; });
    this.el.form.addEventListener("blur", () => {
      if (this.formDirty && this.formAt !== null) {
        this.formDirty = false;
        this.setForm(this.formAt, this.el.form.value);
      }
    });
  }

  onKey(ev) {
    const t = ev.target;
    const mod = ev.ctrlKey || ev.metaKey;
    if (t === this.el.tag) return this.onTagKey(ev);
    if (t === this.el.form) return this.onFormKey(ev);
    if (t.tagName === "INPUT" || t.tagName === "TEXTAREA") return;
    const key = ev.key;
    let done = true;
    if (mod && !ev.altKey && (key === "z" || key === "Z") && !ev.shiftKey) this.undo();
    else if (mod && !ev.altKey && ((key === "z" || key === "Z") && ev.shiftKey || key === "y")) this.redo();
    else if (!t.classList.contains("km-chip") || mod || ev.altKey) done = false;
    else {
      const i = Number(t.dataset.i);
      const span = this.tokens[i].end - this.tokens[i].start;
      if (key === "ArrowRight" || key === "ArrowDown") this.focusChip(i + 1);
      else if (key === "ArrowLeft" || key === "ArrowUp") this.focusChip(i - 1);
      else if (key === "Home") this.focusChip(0);
      else if (key === "End") this.focusChip(this.tokens.length - 1);
      else if (key === "Enter" || key === " ") this.openTags("");
      else if (key === "+" || key === "=") { this.merge(i); this.focusChip(this.sel); }
      else if (/^[1-9]$/.test(key)) { if (Number(key) < span) { this.split(i, Number(key)); this.focusChip(this.sel); } }
      else if (key === "F2") { this.el.form.focus(); this.el.form.select(); }
      else if (key === "Escape") { this.root.tabIndex = -1; this.root.focus(); }
      else if (key.length === 1 && key.trim()) this.openTags(key);
      else done = false;
    }
    if (done) { ev.preventDefault(); ev.stopPropagation(); }
  }

  onTagKey(ev) {
    const key = ev.key;
    if (key === "ArrowDown" || key === "ArrowUp") {
      if (this.el.list.hidden) this.openTags(this.el.tag.value);
      else this.moveActive(key === "ArrowDown" ? 1 : -1);
    } else if (key === "Enter") {
      const exact = this.tagDefs.find((d) => d.tag === this.el.tag.value.trim().toUpperCase());
      const chosen = !this.el.list.hidden && this.options[this.active];
      if (chosen) this.pick(chosen.tag);
      else if (exact) this.pick(exact.tag);
    } else if (key === "Escape") this.closeTags(true);
    else if (key === "Tab") { this.closeTags(false); return; }
    else return;
    ev.preventDefault();
    ev.stopPropagation();
  }

  onFormKey(ev) {
    if (ev.key === "Enter") {
      const i = this.formAt ?? this.sel;
      this.formDirty = false;
      const made = this.setForm(i, this.el.form.value);
      if (made > 1) { this.select(i + 1); this.openTags(""); } else this.focusChip(i);
    } else if (ev.key === "Escape") {
      this.formDirty = false;
      this.el.form.value = this.tokens[this.sel].form;
      this.focusChip(this.sel);
    } else return;
    ev.preventDefault();
    ev.stopPropagation();
  }
}

function mountAll(scope) {
  if (!scope || !scope.querySelectorAll) return;
  const roots = [...scope.querySelectorAll("[data-km]")];
  if (scope.matches && scope.matches("[data-km]")) roots.push(scope);
  for (const root of roots) if (!root.ddKm) new Widget(root);
}

mountAll(document);
document.addEventListener("htmx:load", (ev) => mountAll(ev.detail && ev.detail.elt));
