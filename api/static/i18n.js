// The page's languages. Its texts are in English, in index.html and in t("…") calls: the
// message ids of the catalogue the bot uses too (jobs/locale, `make messages`). The API
// serves a language's translations (GET /v1/messages/{lang}); English needs none.
// `{name}` in a text is filled in by t().

export const LANGUAGES = ["en", "ru"];
const STORE_KEY = "lang";
const catalogues = new Map([["en", {}]]);
let current = "en";

// Marks a text for extraction where it is not translated at once (it is, where it is shown).
export const N_ = (text) => text;

export function t(text, vars = {}) {
  const translated = catalogues.get(current)?.[text] || text;
  return translated.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

// Fetch a language's translations once; on failure the page stays readable in English.
export async function loadLanguage(lang) {
  if (catalogues.has(lang)) return;
  try {
    const response = await fetch(`/v1/messages/${lang}`, { headers: { Accept: "application/json" } });
    if (response.ok) catalogues.set(lang, await response.json());
  } catch {
    // offline: English it is, and the next switch tries again
  }
}

export function initialLanguage() {
  let saved = null;
  try {
    saved = localStorage.getItem(STORE_KEY);
  } catch {
    // storage may be blocked; fall back to the browser's language
  }
  if (LANGUAGES.includes(saved)) return saved;
  const browser = (navigator.languages?.[0] || navigator.language || "en").toLowerCase();
  return browser.startsWith("ru") ? "ru" : "en";
}

// Switch to a language whose translations are loaded (loadLanguage), and show it.
export function setLanguage(lang, remember = true) {
  current = LANGUAGES.includes(lang) ? lang : "en";
  document.documentElement.lang = current;
  document.title = t("Style transfer");
  if (remember) {
    try {
      localStorage.setItem(STORE_KEY, current);
    } catch {
      // not remembered; still switched
    }
  }
  translateStatic();
}

export function language() {
  return current;
}

// Static texts of index.html: an element marked `data-i18n` shows its own English text
// translated, and `data-i18n-attr="placeholder alt"` does that for those attributes. The
// English is kept in data-i18n (and data-i18n-<attribute>) the first time round.
function translateStatic() {
  for (const el of document.querySelectorAll("[data-i18n]")) {
    if (!el.dataset.i18n) el.dataset.i18n = el.textContent.trim().replace(/\s+/g, " ");
    el.textContent = t(el.dataset.i18n, JSON.parse(el.dataset.i18nVars || "{}"));
  }
  for (const el of document.querySelectorAll("[data-i18n-attr]")) {
    for (const attr of el.dataset.i18nAttr.split(" ")) {
      const kept = `data-i18n-${attr}`;
      if (!el.hasAttribute(kept)) el.setAttribute(kept, el.getAttribute(attr) || "");
      el.setAttribute(attr, t(el.getAttribute(kept)));
    }
  }
}

// Show a translated text in `el` that follows later language switches.
export function say(el, text, vars = {}) {
  el.dataset.i18n = text;
  el.dataset.i18nVars = JSON.stringify(vars);
  const shown = t(text, vars);
  if (el.textContent !== shown) el.textContent = shown; // live regions: say a thing once
}

// Empty `el` (something else may fill it, untranslated).
export function clearText(el) {
  delete el.dataset.i18n;
  delete el.dataset.i18nVars;
  el.textContent = "";
}
