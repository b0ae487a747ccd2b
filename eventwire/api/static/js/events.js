// Events table: filters, sortable columns, cursor paging; a row opens its evidence.

import { h, clear, fmtDate, fmtNumber, fmtPercent, fmtSigned, truncate } from "./dom.js";
import { api, qs } from "./api.js";
import { actorList, errorBox, evidenceHref, eventPlace, filterForm, hiddenNote, loading, pageHeader, pick, typeBadge } from "./common.js";

const FILTERS = ["actor", "with", "recipient", "type", "since", "until", "place", "text", "min_confidence", "modality", "raw"];
const PAGE_SIZE = 50;
const COLUMNS = [
  { key: "date", label: "Date", sort: "date" },
  { key: "type", label: "Event" },
  { key: "actors", label: "Actor" },
  { key: "recipients", label: "Recipient" },
  { key: "place", label: "Place" },
  { key: "intensity", label: "Intensity", sort: "intensity", title: "PLOVER intensity: −10 (most hostile) to +10 (most cooperative)" },
  { key: "confidence", label: "Confidence", sort: "confidence", title: "How sure the coder is, 0–100%" },
  { key: "evidence", label: "Evidence (the sentence it was coded from)" },
];

export async function render(view, _arg, params, ctx) {
  const filters = pick(params, FILTERS);
  const sort = params.get("sort") || "-date";
  view.append(pageHeader("Events", "Who did what to whom, when and where. Each row is one event coded by machine from a news sentence; "
    + "click a row to read that sentence in its article."));
  view.append(await filterForm(FILTERS, params, (values) => ctx.go("events", { ...values, sort: sort !== "-date" ? sort : "" })));
  const summary = h("div", { class: "summary", id: "events-summary" });
  const holder = h("div", { class: "table-holder" });
  const pager = h("div", { class: "pager" });
  view.append(summary, holder, pager);
  const cursors = [null];
  let index = 0;

  async function show() {
    clear(holder).append(loading());
    clear(pager);
    try {
      const query = { ...filters, sort, limit: PAGE_SIZE, cursor: cursors[index], total: index === 0 ? "true" : "" };
      const page = await api("events", query);
      if (!ctx.isCurrent()) return;
      if (index === 0) showSummary(summary, page.total, filters, page.hidden);
      clear(holder).append(page.events.length ? table(page.events, sort, filters, ctx) : h("p", { class: "empty" }, "No events match these filters. Try a wider date range or fewer filters."));
      if (page.next_cursor && cursors.length === index + 1) cursors.push(page.next_cursor);
      pager.append(
        h("button", { class: "secondary", disabled: index === 0, onclick: () => { index -= 1; show(); } }, "← Previous"),
        h("span", { class: "muted" }, `Page ${index + 1}`),
        h("button", { class: "secondary", id: "next-page", disabled: !page.next_cursor, onclick: () => { index += 1; show(); } }, "Next →"));
    } catch (err) {
      clear(holder).append(errorBox(err));
    }
  }
  await show();
}

function showSummary(node, total, filters, hidden) {
  clear(node);
  const json = `/api/events${qs({ ...filters, limit: 1000 })}`;
  node.append(...[
    h("span", { class: "count" }, `${fmtNumber(total)} ${total === 1 ? "event" : "events"} match`),
    filters.raw ? h("span", { class: "muted" }, " (every report)") : h("span", { class: "muted" }, " (one row per event; reports of the same event are grouped)"),
    hiddenNote(hidden),
    h("a", { class: "json-link", href: json, target: "_blank", rel: "noopener" }, "Open as JSON"),
  ].filter(Boolean));  // no hidden note when nothing is hidden
}

function table(events, sort, filters, ctx) {
  const head = h("tr", {}, COLUMNS.map((c) => {
    if (!c.sort) return h("th", { scope: "col", title: c.title || "" }, c.label);
    const current = sort.replace("-", "") === c.sort;
    const desc = sort.startsWith("-");
    const next = current && desc ? c.sort : `-${c.sort}`;
    return h("th", { scope: "col", title: c.title || "", "aria-sort": current ? (desc ? "descending" : "ascending") : "none" },
      h("button", { class: `sort ${current ? "on" : ""}`, dataset: { sort: c.sort },
        onclick: () => ctx.go("events", { ...filters, sort: next }) },
        c.label, h("span", { class: "arrow" }, current ? (desc ? " ▼" : " ▲") : " ↕")));
  }));
  const body = h("tbody", {}, events.map((e) => row(e)));
  return h("table", { class: "events", id: "events-table" }, h("thead", {}, head), body);
}

function row(e) {
  const href = evidenceHref(e);
  const quote = e.evidence ? e.evidence.quote : "";
  const tr = h("tr", { class: "clickable", dataset: { eventId: e.id, articleId: e.article_id }, tabindex: "0",
    onclick: (ev) => { if (!ev.target.closest("a")) location.hash = href; },
    onkeydown: (ev) => { if (ev.key === "Enter") location.hash = href; } },
    h("td", { class: "nowrap" }, fmtDate(e.date_value, e.date_precision)),
    h("td", {}, typeBadge(e.type, e.quad), e.mode ? h("div", { class: "mode" }, e.mode) : null),
    h("td", {}, actorList(e.actors)),
    h("td", {}, actorList(e.recipients)),
    h("td", {}, eventPlace(e) || h("span", { class: "muted" }, "—")),
    h("td", { class: "num", style: { color: e.intensity > 0 ? "#2b8a3e" : e.intensity < 0 ? "#c92a2a" : "" } }, fmtSigned(e.intensity)),
    h("td", { class: "num" }, fmtPercent(e.confidence)),
    h("td", { class: "quote-cell" },
      h("span", { class: "quote" }, truncate(quote, 160)),
      h("a", { href, class: "evidence-link" }, "Evidence →"),
      e.reports > 1 ? h("span", { class: "reports", title: "Articles reporting this event" }, `${e.reports} reports`) : null,
      e.article ? h("div", { class: "source" }, [e.article.source, e.article.published].filter(Boolean).join(" · ")) : null));
  return tr;
}
