// Map: event locations on an offline world map (world-atlas TopoJSON drawn with d3-geo),
// clustered on screen, filterable by time. Click a cluster for its places and events.

import { h, svg, clear, fmtDate, fmtNumber, fmtSigned } from "./dom.js";
import { api } from "./api.js";
import { coverageWindow, fillPeriods, filterForm, hideTooltip, intensityColour, load, meta, pageHeader, pick, recentWindow, showTooltip, windowNote } from "./common.js";

const FILTERS = ["type", "actor", "since", "until", "min_confidence", "modality"];
const WORLD = "/static/vendor/world-atlas@2.0.2/countries-50m.json";
const CLUSTER_PX = 44;
let worldPromise = null;

function world() {
  if (!worldPromise) {
    worldPromise = fetch(WORLD).then((r) => {
      if (!r.ok) throw new Error("the world map file is missing");
      return r.json();
    }).then((topo) => topojson.feature(topo, topo.objects.countries));
  }
  return worldPromise;
}

export async function render(view, _arg, params, ctx) {
  const recent = await recentWindow(params);
  if (recent) { params.set("since", recent.since); params.set("until", recent.until); }
  const coverage = recent ? null : await coverageWindow(params);
  if (coverage) { params.set("since", coverage.since); params.set("until", coverage.until); }
  const filters = pick(params, FILTERS);
  view.append(pageHeader("Map", "Where the events happened, as far as the coder could place them. Nearby places are grouped; "
    + "the number is how many events, the colour their mean intensity. Click a group to list its places and events."));
  view.append(await filterForm(FILTERS, params, (values) => ctx.go("map", values)));
  if (recent) view.append(windowNote(recent));
  if (coverage) view.append(coverage.node);
  const slider = h("div", { class: "time-slider card", id: "time-slider" });
  const stage = h("div", { class: "map-stage card", id: "map" });
  const side = h("aside", { class: "card map-side", id: "map-side" }, h("h2", {}, "Places"), h("p", { class: "muted" }, "Click a circle on the map."));
  view.append(slider, h("div", { class: "map-layout" }, stage, h("div", {}, side, legend())));
  buildSlider(slider, await meta(), filters, ctx);
  await load(stage, () => draw(stage, side, filters, ctx));
}

function legend() {
  const ramp = h("div", { class: "ramp" });
  for (let v = -10; v <= 10; v += 2) ramp.append(h("span", { style: { background: intensityColour(v) } }));
  return h("div", { class: "card" }, h("h2", {}, "Colour"),
    h("p", { class: "small" }, "Mean PLOVER intensity of the events in a circle; its size and number say how many events."),
    ramp, h("div", { class: "ramp-labels" }, h("span", {}, "−10 conflict"), h("span", {}, "+10 cooperation")));
}

/** Two range handles over the months of the store; moving them re-filters the map. */
function buildSlider(node, m, filters, ctx) {
  const first = m.first_published || m.first_date;  // publication coverage, not stray event dates
  const lastDay = m.last_published || m.last_date;
  const months = first && lastDay ? fillPeriods([first.slice(0, 7), lastDay.slice(0, 7)], "month") : [];
  if (months.length < 2) { node.remove(); return; }
  const firstAt = months.indexOf((filters.since || "").slice(0, 7));
  const last = months.indexOf((filters.until || "").slice(0, 7));
  const from = h("input", { type: "range", min: "0", max: String(months.length - 1), value: String(firstAt >= 0 ? firstAt : 0), "aria-label": "From month", id: "slider-from" });
  const to = h("input", { type: "range", min: "0", max: String(months.length - 1), value: String(last >= 0 ? last : months.length - 1), "aria-label": "To month", id: "slider-to" });
  const label = h("span", { class: "slider-label" });
  const show = () => {
    const a = Math.min(+from.value, +to.value);
    const b = Math.max(+from.value, +to.value);
    label.textContent = `${fmtDate(months[a], "month")} – ${fmtDate(months[b], "month")}`;
    return [months[a], months[b]];
  };
  const apply = () => { const [a, b] = show(); ctx.go("map", { ...filters, since: a, until: b }); };
  from.addEventListener("input", show); to.addEventListener("input", show);
  from.addEventListener("change", apply); to.addEventListener("change", apply);
  show();
  node.append(h("span", { class: "field-label" }, "Time"), from, to, label);
}

