// Writing kinds' widget: the worker writes QA pairs, a summary, a translation, a dialogue or
// sentences beside the source (datadam/kinds/text_writing/widget.html).
//
// An ES module: the browser runs it once per page however often htmx swaps the next task in,
// so the roots (.tw[data-writing]) are mounted on htmx:load. The model is a list of rows
// (one for a summary or translation); every change writes the answer as JSON into the
// hidden <input name="answer">, with meta {pastes, pasted_chars, keys, typed_ms}: the paste
// events in the fields and the characters they brought, the keystrokes in the fields (not
// the modifier keys alone; a Hangul syllable takes two or three) and the time spent typing
// (gaps between input events, each counted up to 2 s). The server judges them (rhythm.py).
// The counters and hints mirror the server's checks (script.py, checks.py) to help the
// worker; the server decides.

const KEY = { qa_pairs: "pairs", summary: "text", translation: "text", dialogue: "turns", sentences: "sentences" };
// Defaults of datadam/kinds/text_writing/config.py, for a config that lacks them (preview).
const DEFAULTS = {
  qa_pairs: { min_count: 1, max_count: 5, min_chars: 5, max_chars: 200, answer_min_chars: 1, answer_max_chars: 200 },
  summary: { min_chars: 20, max_chars: 500 },
  translation: { min_chars: 1, max_chars: 2000 },
  dialogue: { min_count: 2, max_count: 10, min_chars: 1, max_chars: 300, speakers: ["A", "B"] },
  sentences: { min_count: 1, max_count: 5, min_chars: 5, max_chars: 200 },
};
const LANGS = ["ko", "en", "ja", "zh"];
const GAP_MS = 2000;
const MODIFIERS = new Set(["Shift", "Control", "Alt", "AltGraph", "Meta", "OS", "Hyper", "Super", "CapsLock", "Fn", "FnLock", "NumLock", "ScrollLock", "Symbol", "SymbolLock"]);
const whole = (v) => (Number.isInteger(v) && v >= 0 ? v : 0);
const HINT_DELAY = 250;
const live = new Set();
let uid = 0;

// ---- the checks, as hints (script.py, checks.py) -------------------------------------------
const RANGES = {
  hangul: [[0x1100, 0x11ff], [0x3130, 0x318f], [0xa960, 0xa97f], [0xac00, 0xd7af], [0xd7b0, 0xd7ff], [0xffa0, 0xffdc]],
  kana: [[0x3040, 0x309f], [0x30a0, 0x30ff], [0x31f0, 0x31ff], [0xff66, 0xff9d]],
  han: [[0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xf900, 0xfaff], [0x20000, 0x3134f], [0x3005, 0x3007]],
  latin: [[0x41, 0x5a], [0x61, 0x7a], [0xc0, 0x24f], [0x1e00, 0x1eff], [0xff21, 0xff3a], [0xff41, 0xff5a]],
};
const within = (cp, ranges) => ranges.some(([lo, hi]) => cp >= lo && cp <= hi);

function scripts(text) {
  const c = { hangul: 0, kana: 0, han: 0, latin: 0, other: 0 };
  for (const ch of text.normalize("NFC")) {
    const cp = ch.codePointAt(0);
    if (within(cp, RANGES.hangul)) c.hangul++;
    else if (within(cp, RANGES.kana)) c.kana++;
    else if (within(cp, RANGES.han)) c.han++;
    else if (/\p{L}/u.test(ch)) within(cp, RANGES.latin) ? c.latin++ : c.other++;
  }
  return c;
}

export function languageShare(text, langs) {
  const c = scripts(text);
  const total = c.hangul + c.kana + c.han + 0.5 * (c.latin + c.other);
  if (total < 5) return null;
  const japanese = c.kana > 0 && c.kana >= 0.05 * (c.kana + c.han);
  let own = (langs.includes("ko") ? c.hangul : 0) + (langs.includes("en") ? 0.5 * c.latin : 0);
  if (langs.includes("ja") && japanese) own += c.kana + c.han;
  else if (langs.includes("zh") && !japanese) own += c.han;
  else if (langs.includes("ja")) own += c.kana;
  return Math.min(1, own / total);
}

const squeeze = (text) => Array.from(text.normalize("NFC").toLowerCase()).filter((ch) => /[\p{L}\p{N}]/u.test(ch));

function windowOf(text) {
  const c = scripts(text);
  return c.hangul + c.kana + c.han >= 0.5 * (c.latin + c.other) ? 8 : 16;
}

