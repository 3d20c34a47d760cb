// Span tagging: what the worker's widget (widget.js) and the review cards (review.js) share.
//
// Offsets are Unicode CODE POINTS of the item's text (Python str indices), end exclusive.
// JS strings are UTF-16: an emoji such as 🎉 is one code point but two string units, so
// the text is held as an array of code points (Array.from) and every DOM position is
// turned into a code-point offset by counting code points, never string units.

export const PALETTE = [
  "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6",
  "#bfef45", "#fabed4", "#469990", "#dcbeff", "#9a6324", "#800000", "#aaffc3",
];

// Whitespace as Python's str.isspace sees it (the server trims spans with it).
const SPACE = /^[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/;
const PUNCT = /^\p{P}$/u;

export const isSpace = (ch) => SPACE.test(ch);
// A word is a run of characters that are neither whitespace nor punctuation: an English
// word, a Korean eojeol (어절: "서울에서"), a number, an emoji with its joiners.
export const isWord = (ch) => ch !== undefined && !SPACE.test(ch) && !PUNCT.test(ch);

export function readJson(root, name) {
  const holder = root.querySelector(`[data-json="${name}"] script`);
  if (!holder) return null;
  try {
    return JSON.parse(holder.textContent);
  } catch {
    return null;
  }
}

export function colorOf(label, labels, colors) {
  if (colors && typeof colors[label] === "string") return colors[label];
  const i = labels.indexOf(label);
  let h = 0;
  for (const ch of String(label)) h = (h * 31 + ch.codePointAt(0)) >>> 0;
  return PALETTE[(i >= 0 ? i : h) % PALETTE.length];
}

// Spans of an answer (or a result) that fit the text, as {start, end, label}.
export function spansOf(answer, n) {
  const list = answer && typeof answer === "object" && Array.isArray(answer.spans) ? answer.spans : [];
  return list
    .filter((s) => s && Number.isInteger(s.start) && Number.isInteger(s.end)
      && s.start >= 0 && s.start < s.end && s.end <= n)
    .map((s) => ({ start: s.start, end: s.end, label: String(s.label ?? "") }));
}

// Text order; of two spans starting together the longer (outer) first (as the server sorts).
export function byPosition(a, b) {
  return a.start - b.start || b.end - a.end || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
}

// [a, b) without whitespace at either end; null when nothing is left.
export function trim(ch, a, b) {
  while (a < b && isSpace(ch[a])) a++;
  while (b > a && isSpace(ch[b - 1])) b--;
  return a < b ? [a, b] : null;
}

// A selection snapped to whole words: an end inside a word moves to the word's edge, then
// whitespace and punctuation are dropped at both ends. `exact` (Alt held) only trims
// whitespace. Null when the selection holds nothing to mark.
export function snap(ch, a, b, exact) {
  if (a > b) [a, b] = [b, a];
  if (exact) return trim(ch, a, b);
  let s = a;
  let e = b;
  if (s > 0 && isWord(ch[s - 1]) && isWord(ch[s])) while (s > 0 && isWord(ch[s - 1])) s--;
  if (e < ch.length && isWord(ch[e - 1]) && isWord(ch[e])) while (e < ch.length && isWord(ch[e])) e++;
  let x = s;
  let y = e;
  while (x < y && !isWord(ch[x])) x++;
  while (y > x && !isWord(ch[y - 1])) y--;
  return x < y ? [x, y] : trim(ch, s, e); // punctuation alone: keep it
}

// Caret moves by word: to the end of the next word, to the start of the previous one.
export function nextWord(ch, i) {
  while (i < ch.length && !isWord(ch[i])) i++;
  while (i < ch.length && isWord(ch[i])) i++;
  return i;
}

export function prevWord(ch, i) {
  while (i > 0 && !isWord(ch[i - 1])) i--;
  while (i > 0 && isWord(ch[i - 1])) i--;
  return i;
}

// The code-point offset of a DOM position inside `el` (the text's container): the code
// points of the text before it. Clamped to the text when the position is outside `el`.
export function offsetAt(el, node, offset) {
  if (!el.contains(node)) {
    const before = el.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_PRECEDING;
    return before ? 0 : Array.from(el.textContent).length;
  }
  const range = document.createRange();
  range.setStart(el, 0);
  range.setEnd(node, offset);
  return Array.from(range.toString()).length;
}

// Draw the text with its spans into `el`: one <span data-s="start"> per stretch between span
// edges (the text nodes stay the text, nothing else, so offsets count right). A marked
// stretch takes the innermost span's colour (--c) and, when nested, the next outer one's
// (--c2); a span's label shows after its last stretch (CSS ::after, not text). `opts`:
// pending [a, b] (a selection to label), selected (a span), caret (an offset), colour(label).
export function draw(el, ch, spans, opts) {
  const edges = new Set([0, ch.length]);
  for (const s of spans) edges.add(s.start).add(s.end);
  if (opts.pending) edges.add(opts.pending[0]).add(opts.pending[1]);
  if (opts.caret != null) edges.add(opts.caret);
  const cuts = [...edges].filter((x) => x >= 0 && x <= ch.length).sort((a, b) => a - b);
  const ends = new Map();
  for (const s of spans) ends.set(s.end, [...(ends.get(s.end) || []), s]);
  const frag = document.createDocumentFragment();
  const sorted = [...spans].sort(byPosition);
  let open = []; // spans covering the current stretch
  let k = 0;
  for (let i = 0; i < cuts.length; i++) {
    const a = cuts[i];
    if (opts.caret === a) {
      const caret = document.createElement("span");
      caret.className = "dd-sp-caret";
      frag.append(caret);
    }
    if (i === cuts.length - 1) break;
    const b = cuts[i + 1];
    open = open.filter((s) => s.end > a);
    while (k < sorted.length && sorted[k].start <= a) {
      if (sorted[k].end > a) open.push(sorted[k]);
      k++;
    }
    const seg = document.createElement("span");
    seg.dataset.s = String(a);
    seg.textContent = ch.slice(a, b).join("");
    if (open.length) {
      const inner = [...open].sort((x, y) => (x.end - x.start) - (y.end - y.start));
      seg.className = "dd-sp-m";
      seg.style.setProperty("--c", opts.colour(inner[0].label));
      if (inner.length > 1) {
        seg.dataset.d = String(inner.length);
        seg.style.setProperty("--c2", opts.colour(inner[1].label));
      }
      if (opts.selected && open.includes(opts.selected)) seg.classList.add("dd-sp-on");
    }
    const closing = (ends.get(b) || []).filter((s) => open.includes(s));
    if (closing.length) {
      seg.classList.add("dd-sp-end");
      seg.dataset.tag = closing.map((s) => s.label).join(" · ");
    }
    if (opts.pending && a >= opts.pending[0] && b <= opts.pending[1]) seg.classList.add("dd-sp-sel");
    frag.append(seg);
  }
  el.replaceChildren(frag);
}
