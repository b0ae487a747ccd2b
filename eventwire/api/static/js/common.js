// Pieces shared by the pages: event type colours, event summaries with their evidence
// link, filter forms, loading and error states, the tooltip.

import { h, clear, fmtDate, fmtPercent, fmtSigned, truncate } from "./dom.js";
import { api, ApiError, qs, saveToken } from "./api.js";

export const QUADS = {
  1: { label: "Verbal cooperation", colour: "#2f9e44" },
  2: { label: "Material cooperation", colour: "#1971c2" },
  3: { label: "Verbal conflict", colour: "#e8590c" },
  4: { label: "Material conflict", colour: "#c92a2a" },
};

// One colour per PLOVER type, in shades of its quad's colour.
const SHADES = {
  1: ["#2f9e44", "#51cf66", "#8ce99a", "#2b8a3e"],
  2: ["#1971c2", "#4dabf7", "#a5d8ff"],
  3: ["#e8590c", "#fd7e14", "#ffa94d", "#ffc078"],
  4: ["#c92a2a", "#f03e3e", "#ff8787", "#862e9c", "#a61e4d"],
};

let metaPromise = null;

/** /api/meta, fetched once per page load. */
export function meta() {
  if (!metaPromise) metaPromise = api("meta").catch((err) => { metaPromise = null; throw err; });
  return metaPromise;
}

export async function typeColours() {
  const m = await meta();
  const used = { 1: 0, 2: 0, 3: 0, 4: 0 };
  const out = {};
  for (const t of m.types) {
    const shades = SHADES[t.quad] || ["#868e96"];
    out[t.name] = shades[used[t.quad]++ % shades.length];
  }
  return out;
}

/** Colour of a PLOVER intensity (-10 conflict .. +10 cooperation). */
let ramp = null;

export function intensityColour(value) {
  if (value === null || value === undefined) return "#adb5bd";
  const v = Math.max(-10, Math.min(10, Number(value)));
  if (!window.d3) return v >= 0 ? "#2f9e44" : "#c92a2a";
  if (!ramp) ramp = d3.scaleLinear().domain([-10, -3, 0, 3, 10]).range(["#a61e1e", "#e8590c", "#868e96", "#37b24d", "#1b6e2c"]).interpolate(d3.interpolateLab);
  return ramp(v);
}

/** Every period from the first to the last of `periods` (months "2021-08", weeks as
 * their Monday "2021-08-09", years "2021"), so charts show quiet periods as gaps. */
export function fillPeriods(periods, interval) {
  const sorted = [...new Set(periods)].sort();
  if (sorted.length < 2 || sorted.length > 2000) return sorted;
  const out = [];
  const last = sorted[sorted.length - 1];
  if (interval === "year") {
    for (let y = +sorted[0]; y <= +last; y += 1) out.push(String(y));
  } else if (interval === "week") {
    const end = Date.parse(`${last}T00:00:00Z`);
    for (let t = Date.parse(`${sorted[0]}T00:00:00Z`); t <= end && out.length < 5000; t += 7 * 86400000) out.push(new Date(t).toISOString().slice(0, 10));
  } else {
    let [y, m] = sorted[0].split("-").map(Number);
    for (;;) {
      const p = `${y}-${String(m).padStart(2, "0")}`;
      out.push(p);
      if (p >= last || out.length > 5000) break;
      m += 1;
      if (m > 12) { m = 1; y += 1; }
    }
  }
  return out;
}

export function typeBadge(type, quad) {
  const q = QUADS[quad] || { label: "", colour: "#868e96" };
  return h("span", { class: `badge q${quad || 0}`, title: q.label }, type);
}

export function actorLabel(a) {
  const tag = a.code ? `${a.name} (${a.code})` : a.name;
  return a.office ? `${tag}, ${a.office}` : tag;
}

export const UNKNOWN_LABEL = "unknown (not named)";

