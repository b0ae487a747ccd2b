// Article view: the text with events' evidence, actors, places and dates highlighted
// (a colour per kind, the coded fields on hover) and a side list of the article's events.
// Selecting an event marks its evidence and scrolls to it.

import { h, clear, fmtDate, fmtPercent, fmtSigned, safeHref } from "./dom.js";
import { api } from "./api.js";
import { actorList, eventPlace, hideTooltip, pageHeader, showTooltip, typeBadge } from "./common.js";

const KINDS = {
  event: "Event evidence",
  actor: "Actor",
  place: "Place",
  date: "Date",
};
const FIELD_LABELS = {
  type: "Type", mode: "Mode", modality: "Modality", actors: "Actor", recipients: "Recipient",
  date: "Date", date_precision: "Date precision", place: "Place", intensity: "Intensity",
  confidence: "Confidence", claimed_by: "Claimed by", name: "Name", code: "Code", country: "Country",
  sector: "Sector", kind: "Kind", office: "Office", geonames_id: "GeoNames id", lat: "Latitude",
  lon: "Longitude", precision: "Precision", admin1: "Region", event_location: "Where it happened",
  value: "Normalised",
};

export async function render(view, articleId, params) {
  const data = await api(`articles/${encodeURIComponent(articleId)}`);
  const meta = [data.source, data.published ? fmtDate(data.published, "day") : null, data.author].filter(Boolean).join(" · ");
  const url = safeHref(data.url);
  view.append(pageHeader(data.title || "Untitled article", null));
  view.append(h("p", { class: "article-meta" }, meta,
    url ? h("a", { href: url, target: "_blank", rel: "noopener noreferrer nofollow", class: "source-link" }, "Original source ↗") : null,
    h("span", { class: "muted" }, ` · id ${data.id} · coded by ${data.pipeline_version}`)));
  data.events.sort((x, y) => ((x.evidence || {}).start ?? 0) - ((y.evidence || {}).start ?? 0));
  const textNode = h("div", { class: "article-text", id: "article-text", lang: data.lang || "en" });
  renderText(textNode, data.text, data.spans);
  const side = h("aside", { class: "article-side" },
    h("h2", {}, `Events in this article (${data.events.length})`),
    h("p", { class: "muted small" }, "Machine-coded. Select an event to mark the sentence it was coded from."),
    h("ul", { class: "side-events", id: "side-events" }, data.events.map((e) => sideEvent(e, textNode))));
  view.append(legend(), h("div", { class: "article-layout" }, h("article", { class: "article-body" }, textNode), side));
  const wanted = params.get("event");
  if (wanted && data.events.some((e) => e.id === wanted)) select(wanted, textNode, false);
  else if (!data.events.length) side.append(h("p", { class: "empty" }, "No events were coded in this article."));
}

function legend() {
  return h("div", { class: "legend", "aria-label": "Highlight colours" },
    Object.entries(KINDS).map(([kind, label]) => h("span", { class: `legend-item` }, h("span", { class: `swatch k-${kind}` }, "Aa"), label)),
    h("span", { class: "muted" }, "Hover a highlight for what was coded."));
}

/** Splits the text at every span boundary; each piece lists the spans covering it. */
export function segments(text, spans) {
  const cuts = new Set([0, text.length]);
  for (const s of spans) { cuts.add(s.start); cuts.add(s.end); }
  const points = [...cuts].filter((x) => x >= 0 && x <= text.length).sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i < points.length - 1; i += 1) {
    const start = points[i];
    const end = points[i + 1];
    if (end <= start) continue;
    out.push({ start, end, spans: spans.filter((s) => s.start <= start && s.end >= end) });
  }
  return out;
}

function renderText(node, text, spans) {
  for (const seg of segments(text, spans)) {
    const piece = text.slice(seg.start, seg.end);
    if (!seg.spans.length) { node.append(document.createTextNode(piece)); continue; }
    const events = seg.spans.filter((s) => s.kind === "event").map((s) => s.event_id);
    const inner = seg.spans.filter((s) => s.kind !== "event").sort((a, b) => (a.end - a.start) - (b.end - b.start))[0];
    const classes = ["seg"];
    if (events.length) classes.push("k-event");
    if (inner) classes.push(`k-${inner.kind}`);
    const el = h("span", { class: classes.join(" "), dataset: { events: events.join(" "), start: seg.start, end: seg.end } });
    el.textContent = piece;
    el.addEventListener("mousemove", (ev) => showTooltip(ev.clientX, ev.clientY, tooltipRows(seg.spans)));
    el.addEventListener("mouseleave", hideTooltip);
    if (events.length) el.addEventListener("click", () => select(events[0], node, false));
    node.append(el);
  }
}

function tooltipRows(spans) {
  const rows = [];
  const ordered = [...spans].sort((a, b) => (a.end - a.start) - (b.end - b.start));
  for (const s of ordered) {
    rows.push({ heading: KINDS[s.kind], kind: `k-${s.kind}` });
    for (const [key, value] of Object.entries(s.fields || {})) {
      let shown = value;
      if (key === "confidence") shown = fmtPercent(value);
      else if (key === "intensity") shown = fmtSigned(value);
      else if (typeof value === "boolean") shown = value ? "yes" : "no";
      rows.push([FIELD_LABELS[key] || key, String(shown)]);
    }
  }
  return rows;
}

function sideEvent(e, textNode) {
  const item = h("li", { class: "side-event", dataset: { eventId: e.id }, tabindex: "0", role: "button",
    "aria-label": `Show the evidence of ${e.type} event`,
    onclick: () => select(e.id, textNode, true),
    onkeydown: (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); select(e.id, textNode, true); } } },
    h("div", { class: "event-card-head" }, typeBadge(e.type, e.quad), e.mode ? h("span", { class: "mode" }, e.mode) : null,
      h("span", { class: "date" }, fmtDate(e.date_value, e.date_precision))),
    h("div", { class: "who" }, actorList(e.actors), h("span", { class: "arrow" }, " → "), actorList(e.recipients)),
    h("div", { class: "muted small" },
      [eventPlace(e) || "no place", `confidence ${fmtPercent(e.confidence)}`, `intensity ${fmtSigned(e.intensity)}`,
        e.modality !== "asserted" ? e.modality : null, e.claimed_by_text ? `claimed by ${e.claimed_by_text}` : null,
        e.reports > 1 ? `${e.reports} reports` : null].filter(Boolean).join(" · ")),
    h("button", { class: "link show-evidence", type: "button" }, "Show evidence"));
  return item;
}

/** Marks the evidence of `eventId`, scrolls to it and records it in the URL. */
export function select(eventId, textNode, updateUrl) {
  textNode.querySelectorAll(".seg.sel").forEach((el) => el.classList.remove("sel"));
  const parts = [...textNode.querySelectorAll(".seg.k-event")].filter((el) => el.dataset.events.split(" ").includes(eventId));
  parts.forEach((el) => el.classList.add("sel"));
  document.querySelectorAll(".side-event").forEach((el) => el.classList.toggle("selected", el.dataset.eventId === eventId));
  if (parts.length) parts[0].scrollIntoView({ block: "center", behavior: "smooth" });
  if (updateUrl) {
    const [path] = location.hash.split("?");
    history.replaceState(null, "", `${path}?event=${encodeURIComponent(eventId)}`);
  }
}