class Source {
  constructor(text) { this.chars = squeeze(text); this.sets = new Map(); }
  grams(n) {
    if (!this.sets.has(n)) {
      const set = new Set();
      for (let i = 0; i + n <= this.chars.length; i++) set.add(this.chars.slice(i, i + n).join(""));
      this.sets.set(n, set);
    }
    return this.sets.get(n);
  }
}

export function copiedShare(text, source) {
  const t = squeeze(text);
  const n = windowOf(text);
  if (t.length < n || source.chars.length < n) return 0;
  const grams = source.grams(n);
  const covered = new Uint8Array(t.length);
  for (let i = 0; i + n <= t.length; i++) if (grams.has(t.slice(i, i + n).join(""))) covered.fill(1, i, i + n);
  return covered.reduce((a, b) => a + b, 0) / t.length;
}

// ---- the widget -------------------------------------------------------------------------------
function readJson(root, name) {
  const el = root.querySelector(`[data-json="${name}"] script`);
  try { return el ? JSON.parse(el.textContent) : null; } catch { return null; }
}

const fill = (template, values) => String(template || "").replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));
const str = (v) => (typeof v === "string" ? v : "");

class Writing {
  constructor(root) {
    root.ddWriting = this;
    live.add(this);
    this.root = root;
    this.mode = KEY[root.dataset.writing] ? root.dataset.writing : "summary";
    this.cfg = { ...DEFAULTS[this.mode], ...(readJson(root, "config") || {}) };
    if (!Array.isArray(this.cfg.speakers) || !this.cfg.speakers.length) this.cfg.speakers = ["A", "B"];
    this.t = root.querySelector(".tw-strings")?.dataset || {};
    this.input = root.querySelector('input[name="answer"]');
    this.list = root.querySelector(".tw-rows");
    this.addButton = root.querySelector(".tw-add");
    this.status = root.querySelector(".tw-status");
    this.sourceText = root.querySelector(".tw-source-text")?.textContent || "";
    this.source = null; // built on the first copy hint
    this.timers = new Map();
    const answer = readJson(root, "answer");
    const meta = answer && typeof answer === "object" && answer.meta && typeof answer.meta === "object" ? answer.meta : {};
    this.pastes = whole(meta.pastes);
    this.pastedChars = whole(meta.pasted_chars);
    this.keys = whole(meta.keys);
    this.typedMs = whole(meta.typed_ms);
    this.lastInput = 0;
    this.rows = this.fromAnswer(answer);
    this.render();
    root.addEventListener("input", (ev) => this.onInput(ev));
    root.addEventListener("change", (ev) => this.onInput(ev));
    root.addEventListener("paste", (ev) => this.onPaste(ev));
    root.addEventListener("keydown", (ev) => { this.countKey(ev); this.onKey(ev); });
    root.addEventListener("click", (ev) => this.onClick(ev));
    if (root.hasAttribute("data-autofocus")) this.fields()[0]?.focus();
  }

  get counted() { return !["summary", "translation"].includes(this.mode); }
  get min() { return this.counted ? Math.max(1, Number(this.cfg.min_count) || 1) : 1; }
  get max() { return this.counted ? Math.max(this.min, Number(this.cfg.max_count) || 1) : 1; }

  // A new row after `rows` (a dialogue's next speaker takes turns after the last one).
  emptyRow(rows) {
    if (this.mode === "qa_pairs") return { question: "", answer: "" };
    if (this.mode === "dialogue") {
      const s = this.cfg.speakers;
      const last = rows.length ? s.indexOf(rows[rows.length - 1].speaker) : -1;
      return { speaker: s[(last + 1) % s.length], text: "" };
    }
    return { text: "" };
  }

  fromAnswer(answer) {
    const value = answer && typeof answer === "object" ? answer[KEY[this.mode]] : undefined;
    let rows = [];
    if (this.mode === "summary" || this.mode === "translation") rows = [{ text: str(value) }];
    else if (Array.isArray(value)) {
      rows = value.map((v) => {
        if (this.mode === "qa_pairs") return { question: str(v?.question), answer: str(v?.answer) };
        if (this.mode === "dialogue") return { speaker: str(v?.speaker) || this.cfg.speakers[0], text: str(v?.text) };
        return { text: str(v) };
      });
    }
    while (rows.length < this.min) rows.push(this.emptyRow(rows));
    return rows;
  }

  toAnswer() {
    const key = KEY[this.mode];
    let value;
    if (this.mode === "summary" || this.mode === "translation") value = this.rows[0].text;
    else if (this.mode === "sentences") value = this.rows.map((r) => r.text);
    else value = this.rows.map((r) => ({ ...r }));
    return { [key]: value, meta: { pastes: this.pastes, pasted_chars: this.pastedChars, keys: this.keys, typed_ms: Math.round(this.typedMs) } };
  }

