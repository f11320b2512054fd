// "Suggest a style": the photo tried in every gallery painting (POST /v1/suggestions), ranked.
// The caller shows the tiles in its gallery; this module only talks to the API.

// Resolves to the ranked list [{rank, score, top, tile_url, style}, ...], best first.
// `onStatus(key, vars)` gets "suggest.queued" / "suggest.working" while it runs.
export async function suggestStyles(photo, strength, onStatus) {
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
  return new Promise((resolve, reject) => {
    const source = new EventSource(job.links.events);
    const on = (type, handler) => source.addEventListener(type, (event) => {
      handler(event.data ? JSON.parse(event.data) : {});
    });
    on("queued", (data) => onStatus("suggest.queued", { n: data.position ?? 0 }));
    on("started", () => onStatus("suggest.working", { p: 0 }));
    on("progress", (data) => onStatus("suggest.working", { p: Math.round(data.fraction * 100) }));
    on("done", () => { source.close(); resolve(); });
    on("failed", (data) => { source.close(); reject(new Error(data.message || data.code)); });
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
export function surprise(ranked) {
  const top = ranked.filter((r) => r.top);
  const pool = top.length ? top : ranked;
  return pool.length ? pool[Math.floor(Math.random() * pool.length)].style.slug : "";
}
