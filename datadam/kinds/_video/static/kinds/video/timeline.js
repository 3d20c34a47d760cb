// The timeline under the video: drawing the spans, the playhead, the marks and the list, and
// the pointer on it (a click goes to a moment, a drag marks a span or moves a segment's
// edge, the picture following the pointer). Methods of Player (player.js), kept apart.
import { clamp, clock } from "./util.js";

export class TimelineMethods {
  pct(t) {
    return (100 * clamp(t, 0, this.duration || 1)) / (this.duration || 1);
  }

  spanEl(span) {
    const el = document.createElement("div");
    el.className = "dd-v-span" + (span.on ? " dd-on" : "");
    el.style.left = `${this.pct(span.start)}%`;
    el.style.width = `${Math.max(0.2, this.pct(span.end) - this.pct(span.start))}%`;
    el.style.setProperty("--c", this.colorOf(span.label));
    el.title = `${span.label} ${clock(span.start)}–${clock(span.end)}`;
    if (span.id !== undefined) el.dataset.id = span.id;
    return el;
  }

  render() {
    const lanes = this.mode.lanes();
    this.lanesEl.replaceChildren(...lanes.map((lane) => {
      const row = document.createElement("div");
      row.className = "dd-v-lane";
      if (lane.label) row.dataset.label = lane.label;
      row.append(...lane.spans.map((s) => this.spanEl(s)));
      return row;
    }));
    this.timeline.style.setProperty("--lanes", String(Math.max(1, lanes.length)));
    this.selEl.hidden = !this.sel;
    if (this.sel) {
      this.selEl.style.left = `${this.pct(this.sel.a)}%`;
      this.selEl.style.width = `${this.pct(this.sel.b) - this.pct(this.sel.a)}%`;
    }
    this.inEl.hidden = this.inPoint === null;
    if (this.inPoint !== null) this.inEl.style.left = `${this.pct(this.inPoint)}%`;
    this.drawHead(this.now);
    this.renderList();
    for (const b of this.root.querySelectorAll(".dd-v-label")) {
      b.setAttribute("aria-pressed", String(b.dataset.label === this.label));
      b.style.setProperty("--c", this.colorOf(b.dataset.label));
    }
    const act = (name) => this.root.querySelector(`[data-act="${name}"]`);
    if (act("undo")) act("undo").disabled = this.history.length < 2;
    if (act("redo")) act("redo").disabled = !this.future.length;
    if (act("loop")) {
      act("loop").disabled = !this.mode.loopSpan();
      act("loop").setAttribute("aria-pressed", String(Boolean(this.loop && this.mode.loopSpan())));
    }
    if (this.ready && !this.statusEl.classList.contains("dd-warn")) this.say(this.mode.status());
  }

  renderList() {
    const rows = this.mode.rows();
    this.listEl.replaceChildren(...rows.map((r) => {
      const li = document.createElement("li");
      li.className = "dd-v-row" + (r.on ? " dd-on" : "");
      li.style.setProperty("--c", this.colorOf(r.label));
      const pick = document.createElement("button");
      pick.type = "button";
      pick.className = "dd-v-pick";
      pick.dataset.pick = r.id;
      pick.setAttribute("aria-pressed", String(Boolean(r.on)));
      pick.textContent = `${r.label} · ${clock(r.start)}–${clock(r.end)}`;
      li.append(pick);
      if (!this.readonly) {
        const del = document.createElement("button");
        del.type = "button";
        del.className = "dd-v-del";
        del.dataset.del = r.id;
        del.textContent = "×";
        del.setAttribute("aria-label", this.t("delete", { name: pick.textContent }));
        li.append(del);
      }
      return li;
    }));
  }

  timeAt(clientX) {
    const r = this.lanesEl.parentElement.getBoundingClientRect();
    return clamp((clientX - r.left) / (r.width || 1), 0, 1) * (this.duration || 0);
  }

  onDown(e) {
    if (e.button !== 0) return;
    this.activate();
    const t = this.timeAt(e.clientX);
    const spanEl = e.target.closest(".dd-v-span");
    let grab = null;
    if (spanEl && !this.readonly && this.mode.grab) {
      const r = spanEl.getBoundingClientRect();
      const edge = e.clientX - r.left < 7 ? "start" : r.right - e.clientX < 7 ? "end" : null;
      if (edge) grab = this.mode.grab(spanEl.dataset.id, edge);
    }
    this.drag = { x0: e.clientX, t0: t, moved: false, grab, id: spanEl?.dataset.id };
    this.timeline.setPointerCapture?.(e.pointerId);
    e.preventDefault();
    this.timeline.focus({ preventScroll: true });
  }

  onMove(e) {
    const d = this.drag;
    if (!d) return;
    if (Math.abs(e.clientX - d.x0) > 4) d.moved = true;
    if (!d.moved) return;
    const t = this.timeAt(e.clientX);
    this.video.pause();
    this.seek(t); // the picture follows the pointer, to find the edge
    if (d.grab) this.mode.moveEdge(t);
    else if (!this.readonly) this.sel = { a: Math.min(d.t0, t), b: Math.max(d.t0, t) };
    this.render();
  }

  onUp(e) {
    const d = this.drag;
    this.drag = null;
    if (!d) return;
    const t = this.timeAt(e.clientX);
    if (!d.moved) {
      this.seek(t);
      this.mode.pick(d.id ?? null, t);
    } else if (d.grab) this.commit();
    else if (!this.readonly) {
      this.sel = null;
      this.mode.drag(Math.min(d.t0, t), Math.max(d.t0, t));
    }
    this.render();
  }
}