// An agent the text does not name is plain text: it is nobody, so it has no dossier.
export function actorLink(a) {
  if (a.unknown) return h("span", { class: "muted actor-unknown", title: "The text does not name who did this" }, UNKNOWN_LABEL);
  return h("a", { href: `#/actor/${encodeURIComponent(a.key)}`, class: "actor-link" }, actorLabel(a));
}

export function actorList(list) {
  if (!list || !list.length) return h("span", { class: "muted" }, "—");
  const out = [];
  list.forEach((a, i) => { if (i) out.push(", "); out.push(actorLink(a)); });
  return h("span", {}, out);
}

/** The route of an event's evidence in the article view. */
export function evidenceHref(e) {
  return `#/article/${encodeURIComponent(e.article_id)}?event=${encodeURIComponent(e.id)}`;
}

export function evidenceLink(e, label = "Evidence") {
  return h("a", { href: evidenceHref(e), class: "evidence-link", title: "Open the sentence this event was coded from" }, `${label} →`);
}

export function eventPlace(e) {
  if (!e.place_name) return "";
  return e.place_country && e.place_country !== e.place_name ? `${e.place_name}, ${e.place_country}` : e.place_name;
}

/** A compact card for one event: type, date, who to whom, where, quote, evidence link. */
export function eventCard(e) {
  const quote = e.evidence ? e.evidence.quote : "";
  return h("li", { class: "event-card", dataset: { eventId: e.id } },
    h("div", { class: "event-card-head" },
      typeBadge(e.type, e.quad),
      e.mode ? h("span", { class: "mode" }, e.mode) : null,
      h("span", { class: "date" }, fmtDate(e.date_value, e.date_precision)),
      e.place_name ? h("span", { class: "place" }, eventPlace(e)) : null),
    h("div", { class: "who" }, actorList(e.actors), h("span", { class: "arrow" }, " → "), actorList(e.recipients)),
    h("blockquote", { class: "quote" }, truncate(quote, 220)),
    h("div", { class: "event-card-foot" },
      h("span", { class: "muted" }, `confidence ${fmtPercent(e.confidence)}`),
      e.intensity !== null && e.intensity !== undefined
        ? h("span", { class: "muted" }, `intensity ${fmtSigned(e.intensity)}`) : null,
      e.reports > 1 ? h("span", { class: "muted" }, `${e.reports} reports`) : null,
      evidenceLink(e)));
}

export function eventList(events, emptyText = "No events.") {
  if (!events || !events.length) return h("p", { class: "empty" }, emptyText);
  return h("ul", { class: "event-cards" }, events.map(eventCard));
}

export function pageHeader(title, lead) {
  return h("div", { class: "page-head" },
    h("h1", {}, title),
    lead ? h("p", { class: "lead" }, lead) : null);
}

export function loading(text = "Loading…") {
  return h("div", { class: "loading", role: "status" }, h("span", { class: "spinner" }), text);
}

/** Shows an API error with its hint; a 401 asks for the read token. */
export function errorBox(err) {
  const e = err instanceof ApiError ? err : new ApiError(0, "client", String(err && err.message || err), "");
  const box = h("div", { class: "error-box", role: "alert" },
    h("strong", {}, e.status === 404 ? "Not found" : "Something went wrong"),
    h("p", {}, e.message),
    e.hint ? h("p", { class: "hint" }, `What to do: ${e.hint}`) : null,
    h("p", { class: "code" }, `error ${e.code}`));
  if (e.status === 401) {
    const input = h("input", { type: "password", placeholder: "Paste the server's token", "aria-label": "Token" });
    box.append(h("form", { class: "token-form", onsubmit: (ev) => { ev.preventDefault(); saveToken(input.value.trim()); location.reload(); } },
      input, h("button", { type: "submit" }, "Use token")));
  }
  return box;
}

/** Runs an async render into `target`, showing loading and errors. */
export async function load(target, work) {
  clear(target).append(loading());
  try {
    const node = await work();
    clear(target);
    if (node) target.append(node);
  } catch (err) {
    console.error(err);
    clear(target).append(errorBox(err));
  }
}

