// The router: #/events, #/article/ID?event=EID, #/timeline, #/network, #/map,
// #/actors, #/actor/KEY. Each page module exports render(view, arg, params).

import { clear } from "./dom.js";
import { errorBox, hideTooltip, meta } from "./common.js";

const PAGES = {
  events: () => import("./events.js"),
  article: () => import("./article.js"),
  timeline: () => import("./timeline.js"),
  network: () => import("./network.js"),
  map: () => import("./map.js"),
  actors: () => import("./actors.js"),
  actor: () => import("./actors.js"),
};

const TITLES = {
  events: "Events", article: "Article", timeline: "Timeline", network: "Actor network",
  map: "Map", actors: "Actors", actor: "Actor",
};

export function parseHash(hash) {
  const raw = (hash || "").replace(/^#\/?/, "");
  const [path, query = ""] = raw.split("?");
  const [page, ...rest] = path.split("/");
  return {
    page: PAGES[page] ? page : "events",
    arg: rest.length ? decodeURIComponent(rest.join("/")) : "",
    params: new URLSearchParams(query),
  };
}

/** Navigates to a page with query parameters (empty values left out). */
export function go(page, params = {}, arg = "") {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, v);
  const s = q.toString();
  location.hash = `#/${page}${arg ? `/${encodeURIComponent(arg)}` : ""}${s ? `?${s}` : ""}`;
}

let renderId = 0;

async function route() {
  const id = ++renderId;
  const hash = location.hash;
  const { page, arg, params } = parseHash(hash);
  hideTooltip();
  document.querySelectorAll("nav a[data-page]").forEach((a) => {
    const active = a.dataset.page === page || (page === "actor" && a.dataset.page === "actors")
      || (page === "article" && a.dataset.page === "events");
    a.classList.toggle("active", active);
    if (active) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  });
  document.title = `${TITLES[page]} · eventwire`;
  const view = document.getElementById("view");
  clear(view);
  view.dataset.page = page;
  try {
    const module = await PAGES[page]();
    if (id !== renderId) return;
    await module.render(view, arg, params, { page, go, isCurrent: () => id === renderId });
  } catch (err) {
    console.error(err);
    if (id === renderId) clear(view).append(errorBox(err));
  }
  if (id === renderId) {
    view.dataset.route = hash; // which address the finished page shows: tests wait on both
    view.dataset.ready = "true";
  }
}

async function footer() {
  const slot = document.getElementById("version");
  try {
    const m = await meta();
    slot.textContent = `eventwire ${m.version} · pipeline ${m.pipeline_version} · ontology ${m.ontology_version} · `
      + `${m.counts.articles.toLocaleString("en-GB")} articles, ${m.counts.events.toLocaleString("en-GB")} events`
      + (Object.keys(m.events_by_pipeline || {}).length > 1 || (m.events_by_pipeline && !m.events_by_pipeline[m.pipeline_version])
        ? " (" + Object.entries(m.events_by_pipeline).map(([v, n]) => `${n.toLocaleString("en-GB")} by ${v}`).join(", ") + ")" : "");
  } catch (err) {
    slot.textContent = "";
  }
}

window.addEventListener("hashchange", () => { document.getElementById("view").dataset.ready = "false"; route(); });
route();
footer();
