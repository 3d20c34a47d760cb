// Span tagging on review cards (and wherever review.html shows an answer or a result): the
// text drawn with its spans in the label colours. Runs once per page; draws every card not
// drawn yet now and on htmx:load (cards swapped in).
import { colorOf, draw, readJson, spansOf } from "./text.js";

function drawAll(scope) {
  if (!scope || !scope.querySelectorAll) return;
  const cards = [...scope.querySelectorAll("[data-span-review]")];
  if (scope.matches && scope.matches("[data-span-review]")) cards.push(scope);
  for (const card of cards) {
    if (card.ddDrawn) continue;
    card.ddDrawn = true;
    const text = readJson(card, "text");
    if (typeof text !== "string") continue;
    const config = readJson(card, "config") || {};
    const labels = Array.isArray(config.labels) ? config.labels.map(String) : [];
    const colour = (label) => colorOf(label, labels, config.colors);
    const ch = Array.from(text);
    draw(card.querySelector(".dd-sp-text"), ch, spansOf(readJson(card, "answer"), ch.length),
      { colour });
    for (const chip of card.querySelectorAll(".dd-sp-chip[data-label]")) {
      chip.style.setProperty("--c", colour(chip.dataset.label));
    }
  }
}

document.addEventListener("htmx:load", (e) => drawAll(e.target));
drawAll(document);
