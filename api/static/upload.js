// The photo or clip (pick, take, drop or paste) and the person's own style image.
import { $, clearAlert } from "./dom.js";
import { renderGallery } from "./gallery.js";
import { clearText, say, t } from "./i18n.js";
import { defaultQuality } from "./options.js";
import { state } from "./state.js";

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
  const asVideo = isVideoFile(file);
  showChosen(asVideo);
  clearText($("photo-name"));
  $("photo-name").textContent = file.name || "";
  $("photo-box").hidden = false;
  $("clip-note").hidden = !state.clip;
  if (state.clip) $("quality").value = defaultQuality("video");
  $("suggest").hidden = asVideo; // suggestions are for pictures (a GIF's first frame is one)
  if (state.ranked) {
    state.ranked = null; // they were for the previous photo
    clearText($("suggest-status"));
    $("surprise").hidden = true;
    renderGallery();
  }
}

function showChosen(asVideo) {
  const img = $("photo-img");
  const video = $("photo-video");
  img.hidden = asVideo;
  video.hidden = !asVideo;
  if (asVideo) {
    img.removeAttribute("src");
    video.setAttribute("aria-label", t("Your clip"));
    video.src = state.photoUrl;
  } else {
    video.removeAttribute("src");
    img.alt = t("Your photo");
    img.src = state.photoUrl;
  }
}

// After a language switch: the chosen photo's description.
export function translateChosen() {
  if (!state.photo) return;
  $("photo-img").alt = t("Your photo");
  $("photo-video").setAttribute("aria-label", t("Your clip"));
}

function initPhoto() {
  for (const id of ["photo-img", "photo-video"]) {
    $(id).addEventListener("error", () => {
      if (!state.photo || !$(id).getAttribute("src")) return;
      $(id).hidden = true;
      say($("photo-name"), "This browser can't show {name}; the server will check it.", {
        name: state.photo.name || "",
      });
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
}

// ---- your own style image: it and a painting exclude each other ----

function clearOwnStyle() {
  state.ownStyle = null;
  if (state.ownStyleUrl) URL.revokeObjectURL(state.ownStyleUrl);
  state.ownStyleUrl = null;
  $("style-input").value = "";
  $("own-box").hidden = true;
}

function initOwnStyle() {
  $("style-input").addEventListener("change", (event) => {
    const file = event.target.files[0];
    if (!file) return;
    clearAlert();
    clearOwnStyle();
    state.ownStyle = file;
    state.ownStyleUrl = URL.createObjectURL(file);
    $("own-img").src = state.ownStyleUrl;
    say($("own-name"), "Your style image: {name}", { name: file.name });
    $("own-box").hidden = false;
    const radio = document.querySelector('input[name="artist"]:checked');
    if (radio) radio.checked = false;
  });
  $("own-remove").addEventListener("click", () => {
    clearOwnStyle();
    $("style-input").focus();
  });
  // A painting chosen in the gallery (its radios' change events bubble up).
  $("gallery").addEventListener("change", () => {
    clearOwnStyle();
    clearAlert();
  });
}

export function initUpload() {
  initPhoto();
  initOwnStyle();
}
