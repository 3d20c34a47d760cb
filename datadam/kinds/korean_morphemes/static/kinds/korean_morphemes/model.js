// The Korean morpheme widget's model (widget.js draws it): tokens [{start, end, form, tag}]
// in text order, start/end code-point offsets of the morpheme's surface in the text (the
// text is an array of code points, not UTF-16 units); tokens sharing a span exactly are one
// contraction (했 = 하 + 었). Pure functions: no DOM.

export const isSpace = (ch) => (/\s/.test(ch) && ch !== "\ufeff") || "\x1c\x1d\x1e\x1f\x85".includes(ch);

export function eojeols(chars) {
  const out = [];
  let start = null;
  chars.forEach((ch, i) => {
    if (isSpace(ch)) { if (start !== null) { out.push([start, i]); start = null; } }
    else if (start === null) start = i;
  });
  if (start !== null) out.push([start, chars.length]);
  return out;
}

// The tag a character's script suggests (tags.py: script_tag), for text nobody analysed.
export function scriptTag(ch) {
  const c = ch.codePointAt(0);
  if (c >= 0xac00 && c <= 0xd7a3) return "NNG";
  if (/\p{Nd}/u.test(ch)) return "SN";
  if (/[A-Za-z]/.test(ch)) return "SL";
  if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf)) return "SH";
  if (".?!".includes(ch)) return "SF";
  if (",·:;/".includes(ch)) return "SP";
  if ("([{<«“‘「『〈《".includes(ch)) return "SSO";
  if (")]}>»”’」』〉》".includes(ch)) return "SSC";
  if ("\"'".includes(ch)) return "SS";
  if (ch === "…") return "SE";
  if ("-~–—".includes(ch)) return "SO";
  if (/\p{L}/u.test(ch)) return "SL";
  return "SW";
}

// Whether two characters belong to one run: the same script (letters, digits, Hangul,
// Chinese characters), or the same symbol repeated.
function sameRun(a, b) {
  const tag = scriptTag(a);
  return tag === scriptTag(b) && (["NNG", "SN", "SL", "SH"].includes(tag) || a === b);
}

// Each eojeol cut into runs (sameRun): 2024년에 → 2024 | 년에, 말?! → 말 | ? | !.
export function byScript(chars) {
  const tokens = [];
  for (const [s, e] of eojeols(chars)) {
    let start = s;
    for (let i = s + 1; i <= e; i++) {
      if (i === e || !sameRun(chars[start], chars[i])) {
        const form = chars.slice(start, i).join("");
        tokens.push({ start, end: i, form, tag: scriptTag(chars[start]) });
        start = i;
      }
    }
  }
  return tokens;
}

export function validTokens(value, n) {
  return Array.isArray(value) && value.length > 0 && value.every((t) => t && typeof t === "object" &&
    Number.isInteger(t.start) && Number.isInteger(t.end) && t.start >= 0 && t.start < t.end &&
    t.end <= n && typeof t.form === "string" && typeof t.tag === "string");
}

// --- Edits: each returns {tokens, sel} (a new list; the old one is left as it was) --------

// [first, last] indices of the tokens sharing token i's span (a contraction).
export function groupOf(tokens, i) {
  const t = tokens[i];
  let a = i, b = i;
  while (a > 0 && tokens[a - 1].start === t.start && tokens[a - 1].end === t.end) a--;
  while (b + 1 < tokens.length && tokens[b + 1].start === t.start && tokens[b + 1].end === t.end) b++;
  return [a, b];
}

// Whether token i has a next morpheme in the same word (touching it, or sharing its span).
export function hasNext(tokens, i) {
  const next = tokens[i + 1];
  return !!next && next.start <= tokens[i].end;
}

export function withTag(tokens, i, tag) {
  return { tokens: tokens.map((t, k) => (k === i ? { ...t, tag } : t)), sel: i };
}

// The form as typed: "하+었" makes token i's span hold two morphemes (a contraction), each
// keeping its tag for the worker to change. Null when nothing usable was typed.
export function withForm(tokens, i, value) {
  let parts = value.split("+").map((p) => p.replace(/\s+/g, "").normalize("NFC"));
  parts = parts.every((p) => !p) ? [value.replace(/\s+/g, "")] : parts.filter(Boolean);
  if (!parts.length || !parts[0]) return null;
  const t = tokens[i];
  const made = parts.map((form) => ({ start: t.start, end: t.end, form, tag: t.tag }));
  return { tokens: [...tokens.slice(0, i), ...made, ...tokens.slice(i + 1)], sel: i };
}

// Split token i's span after its k-th character. A single morpheme becomes two, each with
// the text of its part as form (or its part of the form, when the form is as long as the
// text); a contraction's morphemes are shared out between the parts, in proportion.
export function splitAt(tokens, chars, i, k) {
  const [a, b] = groupOf(tokens, i);
  const t = tokens[i];
  const cut = t.start + k;
  if (k <= 0 || cut >= t.end) return null;
  const members = tokens.slice(a, b + 1);
  let left, right;
  if (members.length === 1) {
    const form = Array.from(t.form);
    const even = form.length === t.end - t.start;
    const part = (s, e, fs, fe) => (even ? form.slice(fs, fe) : chars.slice(s, e)).join("");
    left = [{ start: t.start, end: cut, form: part(t.start, cut, 0, k), tag: t.tag }];
    right = [{ start: cut, end: t.end, form: part(cut, t.end, k, form.length), tag: t.tag }];
  } else {
    const m = members.length;
    const n = Math.max(1, Math.min(m - 1, Math.round((m * k) / (t.end - t.start))));
    left = members.slice(0, n).map((x) => ({ ...x, start: t.start, end: cut }));
    right = members.slice(n).map((x) => ({ ...x, start: cut, end: t.end }));
  }
  return { tokens: [...tokens.slice(0, a), ...left, ...right, ...tokens.slice(b + 1)],
    sel: a + left.length };
}

// Merge token i with the next morpheme of its word: one form, token i's tag; when their
// spans differ, both spans (and any morphemes sharing them) become one.
export function mergeNext(tokens, i) {
  if (!hasNext(tokens, i)) return null;
  const t = tokens[i], u = tokens[i + 1];
  const joined = { ...t, form: (t.form + u.form).normalize("NFC") };
  if (t.start === u.start && t.end === u.end) {
    return { tokens: [...tokens.slice(0, i), joined, ...tokens.slice(i + 2)], sel: i };
  }
  const [a] = groupOf(tokens, i);
  const [, b] = groupOf(tokens, i + 1);
  const merged = [...tokens.slice(a, i), joined, ...tokens.slice(i + 2, b + 1)]
    .map((x) => ({ ...x, start: t.start, end: u.end }));
  return { tokens: [...tokens.slice(0, a), ...merged, ...tokens.slice(b + 1)], sel: i };
}
