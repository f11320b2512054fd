// The page: choose a photo (or a clip) and a style, follow the job's events, show the result.
import { initialLanguage, language, say, setLanguage, t } from "./i18n.js";
import { suggestStyles, surprise } from "./suggest.js";

// Qualities the API takes (engine/params.py QUALITIES), lowest first; labels are "quality.<name>".
const QUALITIES = ["instant", "fast", "balanced", "high"];
const DEFAULT_QUALITY = "balanced";
// Developer option: ?size=32 in the page's address is passed to the API as the output size.
const DEV_SIZE = new URLSearchParams(location.search).get("size");
const SEARCH_DELAY_MS = 250;

const $ = (id) => document.getElementById(id);

const state = {
  photo: null, // File: a photo or a clip
  clip: false, // the file may be a clip (a video file or a GIF): the result may be an MP4
  photoUrl: null,
  ownStyle: null, // File
  ownStyleUrl: null,
  styles: [],
  categories: [],
  category: "", // "" = all
  visible: null, // Set of slugs from a search, or null
  searchNote: null, // [key, vars]
  job: null,
  events: null,
  ranked: null, // suggestions for the current photo, best first, or null
};

// ---- alerts and small helpers ----

function showAlert(message, focus = false) {
  const box = $("alert");
  box.textContent = message;
  box.hidden = false;
  if (focus) box.focus();
  else box.scrollIntoView({ block: "nearest" });
}

function clearAlert() {
  $("alert").hidden = true;
  $("alert").textContent = "";
  $("notice").hidden = true;
  say($("notice"), "");
}

// Good news and plain information (not an error): a polite status line.
function showNotice(key) {
  say($("notice"), key);
  $("notice").hidden = false;
}

async function problemMessage(response) {
  try {
    const body = await response.json();
    if (body && typeof body.detail === "string" && body.detail) return body.detail;
  } catch {
    // not JSON: fall through
  }
  return t("error.generic", { status: response.status });
}

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(await problemMessage(response));
  return response.json();
}

function styleName(style) {
  return language() === "ru" ? style.artist_ru : style.artist;
}

function styleTitle(style) {
  return language() === "ru" ? style.title_ru : style.title;
}

function styleYear(style) {
  return language() === "ru" ? style.year.replace(/^c\.\s*/, "ок. ") : style.year;
}

function show(view) {
  $("choose").hidden = view !== "choose";
  $("work").hidden = view !== "work";
  $("result").hidden = view !== "result";
}

// ---- the photo or clip: pick, take, drop or paste ----

const CLIP_NAME = /\.(mp4|mov|m4v|webm|mkv)$/i;

function isVideoFile(file) {
  return (file.type || "").startsWith("video/") || CLIP_NAME.test(file.name || "");
}

// An animated GIF is a clip for the server (it comes back as an MP4); a still one a picture.
function mayBeClip(file) {
  return isVideoFile(file) || file.type === "image/gif" || /\.gif$/i.test(file.name || "");
}

function usePhoto(file) {
  if (!file) return;
  clearAlert();
  state.photo = file;
  state.clip = mayBeClip(file);
  if (state.photoUrl) URL.revokeObjectURL(state.photoUrl);
  state.photoUrl = URL.createObjectURL(file);
  const img = $("photo-img");
  const video = $("photo-video");
  const asVideo = isVideoFile(file);
  img.hidden = asVideo;
  video.hidden = !asVideo;
  if (asVideo) {
    img.removeAttribute("src");
    video.setAttribute("aria-label", t("photo.chosenClip"));
    video.src = state.photoUrl;
  } else {
    video.removeAttribute("src");
    img.alt = t("photo.chosen");
    img.src = state.photoUrl;
  }
  say($("photo-name"), "");
  $("photo-name").textContent = file.name || "";
  $("photo-box").hidden = false;
  $("clip-note").hidden = !state.clip;
  if (state.clip) $("quality").value = "instant"; // the other qualities refine every frame
  $("suggest").hidden = asVideo; // suggestions are for pictures (a GIF's first frame is one)
  if (state.ranked) {
    state.ranked = null; // they were for the previous photo
    say($("suggest-status"), "");
    $("surprise").hidden = true;
    renderGallery();
  }
}

for (const id of ["photo-img", "photo-video"]) {
  $(id).addEventListener("error", () => {
    if (!state.photo || !$(id).getAttribute("src")) return;
    $(id).hidden = true;
    say($("photo-name"), "photo.unreadable", { name: state.photo.name || "" });
  });
}

for (const id of ["photo-input", "camera-input"]) {
  $(id).addEventListener("change", (event) => usePhoto(event.target.files[0]));
}

