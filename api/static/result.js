// The finished picture (before/after) or clip, its download, and "another artist".
import { $, clearAlert, getJson, show } from "./dom.js";
import { clearText, N_, say } from "./i18n.js";
import { closeEvents, state } from "./state.js";

// `done`: the done event's data or the job's result ({width, height, seconds}).
export async function finish(job, done) {
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
  const heading = clip ? N_("Your clip") : N_("Your picture");
  say($("result-h"), heading);
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
  if (done?.seconds != null) say($("result-note"), "Done in {s} s.", { s: done.seconds.toFixed(1) });
  else clearText($("result-note"));
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

export function initResult() {
  $("split").addEventListener("input", showSplit);
  $("again").addEventListener("click", () => {
    state.job = null;
    show("choose");
    clearAlert();
    $("style-section").scrollIntoView({ block: "start" });
    (document.querySelector('input[name="artist"]:checked') || $("search")).focus();
  });
}
