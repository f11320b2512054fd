// The gallery: category chips, search, the painting cards (ranked, after a suggestion).
import { $, getJson, showAlert } from "./dom.js";
import { clearText, language, N_, say, t } from "./i18n.js";
import { state } from "./state.js";

const SEARCH_DELAY_MS = 250;

function styleName(style) {
  return language() === "ru" ? style.artist_ru : style.artist;
}

function styleTitle(style) {
  return language() === "ru" ? style.title_ru : style.title;
}

function styleYear(style) {
  return language() === "ru" ? style.year.replace(/^c\.\s*/, "ок. ") : style.year;
}

export function renderChips() {
  const chips = $("chips");
  chips.replaceChildren();
  const all = [{ slug: "", en: t("All"), ru: t("All") }, ...state.categories];
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

export function renderGallery() {
  const chosen = selectedSlug();
  const ranks = new Map((state.ranked || []).map((r) => [r.style.slug, r]));
  const order = state.ranked
    ? [...state.styles].sort((a, b) => (ranks.get(a.slug)?.rank ?? 1e9) - (ranks.get(b.slug)?.rank ?? 1e9))
    : state.styles;
  $("gallery").replaceChildren(...order.map((style) => card(style, ranks.get(style.slug), chosen)));
  filterGallery();
}

// A painting's card: a radio (its choice events bubble to #gallery), tile, names, rank.
function card(style, ranked, chosen) {
  const label = document.createElement("label");
  label.className = "card";
  label.dataset.slug = style.slug;
  label.dataset.category = style.category;
  const radio = document.createElement("input");
  radio.type = "radio";
  radio.name = "artist";
  radio.value = style.slug;
  radio.className = "visually-hidden";
  radio.checked = style.slug === chosen;
  const img = document.createElement("img");
  img.src = ranked ? ranked.tile_url : style.thumbnail_url;
  img.alt = "";
  img.loading = "lazy";
  img.width = 160;
  img.height = 120;
  const name = span("name", styleName(style));
  const title = span("title", [styleTitle(style), styleYear(style)].filter(Boolean).join(", "));
  const category = span("category", style.category_label[language()] || style.category_label.en);
  label.append(radio, img, name, title, category);
  if (ranked) {
    label.classList.toggle("top", ranked.top);
    const badge = span("rank", (ranked.top ? "★ " : "") + ranked.rank);
    badge.title = t("No. {n}", { n: ranked.rank });
    label.append(badge);
  }
  return label;
}

function span(className, text) {
  const el = document.createElement("span");
  el.className = className;
  el.textContent = text;
  return el;
}

function filterGallery() {
  for (const card of $("gallery").children) {
    const inCategory = !state.category || card.dataset.category === state.category;
    const found = !state.visible || state.visible.has(card.dataset.slug);
    card.hidden = !(inCategory && found);
  }
  const note = state.searchNote;
  if (note) say($("search-note"), ...note);
  else clearText($("search-note"));
}

export function selectedSlug() {
  return document.querySelector('input[name="artist"]:checked')?.value || "";
}

export function selectStyle(slug) {
  const radio = document.querySelector(`input[name="artist"][value="${CSS.escape(slug)}"]`);
  if (!radio) return;
  radio.checked = true;
  radio.dispatchEvent(new Event("change", { bubbles: true }));
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
  if (!slugs.size) state.searchNote = [N_("No painting matches “{q}”."), { q: query }];
  else if (!exact.length && !found.match) {
    state.searchNote = [N_("Nothing matches “{q}” exactly; these come closest."), { q: query }];
  } else state.searchNote = [N_("{n} found."), { n: slugs.size }];
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

export async function loadStyles() {
  try {
    const body = await getJson("/v1/styles");
    state.styles = body.styles;
    state.categories = body.categories;
  } catch (error) {
    showAlert(t("The gallery could not be loaded: {message}", { message: error.message }));
  }
  renderChips();
  renderGallery();
}

export function initGallery() {
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
}
