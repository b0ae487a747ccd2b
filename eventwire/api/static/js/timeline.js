// Timeline: events per week or month by type, and for two actors the balance of
// cooperation and conflict over time with the mean PLOVER intensity.

import { h, clear, fmtNumber, fmtSigned } from "./dom.js";
import { api } from "./api.js";
import { QUADS, coverageWindow, errorBox, eventList, fillPeriods, filterForm, load, pageHeader, pick, typeColours } from "./common.js";

const FILTERS = ["actor", "recipient", "type", "since", "until", "place", "min_confidence", "modality"];
const charts = [];

function dropCharts() {
  while (charts.length) charts.pop().destroy();
}

export async function render(view, _arg, params, ctx) {
  dropCharts();
  const interval = params.get("interval") === "week" ? "week" : "month";
  const coverage = await coverageWindow(params);
  if (coverage) { params.set("since", coverage.since); params.set("until", coverage.until); }
  const filters = pick(params, FILTERS);
  const a = params.get("a") || "";
  const b = params.get("b") || "";
  view.append(pageHeader("Timeline", "How many events were coded per " + interval + ", by type, and how relations between two actors moved between cooperation and conflict."));
  const intervalSelect = h("label", { class: "field", for: "f-interval" }, h("span", {}, "Per"),
    h("select", { name: "interval", id: "f-interval" },
      h("option", { value: "month", selected: interval === "month" }, "Month"),
      h("option", { value: "week", selected: interval === "week" }, "Week")));
  view.append(await filterForm(FILTERS, params, (values) => ctx.go("timeline", { ...values, a, b }), [intervalSelect]));
  if (coverage) view.append(coverage.node);

  const typesCard = h("section", { class: "card" }, h("h2", {}, `Events per ${interval} by type`));
  const typesBody = h("div", { class: "chart-wrap", id: "types-chart" });
  typesCard.append(typesBody, h("p", { class: "muted small" }, "Click a bar to list those events. Counts are events (reports of the same event are grouped)."));
  view.append(typesCard);
  await load(typesBody, () => typesChart(filters, interval, ctx));

  const dyadCard = h("section", { class: "card", id: "dyad" }, h("h2", {}, "Cooperation and conflict between two actors"));
  const inputA = h("input", { type: "text", id: "dyad-a", value: a, placeholder: "e.g. RUS", "aria-label": "First actor" });
  const inputB = h("input", { type: "text", id: "dyad-b", value: b, placeholder: "e.g. TKM", "aria-label": "Second actor" });
  dyadCard.append(h("form", { class: "filters compact", onsubmit: (ev) => { ev.preventDefault(); ctx.go("timeline", { ...filters, interval: interval !== "month" ? interval : "", a: inputA.value.trim(), b: inputB.value.trim() }); } },
    h("label", { class: "field" }, h("span", {}, "Actor A"), inputA),
    h("label", { class: "field" }, h("span", {}, "Actor B"), inputB),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Compare"))));
  const dyadBody = h("div", { id: "dyad-body" });
  dyadCard.append(dyadBody);
  view.append(dyadCard);
  if (a && b) await load(dyadBody, () => dyadView(a, b, filters, interval));
  else dyadBody.append(await suggestions(ctx, filters, interval));
}

async function typesChart(filters, interval, ctx) {
  const stats = await api("stats", { ...filters, interval });
  if (!stats.by_period.length) return h("p", { class: "empty" }, "No dated events match these filters.");
  const colours = await typeColours();
  const periods = fillPeriods(stats.by_period.map((r) => r.period), interval);
  const types = stats.by_type.map((t) => t.type);
  const datasets = types.map((type) => {
    const counts = Object.fromEntries(stats.by_period.filter((r) => r.type === type).map((r) => [r.period, r.count]));
    return { label: type, data: periods.map((p) => counts[p] || 0), backgroundColor: colours[type] || "#868e96", stack: "all", maxBarThickness: 56 };
  });
  const canvas = h("canvas", { "aria-label": `Bar chart of events per ${interval} by type`, role: "img" });
  const wrap = h("div", { class: "chart" }, canvas);
  const total = h("p", { class: "muted small" }, `${fmtNumber(stats.total)} events, ${stats.first_date || "?"} to ${stats.last_date || "?"}.`);
  requestAnimationFrame(() => {
    charts.push(new Chart(canvas, {
      type: "bar",
      data: { labels: periods, datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: { x: { stacked: true, grid: { display: false } }, y: { stacked: true, beginAtZero: true, title: { display: true, text: "events" }, ticks: { precision: 0 } } },
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } }, tooltip: { mode: "index", intersect: false, filter: (item) => item.raw > 0 } },
        onClick: (_ev, items) => {
          if (!items.length) return;
          const period = periods[items[0].index];
          const type = datasets[items[0].datasetIndex].label;
          const [since, until] = periodRange(period, interval);
          ctx.go("events", { ...filters, type, since, until });
        },
      },
    }));
  });
  return h("div", {}, wrap, total);
}

