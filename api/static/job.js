// A job: submit the choice, follow its events (queue, progress, preview), cancel it.
import { $, clearAlert, problemMessage, show, showAlert, showNotice } from "./dom.js";
import { selectedSlug } from "./gallery.js";
import { N_, say, t } from "./i18n.js";
import { finish } from "./result.js";
import { closeEvents, DEV_SIZE, state } from "./state.js";

const CANCELLED = N_("Cancelled. Your photo is still here.");

async function submit(event) {
  event.preventDefault();
  clearAlert();
  if (!state.photo) return showAlert(t("Choose a photo first."));
  const artist = selectedSlug();
  if (!artist && !state.ownStyle) {
    return showAlert(t("Choose a painting or upload your own style image first."));
  }
  const form = new FormData();
  form.append("content", state.photo, state.photo.name || (state.clip ? "clip.mp4" : "photo.jpg"));
  if (state.ownStyle) form.append("style", state.ownStyle, state.ownStyle.name || "style.jpg");
  else form.append("artist", artist);
  form.append("quality", $("quality").value);
  form.append("strength", $("strength").value);
  form.append("preserve_colors", String($("colors").checked));
  if (DEV_SIZE) form.append("size", DEV_SIZE);

  $("go").disabled = true;
  startWorkView();
  let response;
  try {
    response = await fetch("/v1/jobs", { method: "POST", body: form });
  } catch {
    return backToChoice(t("We can't reach the server. Check your connection and try again."));
  } finally {
    $("go").disabled = false;
  }
  if (!response.ok) return backToChoice(await problemMessage(response));
  follow(await response.json());
}

function startWorkView() {
  say($("status"), "Sending your photo…");
  $("eta").textContent = "";
  $("progress").removeAttribute("value"); // indeterminate until the first progress event
  $("preview").hidden = true;
  $("preview").removeAttribute("src");
  $("cancel").disabled = false;
  show("work");
  $("work-h").focus();
}

function backToChoice(message, notice = "") {
  closeEvents();
  state.job = null;
  show("choose");
  if (notice) showNotice(notice);
  if (message) showAlert(message, true);
  else $("go").focus();
}

function follow(job) {
  state.job = job;
  showState(job);
  const source = new EventSource(job.links.events);
  state.events = source;
  const on = (type, handler) =>
    source.addEventListener(type, (event) => {
      if (state.events !== source) return; // an older job's stream
      const data = event.data ? JSON.parse(event.data) : {};
      handler(data, event);
    });
  on("queued", (data) => showQueued(data.position));
  on("started", () => say($("status"), "Painting…"));
  on("progress", (data) => showProgress(data.fraction, data.eta));
  on("preview", (_, event) => showPreview(event.lastEventId));
  on("done", (data) => finish(job, data));
  on("failed", (data) => {
    const message = data.message ? t(data.message) : data.code; // the service's sentence
    backToChoice(t("The picture could not be made: {message}", { message }));
  });
  on("cancelled", () => backToChoice("", CANCELLED));
  source.addEventListener("error", () => {
    // EventSource reconnects by itself; CLOSED means it gave up (e.g. the job is gone).
    if (state.events === source && source.readyState === EventSource.CLOSED) {
      backToChoice(t("The connection to the server was lost. Please try again."));
    }
  });
}

function showState(job) {
  if (job.state === "queued") showQueued(job.position);
  else if (job.state === "running") say($("status"), "Painting…");
  if (job.progress != null) showProgress(job.progress, job.eta_seconds);
}

function showQueued(position) {
  if (position > 0) say($("status"), "In the queue: {n} ahead of you.", { n: position });
  else say($("status"), "Starting now…");
}

function showProgress(fraction, eta) {
  say($("status"), "Painting…");
  $("progress").value = Math.max(0, Math.min(1, Number(fraction) || 0));
  $("eta").textContent = eta > 0 ? t("About {t} left.", { t: duration(eta) }) : "";
}

function duration(seconds) {
  if (seconds < 90) return t("{s} s", { s: Math.max(1, Math.round(seconds)) });
  return t("{m} min", { m: Math.round(seconds / 60) });
}

function showPreview(eventId) {
  const img = $("preview");
  img.src = `${state.job.links.preview}?v=${encodeURIComponent(eventId || Date.now())}`;
  img.hidden = false;
}

async function cancel() {
  if (!state.job) return;
  $("cancel").disabled = true;
  say($("status"), "Cancelling…");
  try {
    const response = await fetch(state.job.links.self, { method: "DELETE" });
    if (!response.ok) {
      showAlert(await problemMessage(response));
      $("cancel").disabled = false;
      return;
    }
    const job = await response.json();
    // A job that was waiting ends at once; a running one within a step (its stream says so).
    if (job.state === "cancelled") backToChoice("", CANCELLED);
    else if (job.state === "done") finish(job, job.result);
  } catch {
    showAlert(t("We can't reach the server. Check your connection and try again."));
    $("cancel").disabled = false;
  }
}

export function initJob() {
  $("choose").addEventListener("submit", submit);
  $("cancel").addEventListener("click", cancel);
}