const drop = $("drop");
drop.addEventListener("dragover", (event) => {
  event.preventDefault();
  drop.classList.add("over");
});
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (event) => {
  event.preventDefault();
  drop.classList.remove("over");
  usePhoto(event.dataTransfer.files[0]);
});
// A file dropped beside the zone must not make the browser leave the page.
window.addEventListener("dragover", (event) => event.preventDefault());
window.addEventListener("drop", (event) => event.preventDefault());

document.addEventListener("paste", (event) => {
  if ($("choose").hidden) return;
  const file = [...(event.clipboardData?.files || [])].find((f) => f.type.startsWith("image/"));
  if (file) {
    event.preventDefault();
    usePhoto(file);
  }
});

// ---- the gallery: chips, search, cards ----

function renderChips() {
  const chips = $("chips");
  chips.replaceChildren();
  const all = [{ slug: "", en: t("style.all"), ru: t("style.all") }, ...state.categories];
  for (const category of all) {
    const chip = document.createElement("button");
    chip.type = "button";
    chip.className = "chip";
    chip.dataset.category = category.slug;
    chip.textContent = category[language()] || category.en;
    chip.setAttribute("aria-pressed", String(category.slug === state.category));
    chip.addEventListener("click", () => {
      state.category = category.slug;
      renderChips();
      filterGallery();
    });
    chips.append(chip);
  }
}

function renderGallery() {
  const chosen = selectedSlug();
  const gallery = $("gallery");
  gallery.replaceChildren();
  const ranks = new Map((state.ranked || []).map((r) => [r.style.slug, r]));
  const order = state.ranked
    ? [...state.styles].sort((a, b) => (ranks.get(a.slug)?.rank ?? 1e9) - (ranks.get(b.slug)?.rank ?? 1e9))
    : state.styles;
  for (const style of order) {
    const ranked = ranks.get(style.slug);
    const card = document.createElement("label");
    card.className = "card";
    card.dataset.slug = style.slug;
    card.dataset.category = style.category;
    const radio = document.createElement("input");
    radio.type = "radio";
    radio.name = "artist";
    radio.value = style.slug;
    radio.className = "visually-hidden";
    radio.checked = style.slug === chosen;
    radio.addEventListener("change", () => {
      clearOwnStyle();
      clearAlert();
    });
    const img = document.createElement("img");
    img.src = ranked ? ranked.tile_url : style.thumbnail_url;
    img.alt = "";
    img.loading = "lazy";
    img.width = 160;
    img.height = 120;
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = styleName(style);
    const title = document.createElement("span");
    title.className = "title";
    title.textContent = [styleTitle(style), styleYear(style)].filter(Boolean).join(", ");
    const category = document.createElement("span");
    category.className = "category";
    category.textContent = style.category_label[language()] || style.category_label.en;
    card.append(radio, img, name, title, category);
    if (ranked) {
      card.classList.toggle("top", ranked.top);
      const badge = document.createElement("span");
      badge.className = "rank";
      badge.textContent = (ranked.top ? "★ " : "") + ranked.rank;
      badge.title = t("suggest.rank", { n: ranked.rank });
      card.append(badge);
    }
    gallery.append(card);
  }
  filterGallery();
}

function filterGallery() {
  for (const card of $("gallery").children) {
    const inCategory = !state.category || card.dataset.category === state.category;
    const found = !state.visible || state.visible.has(card.dataset.slug);
    card.hidden = !(inCategory && found);
  }
  const note = state.searchNote;
  say($("search-note"), note ? note[0] : "", note ? note[1] : {});
}

function selectedSlug() {
  return document.querySelector('input[name="artist"]:checked')?.value || "";
}

function selectStyle(slug) {
  const radio = document.querySelector(`input[name="artist"][value="${CSS.escape(slug)}"]`);
  if (!radio) return;
  radio.checked = true;
  radio.dispatchEvent(new Event("change"));
  radio.focus();
}

function localMatches(query) {
  const q = query.toLocaleLowerCase();
  return state.styles
    .filter((s) => [s.artist, s.artist_ru, s.title, s.title_ru, s.slug]
      .some((text) => text.toLocaleLowerCase().includes(q)))
    .map((s) => s.slug);
}

let searchTimer = 0;
let searchCounter = 0;