/**
 * On a large store, pages that aggregate everything (network, map) start with the last
 * twelve months of events; returns {since, until, note} or null when not needed.
 */
export async function recentWindow(params, threshold = 100000) {
  if (params.get("since") || params.get("until")) return null;
  const m = await meta();
  if (!m.last_date || m.counts.events <= threshold) return null;
  const [y, mo] = m.last_date.split("-").map(Number);
  const start = new Date(Date.UTC(y, mo - 12, 1)).toISOString().slice(0, 7);
  const until = m.last_date.slice(0, 7);
  return { since: start, until, note: `This store holds ${m.counts.events.toLocaleString("en-GB")} events, so this page starts with the 12 months from ${fmtDate(start, "month")} to ${fmtDate(until, "month")}. Change From and To to see other periods.` };
}

/**
 * With no From/To given, the timeline and map show the months the store's articles were
 * published in (not the span of event dates, which a wrong date can stretch over centuries),
 * with links to the events dated before and after; returns {since, until, node} or null.
 */
export async function coverageWindow(params) {
  if (params.get("since") || params.get("until")) return null;
  const m = await meta();
  if (!m.first_published || !m.last_published) return null;
  const since = m.first_published.slice(0, 7);
  const until = m.last_published.slice(0, 7);
  const node = h("p", { class: "window-note", role: "note", id: "coverage-note" },
    `Showing ${fmtDate(since, "month")} to ${fmtDate(until, "month")}, when this store's articles were published. `,
    h("a", { href: `#/events${qs({ until: prevMonth(since) })}`, id: "dated-before" }, "Events dated before"),
    " · ",
    h("a", { href: `#/events${qs({ since: nextMonth(until) })}`, id: "dated-after" }, "events dated after"),
    ". Change From and To to see other periods.");
  return { since, until, node };
}

function prevMonth(ym) {
  const [y, mo] = ym.split("-").map(Number);
  return new Date(Date.UTC(y, mo - 2, 1)).toISOString().slice(0, 7);
}

function nextMonth(ym) {
  const [y, mo] = ym.split("-").map(Number);
  return new Date(Date.UTC(y, mo, 1)).toISOString().slice(0, 7);
}

export function windowNote(window) {
  return window ? h("p", { class: "window-note", role: "note" }, window.note) : null;
}

// --- filters -------------------------------------------------------------------------

const FIELDS = {
  actor: { label: "Actor", placeholder: "RUS or a name", help: "Who acted: a country code (RUS) or part of a name" },
  recipient: { label: "Recipient", placeholder: "TKM or a name", help: "Who was acted upon" },
  type: { label: "Event type" },
  since: { label: "From", placeholder: "YYYY-MM-DD", help: "A year, month or day: 2021, 2021-08 or 2021-08-10" },
  until: { label: "To", placeholder: "YYYY-MM-DD", help: "A year, month or day" },
  place: { label: "Place", placeholder: "Kabul or AFG", help: "Place name or country code" },
  text: { label: "Words in evidence", placeholder: "e.g. gas", help: "Words in the sentence the event was coded from" },
  min_confidence: { label: "Confidence" },
  modality: { label: "Modality", help: "What happened (asserted, ongoing, historical) is the default; 'all' adds future, hypothetical and negated events" },
  with: { label: "With", placeholder: "CHN or a name", help: "With Actor: events between the two, either direction or side by side" },
  raw: { label: "Every report" },
};

export async function typeSelect(value) {
  const m = await meta();
  const select = h("select", { name: "type", id: "f-type" }, h("option", { value: "" }, "Any type"));
  for (const q of [1, 2, 3, 4]) {
    const group = h("optgroup", { label: QUADS[q].label });
    for (const t of m.types.filter((x) => x.quad === q)) {
      group.append(h("option", { value: t.name, title: t.about, selected: t.name === value }, t.name));
    }
    select.append(group);
  }
  return select;
}

