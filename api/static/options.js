// The options: quality (names shared with the bot, jobs/labels.py) and style strength.
import { $ } from "./dom.js";
import { N_, t } from "./i18n.js";

// Qualities the API takes (engine/params.py QUALITIES), lowest first, with a hint each.
const QUALITIES = [
  ["instant", N_("Instant"), N_("about a second")],
  ["fast", N_("Fast"), N_("small picture")],
  ["balanced", N_("Balanced"), ""],
  ["high", N_("High"), N_("large, slow")],
];
const DEFAULT_QUALITY = "balanced";
// A clip's quality: the others refine every frame (slow without a GPU).
export const CLIP_QUALITY = "instant";

export function renderQualities() {
  const select = $("quality");
  const chosen = select.value || DEFAULT_QUALITY;
  const label = (name, hint) => (hint ? `${t(name)} (${t(hint)})` : t(name));
  select.replaceChildren(...QUALITIES.map(([q, name, hint]) => new Option(label(name, hint), q)));
  select.value = chosen;
}

function showStrength() {
  $("strength-out").textContent = `${Math.round(Number($("strength").value) * 100)}%`;
}

export function initOptions() {
  $("strength").addEventListener("input", showStrength);
  showStrength();
}
