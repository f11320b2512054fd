// "Suggest a style": the photo tried in every gallery painting (POST /v1/suggestions), ranked,
// shown in the gallery best first; "Surprise me" picks one of the best.
import { $, clearAlert, showAlert } from "./dom.js";
import { renderChips, renderGallery, selectStyle } from "./gallery.js";
import { clearText, N_, say, t } from "./i18n.js";
import { state } from "./state.js";

// Resolves to the ranked list [{rank, score, top, tile_url, style}, ...], best first.
// `onStatus(text, vars)` hears of the queue and the progress while it runs.
async function suggestStyles(photo, strength, onStatus) {
  const form = new FormData();
  form.append("content", photo, photo.name || "photo.jpg");
  form.append("strength", String(strength));
  const response = await fetch("/v1/suggestions", { method: "POST", body: form });
  if (!response.ok) throw await problem(response);
  const job = await response.json();
  await finished(job, onStatus);
  const body = await (await fetch(job.links.suggestions)).json();
  return body.suggestions;
}

function finished(job, onStatus) {
  const working = N_("Trying every painting on your photo… {p}%");
  return new Promise((resolve, reject) => {
    const source = new EventSource(job.links.events);
    const on = (type, handler) => source.addEventListener(type, (event) => {
      handler(event.data ? JSON.parse(event.data) : {});
    });
    on("queued", (data) => onStatus(N_("Waiting to try the styles ({n} ahead)…"), { n: data.position ?? 0 }));
    on("started", () => onStatus(working, { p: 0 }));
    on("progress", (data) => onStatus(working, { p: Math.round(data.fraction * 100) }));
    on("done", () => { source.close(); resolve(); });
    on("failed", (data) => { source.close(); reject(new Error(data.message ? t(data.message) : data.code)); });
    on("cancelled", () => { source.close(); reject(new Error("cancelled")); });
    source.addEventListener("error", () => {
      if (source.readyState === EventSource.CLOSED) reject(new Error("lost"));
    });
  });
}

async function problem(response) {
  try {
    const body = await response.json();
    if (body && typeof body.detail === "string") return new Error(body.detail);
  } catch {
    // not JSON
  }
  return new Error(String(response.status));
}

// One of the top few at random: "Surprise me".
function surprise(ranked) {
  const top = ranked.filter((r) => r.top);
  const pool = top.length ? top : ranked;
  return pool.length ? pool[Math.floor(Math.random() * pool.length)].style.slug : "";
}

async function suggest() {
  clearAlert();
  if (!state.photo) return showAlert(t("Choose a photo first."));
  const photo = state.photo;
  $("suggest").disabled = true;
  const status = (text, vars) => say($("suggest-status"), text, vars);
  try {
    const ranked = await suggestStyles(photo, $("strength").value, status);
    if (state.photo !== photo) return; // another photo was chosen meanwhile
    state.ranked = ranked;
    state.category = "";
    renderChips();
    renderGallery();
    status(N_("Ranked for your photo: the best fits come first, marked ★."));
    $("surprise").hidden = false;
  } catch (error) {
    clearText($("suggest-status"));
    showAlert(t("The suggestions could not be made: {message}", { message: error.message }));
  } finally {
    $("suggest").disabled = false;
  }
}

export function initSuggest() {
  $("suggest").addEventListener("click", suggest);
  $("surprise").addEventListener("click", () => {
    const slug = surprise(state.ranked || []);
    if (slug) selectStyle(slug);
  });
}