  sync() { if (this.input) this.input.value = JSON.stringify(this.toAnswer()); }

  // Labels and limits of one field.
  limits(field) {
    if (field === "answer") return [Number(this.cfg.answer_min_chars) || 1, Number(this.cfg.answer_max_chars) || 200];
    return [Number(this.cfg.min_chars) || 1, Number(this.cfg.max_chars) || 200];
  }

  rowName(i) {
    const n = i + 1;
    if (this.mode === "qa_pairs") return fill(this.t.pair, { n });
    if (this.mode === "dialogue") return fill(this.t.turn, { n });
    if (this.mode === "sentences") return fill(this.t.sentence, { n });
    return this.t.text || "";
  }

  field(i, name, label, value, { lines }) {
    const id = `tw-${++uid}`;
    const wrap = document.createElement("div");
    wrap.className = "tw-field";
    const lab = document.createElement("label");
    lab.htmlFor = id;
    lab.textContent = label;
    const area = document.createElement("textarea");
    area.id = id;
    area.rows = lines ? 8 : 2;
    area.value = value;
    area.dataset.row = String(i);
    area.dataset.field = name;
    if (!lines) area.dataset.line = "";
    const lang = (this.cfg.target_languages || [])[0];
    if ((this.cfg.target_languages || []).length === 1 && LANGS.includes(lang)) area.lang = lang;
    const foot = document.createElement("div");
    foot.className = "tw-foot";
    foot.id = `${id}-foot`;
    foot.innerHTML = '<span class="tw-hint" aria-live="polite"></span><span class="tw-count"></span>';
    area.setAttribute("aria-describedby", foot.id);
    wrap.append(lab, area, foot);
    this.count(area);
    return wrap;
  }

  render() {
    const rows = this.rows.map((row, i) => {
      const box = document.createElement(this.counted ? "fieldset" : "div");
      box.className = this.counted ? "tw-row" : "tw-row tw-plain";
      box.dataset.row = String(i);
      const name = this.rowName(i);
      if (this.counted) {
        const legend = document.createElement("legend");
        legend.textContent = name;
        box.append(legend);
      }
      if (this.mode === "qa_pairs") {
        box.append(this.field(i, "question", this.t.question, row.question, {}),
          this.field(i, "answer", this.t.answer, row.answer, {}));
      } else if (this.mode === "dialogue") {
        const line = document.createElement("div");
        line.className = "tw-line";
        const select = document.createElement("select");
        select.dataset.row = String(i);
        select.dataset.field = "speaker";
        select.setAttribute("aria-label", `${name}: ${this.t.speaker || ""}`);
        for (const s of this.cfg.speakers) select.add(new Option(s, s, false, s === row.speaker));
        line.append(select, this.field(i, "text", name, row.text, {}));
        line.querySelector("label").className = "sr-only";
        box.append(line);
      } else {
        const f = this.field(i, "text", name, row.text, { lines: !this.counted });
        f.querySelector("label").className = "sr-only"; // the row's legend or the heading says it
        box.append(f);
      }
      if (this.counted) {
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "secondary tw-remove";
        remove.dataset.remove = String(i);
        remove.textContent = this.t.remove || "Remove";
        remove.setAttribute("aria-label", fill(this.t.removeLabel, { name }));
        remove.disabled = this.rows.length <= this.min;
        box.append(remove);
      }
      return box;
    });
    this.list.replaceChildren(...rows);
    if (this.addButton) this.addButton.disabled = this.rows.length >= this.max;
    this.showCount();
    for (const area of this.list.querySelectorAll("textarea")) this.hint(area);
    this.sync();
  }

  showCount(message) {
    if (!this.status) return;
    const parts = [];
    if (message) parts.push(message);
    if (this.counted) parts.push(fill(this.t.rows, { n: this.rows.length, min: this.min, max: this.max }));
    this.status.textContent = parts.join(" ");
  }

  fields() { return [...this.list.querySelectorAll("textarea")]; }

  count(area) {
    const target = area.closest(".tw-field")?.querySelector(".tw-count");
    if (!target) return;
    const text = area.dataset.line === undefined ? area.value.trim() : area.value.replace(/\s+/g, " ").trim();
    const n = Array.from(text.normalize("NFC")).length;
    const [min, max] = this.limits(area.dataset.field);
    let shown = fill(this.t.count, { n, max });
    if (n > 0 && n < min) shown += ` · ${fill(this.t.tooShort, { min })}`;
    if (n > max) shown += ` · ${this.t.tooLong || ""}`;
    target.textContent = shown;
    target.classList.toggle("tw-bad", n > max || (n > 0 && n < min));
  }

