// What the server found in an uploaded take, as the capture widget (capture.js) shows it:
// each check passed (green), a warning (amber) or failed and refusing the take (red), with a
// mark and words as well as a colour; each near-duplicate side by side with this take.

const text = (v) => (typeof v === "string" ? v : "");

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

// The failed blocking checks' messages, for "This cannot be used: ...".
export function refusals(checks) {
  return checks.filter((c) => c && !c.passed && c.blocking).map((c) => text(c.message) || text(c.check)).join(" ");
}

export function showChecks(list, checks, t) {
  if (!list) return;
  list.replaceChildren(...checks.map((check) => {
    const result = check.passed ? "pass" : check.blocking ? "fail" : "warn";
    const message = text(check.message) || `${text(check.check)}: ${check.value ?? ""} (${check.limit ?? ""})`;
    const item = el("li", { className: "dd-cap-check" }, el("span", { className: "sr-only", textContent: `${t[result]}: ` }), message);
    item.dataset.check = text(check.check);
    item.dataset.result = result;
    return item;
  }));
}

// A photo (or a video's thumbnail), a video or a sound player, small.
function media(mode, url, thumb) {
  if (mode === "audio") return el("audio", { controls: true, preload: "none", src: url });
  if (mode === "photo" || thumb) return el("img", { src: thumb || url, alt: "" });
  return el("video", { controls: true, preload: "metadata", src: url, playsInline: true });
}

// mine: this take's URL (the local copy while the page holds it).
export function showDuplicates(box, duplicates, { mode, mine, t }) {
  if (!box) return;
  const pairs = duplicates.map((d) => el("div", { className: "dd-cap-pair" },
    el("figure", {}, media(mode, mine, ""), el("figcaption", { textContent: t.this })),
    el("figure", {}, media(mode, text(d.url), text(d.thumb_url)), el("figcaption", { textContent: t.before })),
    el("p", { className: "dd-cap-pair-note", textContent: text(d.message) })));
  box.replaceChildren(...(pairs.length ? [el("h4", { textContent: t.dups }), ...pairs] : []));
}
