// The camera, the microphone and the upload for the capture widget (capture.js): small
// functions over the browser's media APIs that know nothing of the widget's page.

// Recorder formats, best first: Opus in WebM where the browser has it (Chromium, Firefox),
// MP4 (Safari) otherwise.
const TYPES = {
  audio: ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4", "audio/webm"],
  video: ["video/webm;codecs=vp9,opus", "video/webm;codecs=vp8,opus", "video/webm", "video/mp4"],
};

export const clock = (s) => `${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, "0")}`;
const positive = (v) => (Number.isFinite(Number(v)) && Number(v) > 0 ? Number(v) : 0);
const extension = (type) => (/mp4/.test(type) ? (type.startsWith("audio") ? "m4a" : "mp4") : /ogg/.test(type) ? "ogg" : "webm");

// What getUserMedia is asked for: a photo at up to 1920 px wide (more when the project wants
// more), a clip at 1280×720 with sound, or the microphone alone. A chosen camera (Switch
// camera) is asked for by its id, else the project's facing.
export function constraints(mode, cfg, deviceId) {
  if (mode === "audio") return { audio: true };
  const video = deviceId ? { deviceId: { exact: deviceId } }
    : { facingMode: cfg.facing === "environment" ? "environment" : "user" };
  video.width = { ideal: Math.max(mode === "photo" ? 1920 : 1280, positive(cfg.min_width)) };
  if (mode === "video") video.height = { ideal: Math.max(720, positive(cfg.min_height)) };
  return { video, audio: mode === "video" };
}

export async function cameraIds() {
  try {
    const devices = await navigator.mediaDevices.enumerateDevices();
    return devices.filter((d) => d.kind === "videoinput" && d.deviceId).map((d) => d.deviceId);
  } catch {
    return [];
  }
}

// Why the camera or microphone could not be had, as the key of the widget's message.
export function deviceProblem(err) {
  const name = err?.name || "";
  if (name === "NotAllowedError" || name === "SecurityError") return "denied";
  if (name === "NotFoundError" || name === "OverconstrainedError") return "missing";
  if (name === "NotReadableError" || name === "AbortError") return "busy";
  return "unsupported";
}

// A live level meter: the input's loudness (RMS, -60 to 0 dBFS) as the width of the meter's
// bar. Returns what stops it; resume() after a click (browsers start audio suspended).
export function levelMeter(stream, meter) {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context || !meter) return { stop() {}, resume() {} };
  let context;
  let frame = 0;
  try {
    context = new Context();
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const bar = meter.firstElementChild;
    let shown = -1;
    const draw = () => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const v of samples) sum += v * v;
      const level = Math.max(0, Math.min(1, (10 * Math.log10(sum / samples.length || 1e-12) + 60) / 60));
      bar.style.transform = `scaleX(${level})`;
      const percent = Math.round(level * 10) * 10;
      if (percent !== shown) meter.setAttribute("aria-valuenow", String((shown = percent)));
      frame = requestAnimationFrame(draw);
    };
    draw();
  } catch {
    return { stop() {}, resume() {} };
  }
  return {
    stop() { cancelAnimationFrame(frame); context.close().catch(() => {}); },
    resume() { context.resume?.().catch(() => {}); },
  };
}

// The video element's current frame at the track's full size, as a JPEG.
export function snapshot(video) {
  if (!video?.videoWidth) return Promise.resolve(null);
  const canvas = document.createElement("canvas");
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
  return new Promise((done) => canvas.toBlob(done, "image/jpeg", 0.92));
}

// Record the stream until stop() or max seconds; onTick(seconds) about five times a second,
// onDone({blob, name, seconds}) once stopped. cancel() drops the recording.
export function record(stream, mode, { max, onTick, onDone }) {
  const type = TYPES[mode].find((t) => MediaRecorder.isTypeSupported(t)) || "";
  const recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
  const chunks = [];
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  let ticker = 0;
  const stop = () => { if (recorder.state === "recording") recorder.stop(); };
  recorder.ondataavailable = (ev) => { if (ev.data.size) chunks.push(ev.data); };
  recorder.onstop = () => {
    clearInterval(ticker);
    const blob = new Blob(chunks, { type: recorder.mimeType || type || `${mode}/webm` });
    onDone({ blob, name: `recording.${extension(blob.type)}`, seconds: elapsed() });
  };
  recorder.start(250);
  const tick = () => {
    const seconds = elapsed();
    onTick(seconds);
    if (max && seconds >= max) stop();
  };
  tick();
  ticker = setInterval(tick, 200);
  return {
    stop,
    cancel() {
      clearInterval(ticker);
      recorder.ondataavailable = null;
      recorder.onstop = null;
      if (recorder.state !== "inactive") recorder.stop();
    },
  };
}

function csrfToken(form) {
  const field = form?.querySelector("input[name=csrfmiddlewaretoken]");
  if (field) return field.value;
  const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return m ? decodeURIComponent(m[1]) : "";
}

// POST the take (multipart: file, source, consent) with the session and its CSRF token.
// Resolves to {status, data} (data: the JSON answer, or null); rejects on a network error.
export function upload(url, { blob, name, source, consent, form }, onProgress) {
  const body = new FormData();
  body.append("file", blob, name);
  body.append("source", source);
  if (consent) body.append("consent", String(consent));
  const xhr = new XMLHttpRequest();
  const done = new Promise((resolve, reject) => {
    xhr.upload.onprogress = (ev) => { if (ev.lengthComputable) onProgress(Math.round((100 * ev.loaded) / ev.total)); };
    xhr.onload = () => {
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch { data = null; }
      resolve({ status: xhr.status, data });
    };
    xhr.onerror = () => reject(new Error("network"));
    xhr.onabort = () => reject(new Error("aborted"));
  });
  xhr.open("POST", url);
  xhr.setRequestHeader("X-CSRFToken", csrfToken(form));
  xhr.setRequestHeader("Accept", "application/json");
  xhr.send(body);
  return { done, abort: () => xhr.abort() };
}
