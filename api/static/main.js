// The page: choose a photo (or a clip) and a style, follow the job's events, show the result.
// Each part is a module of its own; this one starts them and switches the language.
import { $, show } from "./dom.js";
import { initGallery, loadStyles, renderChips, renderGallery } from "./gallery.js";
import { initialLanguage, LANGUAGES, language, loadLanguage, say, setLanguage } from "./i18n.js";
import { initJob } from "./job.js";
import { initOptions, loadDefaults, renderQualities } from "./options.js";
import { initResult } from "./result.js";
import { DEV_SIZE } from "./state.js";
import { initSuggest } from "./suggest.js";
import { initUpload, translateChosen } from "./upload.js";

async function applyLanguage(lang, remember) {
  await loadLanguage(lang);
  setLanguage(lang, remember);
  for (const button of document.querySelectorAll("[data-lang]")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === language()));
  }
  renderQualities();
  renderChips();
  renderGallery();
  translateChosen();
}

for (const button of document.querySelectorAll("[data-lang]")) {
  button.addEventListener("click", () => applyLanguage(button.dataset.lang, true));
}

initUpload();
initGallery();
initSuggest();
initOptions();
initJob();
initResult();
$("dev-note").hidden = !DEV_SIZE;
if (DEV_SIZE) say($("dev-note"), "Developer option: output size {n} px.", { n: DEV_SIZE });
show("choose");
// The first language before anything else is drawn; the others are fetched meanwhile, so
// that a switch later on is at once.
await applyLanguage(initialLanguage(), false);
await Promise.all([loadStyles(), loadDefaults(), ...LANGUAGES.map(loadLanguage)]);
document.body.classList.add("ready");