async function search(query) {
  const ticket = ++searchCounter;
  if (!query) {
    state.visible = null;
    state.searchNote = null;
    filterGallery();
    return;
  }
  let found = { match: null, candidates: [] };
  try {
    found = await getJson(`/v1/styles/lookup?q=${encodeURIComponent(query)}`);
  } catch (error) {
    showAlert(error.message);
  }
  if (ticket !== searchCounter) return; // a newer query is on its way
  const exact = [found.match?.slug, ...localMatches(query)].filter(Boolean);
  const slugs = new Set([...exact, ...found.candidates.map((s) => s.slug)]);
  state.visible = slugs;
  if (!slugs.size) state.searchNote = ["style.none", { q: query }];
  else if (!exact.length && !found.match) state.searchNote = ["style.closest", { q: query }];
  else state.searchNote = ["style.found", { n: slugs.size }];
  // The category chips must not hide what the search found.
  if (state.category && ![...slugs].some((s) => categoryOf(s) === state.category)) {
    state.category = "";
    renderChips();
  }
  filterGallery();
}

function categoryOf(slug) {
  return state.styles.find((s) => s.slug === slug)?.category;
}

$("search").addEventListener("input", (event) => {
  clearTimeout(searchTimer);
  const query = event.target.value.trim();
  searchTimer = setTimeout(() => search(query), SEARCH_DELAY_MS);
});

// Enter in the search box picks the first painting shown.
$("search").addEventListener("keydown", async (event) => {
  if (event.key !== "Enter") return;
  event.preventDefault();
  clearTimeout(searchTimer);
  await search(event.target.value.trim());
  const first = [...$("gallery").children].find((card) => !card.hidden);
  if (first) selectStyle(first.dataset.slug);
});

async function loadStyles() {
  try {
    const body = await getJson("/v1/styles");
    state.styles = body.styles;
    state.categories = body.categories;
  } catch (error) {
    showAlert(t("error.styles", { message: error.message }));
  }
  renderChips();
  renderGallery();
}

// ---- suggestions: every painting tried on the photo ----

$("suggest").addEventListener("click", async () => {
  clearAlert();
  if (!state.photo) return showAlert(t("need.photo"));
  const photo = state.photo;
  $("suggest").disabled = true;
  const status = (key, vars) => say($("suggest-status"), key, vars);
  try {
    const ranked = await suggestStyles(photo, $("strength").value, status);
    if (state.photo !== photo) return; // another photo was chosen meanwhile
    state.ranked = ranked;
    state.category = "";
    renderChips();
    renderGallery();
    status("suggest.ready");
    $("surprise").hidden = false;
  } catch (error) {
    say($("suggest-status"), "");
    showAlert(t("suggest.failed", { message: error.message }));
  } finally {
    $("suggest").disabled = false;
  }
});

$("surprise").addEventListener("click", () => {
  const slug = surprise(state.ranked || []);
  if (slug) selectStyle(slug);
});

// ---- your own style image ----

function clearOwnStyle() {
  state.ownStyle = null;
  if (state.ownStyleUrl) URL.revokeObjectURL(state.ownStyleUrl);
  state.ownStyleUrl = null;
  $("style-input").value = "";
  $("own-box").hidden = true;
}

$("style-input").addEventListener("change", (event) => {
  const file = event.target.files[0];
  if (!file) return;
  clearAlert();
  clearOwnStyle();
  state.ownStyle = file;
  state.ownStyleUrl = URL.createObjectURL(file);
  $("own-img").src = state.ownStyleUrl;
  say($("own-name"), "style.ownChosen", { name: file.name });
  $("own-box").hidden = false;
  const radio = document.querySelector('input[name="artist"]:checked');
  if (radio) radio.checked = false;
});

$("own-remove").addEventListener("click", () => {
  clearOwnStyle();
  $("style-input").focus();
});

// ---- options ----

function renderQualities() {
  const select = $("quality");
  const chosen = select.value || DEFAULT_QUALITY;
  select.replaceChildren(...QUALITIES.map((q) => new Option(t(`quality.${q}`), q)));
  select.value = chosen;
}

function showStrength() {
  $("strength-out").textContent = `${Math.round(Number($("strength").value) * 100)}%`;
}
$("strength").addEventListener("input", showStrength);

// ---- a job: submit, follow, cancel ----

$("choose").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearAlert();
  if (!state.photo) return showAlert(t("need.photo"));
  const artist = selectedSlug();
  if (!artist && !state.ownStyle) return showAlert(t("need.style"));

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
    return backToChoice(t("error.network"));
  } finally {
    $("go").disabled = false;
  }
  if (!response.ok) return backToChoice(await problemMessage(response));
  follow(await response.json());
});

function startWorkView() {
  say($("status"), "work.sending");
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
  on("started", () => say($("status"), "work.running"));
  on("progress", (data) => showProgress(data.fraction, data.eta));
  on("preview", (_, event) => showPreview(event.lastEventId));
  on("done", (data) => finish(job, data));
  on("failed", (data) => backToChoice(t("error.failed", { message: data.message || data.code })));
  on("cancelled", () => backToChoice("", "work.cancelled"));
  source.addEventListener("error", () => {
    // EventSource reconnects by itself; CLOSED means it gave up (e.g. the job is gone).
    if (state.events === source && source.readyState === EventSource.CLOSED) {
      backToChoice(t("work.lost"));
    }
  });
}