function confidenceSelect(value) {
  const options = [["", "Any"], ["0.5", "50% or more"], ["0.7", "70% or more"], ["0.9", "90% or more"]];
  return h("select", { name: "min_confidence", id: "f-min_confidence" },
    options.map(([v, label]) => h("option", { value: v, selected: String(value || "") === v }, label)));
}

function modalitySelect(value) {
  const options = [["", "What happened"], ["all", "All, future and hypothetical included"]];
  return h("select", { name: "modality", id: "f-modality" },
    options.map(([v, label]) => h("option", { value: v, selected: String(value || "") === v }, label)));
}

/** "12 future, hypothetical or negated events hidden" when the default filter hid any. */
export function hiddenNote(hidden) {
  if (!hidden) return null;
  return h("span", { class: "muted hidden-note", id: "hidden-note" },
    ` · ${hidden} future, hypothetical or negated ${hidden === 1 ? "event" : "events"} hidden (Modality: All shows them)`);
}

/**
 * A filter form for `names`, filled from `params` (URLSearchParams); `onApply(values)`
 * gets the non-empty values.
 */
export async function filterForm(names, params, onApply, extra = []) {
  const form = h("form", { class: "filters", id: "filters", role: "search" });
  for (const name of names) {
    const spec = FIELDS[name];
    let control;
    if (name === "type") control = await typeSelect(params.get("type"));
    else if (name === "min_confidence") control = confidenceSelect(params.get(name));
    else if (name === "modality") control = modalitySelect(params.get(name));
    else if (name === "raw") {
      control = h("input", { type: "checkbox", name: "raw", id: "f-raw", checked: params.get("raw") === "true" });
      form.append(h("label", { class: "check", for: "f-raw", title: "Show each article's report instead of one row per event" }, control, spec.label));
      continue;
    } else {
      control = h("input", { type: "text", name, id: `f-${name}`, value: params.get(name) || "", placeholder: spec.placeholder, autocomplete: "off" });
    }
    form.append(h("label", { class: "field", for: `f-${name}`, title: spec.help || "" }, h("span", {}, spec.label), control));
  }
  for (const node of extra) form.append(node);
  const reset = h("button", { type: "button", class: "secondary", onclick: () => onApply({}) }, "Reset");
  form.append(h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Apply"), reset));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const values = {};
    for (const el of form.elements) {
      if (!el.name) continue;
      if (el.type === "checkbox") { if (el.checked) values[el.name] = "true"; }
      else if (el.value.trim()) values[el.name] = el.value.trim();
    }
    onApply(values);
  });
  return form;
}

/** The values of `params` for `names` as an object. */
export function pick(params, names) {
  const out = {};
  for (const n of names) if (params.get(n)) out[n] = params.get(n);
  return out;
}

// --- tooltip ---------------------------------------------------------------------------

export function showTooltip(x, y, rows, title) {
  const tip = document.getElementById("tooltip");
  clear(tip);
  if (title) tip.append(h("div", { class: "tip-title" }, title));
  for (const row of rows) {
    if (row.heading) { tip.append(h("div", { class: `tip-heading ${row.kind || ""}` }, row.heading)); continue; }
    tip.append(h("div", { class: "tip-row" }, h("span", { class: "tip-key" }, row[0]), h("span", {}, row[1])));
  }
  tip.hidden = false;
  const pad = 14;
  const box = tip.getBoundingClientRect();
  let left = x + pad;
  let top = y + pad;
  if (left + box.width > window.innerWidth - 8) left = x - box.width - pad;
  if (top + box.height > window.innerHeight - 8) top = y - box.height - pad;
  tip.style.left = `${Math.max(8, left)}px`;
  tip.style.top = `${Math.max(8, top)}px`;
}

export function hideTooltip() {
  const tip = document.getElementById("tooltip");
  if (tip) tip.hidden = true;
}