async function draw(stage, side, filters, ctx) {
  const [countries, data] = await Promise.all([world(), api("places", { ...filters, limit: 5000 })]);
  const width = Math.max(640, stage.clientWidth || 960);
  const height = Math.round(width * 0.52);
  const projection = d3.geoNaturalEarth1().fitExtent([[8, 8], [width - 8, height - 8]], { type: "Sphere" });
  const path = d3.geoPath(projection);
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "map-svg", role: "img", "aria-label": "World map of event locations" });
  const base = svg("g", { class: "base" });
  base.append(svg("path", { d: path({ type: "Sphere" }), class: "sphere" }));
  base.append(svg("path", { d: path(d3.geoGraticule10()), class: "graticule" }));
  for (const f of countries.features) {
    const p = svg("path", { d: path(f), class: "country" });
    p.append(svg("title", {}, f.properties.name));
    base.append(p);
  }
  const dots = svg("g", { class: "clusters" });
  root.append(base, dots);
  const points = data.places.map((p) => ({ ...p, xy: projection([p.lon, p.lat]) })).filter((p) => p.xy);
  let transform = d3.zoomIdentity;
  const redraw = () => drawClusters(dots, cluster(points, transform), side, filters, ctx, transform);
  d3.select(root).call(d3.zoom().scaleExtent([1, 16]).translateExtent([[0, 0], [width, height]])
    .on("zoom", (ev) => { transform = ev.transform; base.setAttribute("transform", transform); redraw(); }));
  redraw();
  const note = data.events_without_place
    ? `${fmtNumber(data.events_without_place)} matching events have no place and are not on the map.` : "";
  return h("div", {}, root, h("p", { class: "muted small" }, `${fmtNumber(points.length)} places. Scroll or pinch to zoom, drag to pan. ${note}`));
}

/** Greedy screen-space clustering: each place joins the first group within CLUSTER_PX. */
export function cluster(points, transform) {
  const groups = [];
  const sorted = [...points].sort((a, b) => b.events - a.events);
  for (const p of sorted) {
    const [x, y] = transform.apply(p.xy);
    const near = groups.find((g) => Math.hypot(g.x - x, g.y - y) < CLUSTER_PX);
    if (near) near.places.push(p);
    else groups.push({ x, y, places: [p] });
  }
  for (const g of groups) {
    g.events = d3.sum(g.places, (p) => p.events);
    const weighted = g.places.filter((p) => p.mean_intensity !== null);
    const total = d3.sum(weighted, (p) => p.events);
    g.mean = total ? d3.sum(weighted, (p) => p.mean_intensity * p.events) / total : null;
  }
  return groups;
}

function drawClusters(layer, groups, side, filters, ctx) {
  clear(layer);
  const max = d3.max(groups, (g) => g.events) || 1;
  const r = d3.scaleSqrt().domain([1, max]).range([9, 24]);
  for (const g of groups.sort((a, b) => b.events - a.events)) {
    const node = svg("g", { class: "cluster", transform: `translate(${g.x},${g.y})`, tabindex: "0", role: "button", "aria-label": `${g.events} events` });
    node.append(svg("circle", { r: r(g.events), fill: intensityColour(g.mean) }));
    node.append(svg("text", { class: "cluster-label", dy: "0.35em" }, g.events > 999 ? `${Math.round(g.events / 1000)}k` : g.events));
    const names = g.places.slice(0, 6).map((p) => [p.name || "?", `${fmtNumber(p.events)} events`]);
    node.addEventListener("mousemove", (ev) => showTooltip(ev.clientX, ev.clientY,
      [...names, ...(g.places.length > 6 ? [["…", `${g.places.length - 6} more places`]] : []), ["Mean intensity", fmtSigned(g.mean)]],
      g.places.length === 1 ? g.places[0].name : `${g.places.length} places`));
    node.addEventListener("mouseleave", hideTooltip);
    const open = () => showPlaces(side, g, filters, ctx);
    node.addEventListener("click", open);
    node.addEventListener("keydown", (ev) => { if (ev.key === "Enter") open(); });
    layer.append(node);
  }
}

function showPlaces(side, g, filters, ctx) {
  clear(side).append(h("h2", {}, g.places.length === 1 ? g.places[0].name : `${g.places.length} places`),
    h("p", { class: "muted small" }, `${fmtNumber(g.events)} events, mean intensity ${fmtSigned(g.mean)}`));
  const list = h("ul", { class: "place-list" });
  for (const p of g.places) {
    list.append(h("li", {},
      h("div", { class: "place-name" }, p.name || "unnamed place", p.country ? h("span", { class: "muted" }, ` ${p.country}`) : null),
      h("div", { class: "muted small" }, `${fmtNumber(p.events)} events · ${fmtNumber(p.cooperation)} cooperation · ${fmtNumber(p.conflict)} conflict · ${fmtDate(p.first_date)} – ${fmtDate(p.last_date)}`),
      h("a", { href: "#", class: "evidence-link", onclick: (ev) => { ev.preventDefault(); ctx.go("events", { ...filters, place: p.name || p.country }); } }, "Events and their evidence →")));
  }
  side.append(list);
}