function periodRange(period, interval) {
  if (interval !== "week") return [period, period];
  const start = new Date(`${period}T00:00:00Z`);
  const end = new Date(start.getTime() + 6 * 86400000);
  return [period, end.toISOString().slice(0, 10)];
}

async function suggestions(ctx, filters, interval) {
  const box = h("div", { class: "suggest" }, h("p", { class: "muted" }, "Pick two actors (a country code such as RUS, or part of a name). Busiest pairs:"));
  try {
    const net = await api("network", { ...pick(new URLSearchParams(filters), ["since", "until", "type"]), max_edges: 8 });
    const names = Object.fromEntries(net.nodes.map((n) => [n.key, n]));
    const seen = new Set();
    const list = h("div", { class: "chips" });
    for (const e of net.edges) {
      const x = names[e.source];
      const y = names[e.target];
      const pair = [x, y].map((n) => (n.code && n.kind === "country" ? n.code : n.name));
      const id = [...pair].sort().join("|");
      if (seen.has(id)) continue;
      seen.add(id);
      list.append(h("button", { class: "chip", type: "button", onclick: () => ctx.go("timeline", { ...filters, interval: interval !== "month" ? interval : "", a: pair[0], b: pair[1] }) },
        `${x.name} ↔ ${y.name}`));
    }
    box.append(list);
  } catch (err) {
    box.append(errorBox(err));
  }
  return box;
}

async function dyadView(a, b, filters, interval) {
  const d = await api("dyads", { a, b, interval, ...pick(new URLSearchParams(filters), ["since", "until", "type", "min_confidence", "modality"]) });
  const t = d.totals;
  const out = h("div", {});
  out.append(h("div", { class: "stat-row" },
    stat("Events", fmtNumber(t.events)),
    stat("Cooperation", fmtNumber(t.cooperation), QUADS[1].colour),
    stat("Conflict", fmtNumber(t.conflict), QUADS[4].colour),
    stat("Mean intensity", fmtSigned(t.mean_intensity), null, "PLOVER intensity: −10 most hostile, +10 most cooperative"),
    stat("Side by side", fmtNumber(d.together || 0), null, "Both among the actors: a joint statement, a meeting")));
  if (d.hidden) out.append(h("p", { class: "muted small hidden-note" }, `${d.hidden} future, hypothetical or negated ${d.hidden === 1 ? "event" : "events"} hidden (Modality: All shows them).`));
  if (!d.series.length) {
    out.append(h("p", { class: "empty" }, `No dated events between ${a} and ${b}. Check the spelling, or try a country code.`));
    return out;
  }
  const byPeriod = Object.fromEntries(d.series.map((s) => [s.period, s]));
  const series = fillPeriods(d.series.map((s) => s.period), interval).map((p) => byPeriod[p]
    || { period: p, events: 0, cooperation: 0, conflict: 0, mean_intensity: null });
  const canvas = h("canvas", { role: "img", "aria-label": `Cooperation and conflict between ${a} and ${b}` });
  out.append(h("div", { class: "chart" }, canvas));
  out.append(h("p", { class: "muted small" }, `Bars: events per ${interval} (cooperation up, conflict down). Line: mean PLOVER intensity of that ${interval}'s events (right axis).`));
  requestAnimationFrame(() => {
    charts.push(new Chart(canvas, {
      data: {
        labels: series.map((s) => s.period),
        datasets: [
          { type: "bar", label: "Cooperation (quad 1–2)", data: series.map((s) => s.cooperation), backgroundColor: "#51cf66", yAxisID: "y", stack: "tone", maxBarThickness: 56 },
          { type: "bar", label: "Conflict (quad 3–4)", data: series.map((s) => -s.conflict), backgroundColor: "#ff6b6b", yAxisID: "y", stack: "tone", maxBarThickness: 56 },
          { type: "line", label: "Mean intensity", data: series.map((s) => s.mean_intensity), borderColor: "#343a40", backgroundColor: "#343a40", yAxisID: "y2", tension: 0.25, spanGaps: true, pointRadius: 3 },
        ],
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: {
          x: { stacked: true, grid: { display: false } },
          y: { stacked: true, title: { display: true, text: "events (conflict below zero)" }, ticks: { precision: 0, callback: (v) => Math.abs(v) } },
          y2: { position: "right", min: -10, max: 10, grid: { display: false }, title: { display: true, text: "mean intensity" } },
        },
        plugins: { legend: { position: "bottom" }, tooltip: { mode: "index", intersect: false, callbacks: { label: (c) => `${c.dataset.label}: ${c.dataset.type === "line" ? fmtSigned(c.raw) : Math.abs(c.raw)}` } } },
      },
    }));
  });
  out.append(h("h3", {}, "Most recent events between them"), eventList(d.events));
  return out;
}

function stat(label, value, colour, title) {
  return h("div", { class: "stat", title: title || "" }, h("div", { class: "stat-value", style: colour ? { color: colour } : {} }, value), h("div", { class: "stat-label" }, label));
}