  hint(area) {
    const out = area.closest(".tw-field")?.querySelector(".tw-hint");
    if (!out) return;
    const text = area.value;
    const messages = [];
    const langs = (this.cfg.target_languages || []).filter((l) => LANGS.includes(l));
    if (langs.length && text.trim()) {
      const share = languageShare(text, langs);
      if (share !== null && share < 0.5) {
        const names = String(this.t.languages || "").split("|");
        const wanted = langs.map((l) => names[LANGS.indexOf(l)] || l).join(this.t.or || " / ");
        messages.push(fill(this.t.language, { languages: wanted }));
      }
    }
    const limit = Number(this.cfg.copy_limit ?? 0.5);
    if (limit < 1 && area.dataset.field !== "answer" && this.sourceText && text.trim()) {
      this.source ||= new Source(this.sourceText);
      const share = copiedShare(text, this.source);
      if (share > limit) messages.push(fill(this.t.copied, { share: `${Math.round(share * 100)}%` }));
    }
    const joined = messages.join(" ");
    if (out.textContent !== joined) out.textContent = joined;
  }

  onInput(ev) {
    const el = ev.target;
    if (!el.dataset || el.dataset.row === undefined) return;
    const row = this.rows[Number(el.dataset.row)];
    if (!row) return;
    row[el.dataset.field] = el.value;
    if (el.tagName === "TEXTAREA" && ev.type === "input") {
      const now = performance.now();
      if (this.lastInput) this.typedMs += Math.min(now - this.lastInput, GAP_MS);
      this.lastInput = now;
      this.count(el);
      clearTimeout(this.timers.get(el));
      this.timers.set(el, setTimeout(() => this.hint(el), HINT_DELAY));
    }
    this.sync();
  }

  add() {
    if (this.rows.length >= this.max) return;
    this.rows.push(this.emptyRow(this.rows));
    this.render();
    const i = this.rows.length - 1;
    this.list.querySelector(`textarea[data-row="${i}"]`)?.focus();
    this.showCount(fill(this.t.added, { name: this.rowName(i) }));
  }

  remove(i) {
    if (this.rows.length <= this.min) return;
    const name = this.rowName(i);
    this.rows.splice(i, 1);
    this.render();
    const next = this.list.querySelector(`textarea[data-row="${Math.min(i, this.rows.length - 1)}"]`);
    (next || this.addButton)?.focus();
    this.showCount(fill(this.t.removed, { name }));
  }

  onClick(ev) {
    const button = ev.target.closest("button");
    if (!button || !this.root.contains(button)) return;
    if (button.classList.contains("tw-add")) this.add();
    else if (button.dataset.remove !== undefined) this.remove(Number(button.dataset.remove));
  }

  onPaste(ev) {
    if (!ev.target.matches || !ev.target.matches("textarea")) return;
    this.pastes++;
    const text = ev.clipboardData ? ev.clipboardData.getData("text/plain") || ev.clipboardData.getData("text") : "";
    this.pastedChars += Array.from(text.normalize("NFC")).length; // code points, as the server counts
    this.sync();
  }

  // Every key press in a field counts (IME composition included), but a modifier alone.
  countKey(ev) {
    if (!ev.target.matches || !ev.target.matches("textarea") || MODIFIERS.has(ev.key)) return;
    this.keys++;
    this.sync(); // a key that changes nothing (an arrow, Tab) still counts
  }

  onKey(ev) {
    if (ev.isComposing || ev.keyCode === 229 || ev.key !== "Enter") return; // IME: Enter ends a syllable
    const area = ev.target;
    if (ev.ctrlKey || ev.metaKey) { // send from any field
      ev.preventDefault();
      this.sync();
      const form = this.root.closest("form");
      (form?.querySelector('[data-key="Enter"]') || form?.querySelector('[type="submit"]'))?.click();
      return;
    }
    if (area.tagName !== "TEXTAREA" || area.dataset.line === undefined || ev.shiftKey || ev.altKey) return;
    ev.preventDefault(); // one-line parts: Enter moves on
    const all = this.fields();
    const next = all[all.indexOf(area) + 1];
    if (next) next.focus();
    else this.add();
  }
}

function mountAll(scope) {
  for (const w of live) if (!w.root.isConnected) live.delete(w);
  if (!scope || !scope.querySelectorAll) return;
  const selector = ".tw[data-writing]:not([data-readonly])";
  const roots = [...scope.querySelectorAll(selector)];
  if (scope.matches && scope.matches(selector)) roots.push(scope);
  for (const root of roots) if (!root.ddWriting) new Writing(root);
}

mountAll(document);
document.addEventListener("htmx:load", (ev) => mountAll(ev.target));
