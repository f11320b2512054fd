// The options: quality (names shared with the bot, jobs/labels.py) and style strength.
import { $ } from "./dom.js";
import { N_, t } from "./i18n.js";

// Each quality's name and hint; which qualities there are, and the default for a photo and
// for a clip, come from the API (GET /v1/jobs/defaults: the job service's rule).
const NAMES = {
  instant: [N_("Instant"), N_("about a second")],
  fast: [N_("Fast"), N_("small picture")],
  balanced: [N_("Balanced"), ""],
  high: [N_("High"), N_("large, slow")],
};
const defaults = { qualities: Object.keys(NAMES), quality: { image: "balanced", video: "instant" } };

export async function loadDefaults() {
  const answer = await fetch("/v1/jobs/defaults");
  if (answer.ok) Object.assign(defaults, await answer.json());
  $("quality").value = defaults.quality.image;
  renderQualities();
}

// The quality a job starting from this kind of file gets unless one is chosen ("image" or
// "video").
export function defaultQuality(kind) {
  return defaults.quality[kind];
}

export function renderQualities() {
  const select = $("quality");
  const chosen = select.value || defaults.quality.image;
  const label = (name, hint) => (hint ? `${t(name)} (${t(hint)})` : t(name));
  const options = defaults.qualities.map((q) => {
    const [name, hint] = NAMES[q] || [q, ""];
    return new Option(label(name, hint), q);
  });
  select.replaceChildren(...options);
  select.value = chosen;
}

function showStrength() {
  $("strength-out").textContent = `${Math.round(Number($("strength").value) * 100)}%`;
}

export function initOptions() {
  $("strength").addEventListener("input", showStrength);
  showStrength();
}