function closeEvents() {
  if (state.events) state.events.close();
  state.events = null;
}

function showState(job) {
  if (job.state === "queued") showQueued(job.position);
  else if (job.state === "running") say($("status"), "work.running");
  if (job.progress != null) showProgress(job.progress, job.eta_seconds);
}

function showQueued(position) {
  if (position > 0) say($("status"), "work.queued", { n: position });
  else say($("status"), "work.starting");
}

function showProgress(fraction, eta) {
  say($("status"), "work.running");
  $("progress").value = Math.max(0, Math.min(1, Number(fraction) || 0));
  $("eta").textContent = eta > 0 ? t("work.eta", { t: duration(eta) }) : "";
}

function duration(seconds) {
  if (seconds < 90) return t("work.seconds", { n: Math.max(1, Math.round(seconds)) });
  return t("work.minutes", { n: Math.round(seconds / 60) });
}

function showPreview(eventId) {
  const img = $("preview");
  img.src = `${state.job.links.preview}?v=${encodeURIComponent(eventId || Date.now())}`;
  img.hidden = false;
}

$("cancel").addEventListener("click", async () => {
  if (!state.job) return;
  $("cancel").disabled = true;
  say($("status"), "work.cancelling");
  try {
    const response = await fetch(state.job.links.self, { method: "DELETE" });
    if (!response.ok) {
      showAlert(await problemMessage(response));
      $("cancel").disabled = false;
      return;
    }
    const job = await response.json();
    // A job that was waiting ends at once; a running one within a step (its stream says so).
    if (job.state === "cancelled") backToChoice("", "work.cancelled");
    else if (job.state === "done") finish(job, job.result);
  } catch {
    showAlert(t("error.network"));
    $("cancel").disabled = false;
  }
});

// `done`: the done event's data or the job's result ({width, height, seconds}).
async function finish(job, done) {
  closeEvents();
  const stamp = Date.now();
  const kind = state.clip ? await resultKind(job) : "image";
  const clip = kind !== "image";
  if (done?.width && done?.height) {
    $("compare-box").style.setProperty("--aspect", done.width / done.height);
  }
  $("compare-box").hidden = clip;
  const video = $("result-video");
  video.hidden = !clip;
  say($("result-h"), clip ? "result.headingClip" : "result.heading");
  if (clip) {
    video.muted = kind === "animation"; // no sound: plays by itself, like a GIF
    video.autoplay = kind === "animation";
    video.src = `${job.links.result}?v=${stamp}`;
    $("before").removeAttribute("src");
    $("after").removeAttribute("src");
  } else {
    video.removeAttribute("src");
    $("before").src = state.photoUrl;
    $("after").src = `${job.links.result}?v=${stamp}`;
  }
  $("download").href = `${job.links.result}?download=1`;
  if (done?.seconds != null) say($("result-note"), "result.done", { s: done.seconds.toFixed(1) });
  else say($("result-note"), "");
  $("split").value = 50;
  showSplit();
  show("result");
  $("result-h").focus();
}

// "video" (an MP4 with sound), "animation" (an MP4 without) or "image", from the job.
async function resultKind(job) {
  try {
    return (await getJson(job.links.self)).result?.kind || "image";
  } catch {
    return "video"; // the file is a clip: a <video> shows the MP4 either way
  }
}

function showSplit() {
  $("compare").style.setProperty("--split", `${$("split").value}%`);
}
$("split").addEventListener("input", showSplit);

$("again").addEventListener("click", () => {
  state.job = null;
  show("choose");
  clearAlert();
  $("style-section").scrollIntoView({ block: "start" });
  (document.querySelector('input[name="artist"]:checked') || $("search")).focus();
});

// ---- language ----

function applyLanguage(lang, remember) {
  setLanguage(lang, remember);
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === language()));
  }
  renderQualities();
  renderChips();
  renderGallery();
  if (state.photo) $("photo-img").alt = t("photo.chosen");
  if (state.photo) $("photo-video").setAttribute("aria-label", t("photo.chosenClip"));
}

for (const button of document.querySelectorAll("[data-lang]")) {
  button.addEventListener("click", () => applyLanguage(button.dataset.lang, true));
}

// ---- start ----

$("dev-note").hidden = !DEV_SIZE;
if (DEV_SIZE) say($("dev-note"), "dev.size", { n: DEV_SIZE });
applyLanguage(initialLanguage(), false);
showStrength();
show("choose");
loadStyles().then(() => document.body.classList.add("ready"));
