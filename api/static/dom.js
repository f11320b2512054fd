// Small helpers every part of the page uses: elements, views, alerts, the API's answers.
import { clearText, say, t } from "./i18n.js";

export const $ = (id) => document.getElementById(id);

// One of the page's three views: "choose", "work" or "result".
export function show(view) {
  $("choose").hidden = view !== "choose";
  $("work").hidden = view !== "work";
  $("result").hidden = view !== "result";
}

export function showAlert(message, focus = false) {
  const box = $("alert");
  box.textContent = message;
  box.hidden = false;
  if (focus) box.focus();
  else box.scrollIntoView({ block: "nearest" });
}

export function clearAlert() {
  $("alert").hidden = true;
  $("alert").textContent = "";
  $("notice").hidden = true;
  clearText($("notice"));
}

// Good news and plain information (not an error): a polite status line.
export function showNotice(text) {
  say($("notice"), text);
  $("notice").hidden = false;
}

// The API's problem detail (a sentence for people, in English: the one catalogue has most
// of them, so it is shown in the page's language where it can be), else the status.
export async function problemMessage(response) {
  try {
    const body = await response.json();
    if (body && typeof body.detail === "string" && body.detail) return t(body.detail);
  } catch {
    // not JSON: fall through
  }
  return t("Something went wrong (error {status}).", { status: response.status });
}

export async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(await problemMessage(response));
  return response.json();
}
