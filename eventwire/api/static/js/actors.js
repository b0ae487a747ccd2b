// Actors: a searchable list (#/actors) and an actor's dossier (#/actor/KEY): offices held,
// events as actor and as recipient, counterparts, activity over time.

import { h, fmtDate, fmtNumber, fmtSigned } from "./dom.js";
import { api } from "./api.js";
import { QUADS, eventList, fillPeriods, load, pageHeader } from "./common.js";

const PAGE = 50;
const KINDS = { country: "State", person: "Person", igo: "International organisation" };

export async function render(view, arg, params, ctx) {
  if (ctx.page === "actor") return dossier(view, arg, ctx);
  return list(view, params, ctx);
}

async function list(view, params, ctx) {
  const q = params.get("q") || "";
  const offset = Math.max(0, parseInt(params.get("offset") || "0", 10) || 0);
  view.append(pageHeader("Actors", "States, people and organisations found in the events, the most active first."));
  const input = h("input", { type: "search", id: "actor-search", value: q, placeholder: "Code (RUS) or part of a name", "aria-label": "Search actors" });
  view.append(h("form", { class: "filters compact", role: "search", onsubmit: (ev) => { ev.preventDefault(); ctx.go("actors", { q: input.value.trim() }); } },
    h("label", { class: "field" }, h("span", {}, "Search"), input),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Search"))));
  const holder = h("div", { class: "table-holder" });
  view.append(holder);
  await load(holder, async () => {
    const page = await api("actors", { q, limit: PAGE, offset });
    if (!page.actors.length) return h("p", { class: "empty" }, "No actors match.");
    const rows = page.actors.map((a) => h("tr", { class: "clickable", tabindex: "0", onclick: () => ctx.go("actor", {}, a.key), onkeydown: (ev) => { if (ev.key === "Enter") ctx.go("actor", {}, a.key); } },
      h("td", {}, h("a", { href: `#/actor/${encodeURIComponent(a.key)}` }, a.name)),
      h("td", {}, a.code || "—"), h("td", {}, KINDS[a.kind] || a.kind), h("td", {}, a.sector || "—"), h("td", {}, a.office || "—"),
      h("td", { class: "num" }, fmtNumber(a.events)), h("td", { class: "num" }, fmtNumber(a.as_actor)), h("td", { class: "num" }, fmtNumber(a.as_recipient))));
    const head = h("tr", {}, ["Name", "Code", "Kind", "Sector", "Office", "Event reports", "As actor", "As recipient"].map((c) => h("th", { scope: "col" }, c)));
    const pager = h("div", { class: "pager" },
      h("button", { class: "secondary", disabled: offset === 0, onclick: () => ctx.go("actors", { q, offset: Math.max(0, offset - PAGE) || "" }) }, "← Previous"),
      h("button", { class: "secondary", disabled: page.next_offset === null, onclick: () => ctx.go("actors", { q, offset: page.next_offset }) }, "Next →"));
    return h("div", {}, h("table", { class: "events" }, h("thead", {}, head), h("tbody", {}, rows)), pager);
  });
}

/** How to ask for this actor in an events filter: a state's code, else its name. */
function ref(a) {
  return a.kind === "country" && a.code ? a.code : a.name;
}

async function dossier(view, key, ctx) {
  const d = await api(`actors/${encodeURIComponent(key)}`);
  const a = d.actor;
  view.append(pageHeader(a.name, [KINDS[a.kind] || a.kind, a.code, a.sector ? `sector ${a.sector}` : null, a.office].filter(Boolean).join(" · ")));
  view.append(h("div", { class: "stat-row" },
    stat("Events as actor", fmtNumber(d.as_actor.events)),
    stat("Events as recipient", fmtNumber(d.as_recipient.events)),
    stat("Cooperation", fmtNumber(d.as_actor.cooperation + d.as_recipient.cooperation), QUADS[1].colour),
    stat("Conflict", fmtNumber(d.as_actor.conflict + d.as_recipient.conflict), QUADS[4].colour),
    stat("Mean intensity as actor", fmtSigned(d.as_actor.mean_intensity))));
  view.append(h("p", {}, h("a", { href: "#", class: "evidence-link", onclick: (ev) => { ev.preventDefault(); ctx.go("events", { actor: ref(a) }); } }, "All events by this actor →"), " ",
    h("a", { href: "#", class: "evidence-link", onclick: (ev) => { ev.preventDefault(); ctx.go("events", { recipient: ref(a) }); } }, "All events aimed at it →")));
  view.append(h("div", { class: "dossier-grid three" },
    card("Offices held", offices(d.offices)),
    card("What it did", typeCounts(d.as_actor.by_type)),
    card("What was done to it", typeCounts(d.as_recipient.by_type))));
  view.append(card("Counterparts", counterparts(d.counterparts, a, ctx)));
  const activity = h("div", { class: "chart" });
  view.append(card("Activity per month", activity));
  requestAnimationFrame(() => activityChart(activity, d.activity));
  view.append(h("div", { class: "dossier-grid" },
    card("Latest events as actor", eventList(d.as_actor.recent, "None.")),
    card("Latest events as recipient", eventList(d.as_recipient.recent, "None."))));
}

function card(title, body) {
  return h("section", { class: "card" }, h("h2", {}, title), body);
}

function stat(label, value, colour) {
  return h("div", { class: "stat" }, h("div", { class: "stat-value", style: colour ? { color: colour } : {} }, value), h("div", { class: "stat-label" }, label));
}

function offices(list) {
  if (!list.length) return h("p", { class: "muted" }, "No office recorded for this actor.");
  return h("table", { class: "plain-table" },
    h("thead", {}, h("tr", {}, ["Office", "Country", "Seen from", "Seen until", "Events"].map((c, i) => h("th", { scope: "col", class: i === 4 ? "num" : "" }, c)))),
    h("tbody", {}, list.map((o) => h("tr", {}, h("td", {}, o.office), h("td", {}, o.code || "—"), h("td", {}, fmtDate(o.first_date)), h("td", {}, fmtDate(o.last_date)), h("td", { class: "num" }, fmtNumber(o.events))))));
}

function counterparts(list, me, ctx) {
  if (!list.length) return h("p", { class: "muted" }, "No counterparts.");
  return h("table", { class: "plain-table" },
    h("thead", {}, h("tr", {}, ["Counterpart", "Direction", "Events", "Cooperation", "Conflict", "Mean intensity", ""].map((c, i) => h("th", { scope: "col", class: i >= 2 && i <= 5 ? "num" : "" }, c)))),
    h("tbody", {}, list.map((c) => {
      const other = { name: c.name, code: c.code, kind: c.kind };
      const filters = c.direction === "to" ? { actor: ref(me), recipient: ref(other) } : { actor: ref(other), recipient: ref(me) };
      return h("tr", {},
        h("td", {}, h("a", { href: `#/actor/${encodeURIComponent(c.key)}` }, c.name)),
        h("td", {}, c.direction === "to" ? `${me.name} → ${c.name}` : `${c.name} → ${me.name}`),
        h("td", { class: "num" }, fmtNumber(c.events)), h("td", { class: "num" }, fmtNumber(c.cooperation)), h("td", { class: "num" }, fmtNumber(c.conflict)),
        h("td", { class: "num" }, fmtSigned(c.mean_intensity)),
        h("td", {}, h("a", { href: "#", class: "evidence-link", onclick: (ev) => { ev.preventDefault(); ctx.go("events", filters); } }, "Events →")));
    })));
}

function typeCounts(list) {
  if (!list.length) return h("p", { class: "muted" }, "Nothing recorded.");
  const max = Math.max(...list.map((t) => t.count));
  return h("ul", { class: "bars" }, list.map((t) => h("li", {},
    h("span", { class: "bar-label" }, t.type),
    h("span", { class: "bar-track" }, h("span", { class: "bar-fill", style: { width: `${(100 * t.count) / max}%` } })),
    h("span", { class: "num" }, fmtNumber(t.count)))));
}

function activityChart(node, activity) {
  if (!activity.length) { node.append(h("p", { class: "muted" }, "No dated events.")); return; }
  const byPeriod = Object.fromEntries(activity.map((p) => [p.period, p]));
  activity = fillPeriods(activity.map((p) => p.period), "month").map((p) => byPeriod[p]
    || { period: p, events: 0, cooperation: 0, conflict: 0 });
  const canvas = h("canvas", { role: "img", "aria-label": "Events per month" });
  node.append(canvas);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: activity.map((p) => p.period),
      datasets: [
        { label: "Cooperation", data: activity.map((p) => p.cooperation), backgroundColor: "#51cf66", stack: "s", maxBarThickness: 48 },
        { label: "Conflict", data: activity.map((p) => p.conflict), backgroundColor: "#ff6b6b", stack: "s", maxBarThickness: 48 },
        { label: "Other", data: activity.map((p) => p.events - p.cooperation - p.conflict), backgroundColor: "#ced4da", stack: "s", maxBarThickness: 48 },
      ],
    },
    options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { position: "bottom" } },
      scales: { x: { stacked: true, grid: { display: false } }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
  });
}
