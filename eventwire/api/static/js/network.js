// Actor network: actors as nodes, actor -> recipient interactions as edges weighted by
// count and coloured by mean PLOVER intensity. Click a node for the actor's dossier,
// an edge for the events behind it.

import { h, svg, clear, fmtNumber, fmtSigned } from "./dom.js";
import { api } from "./api.js";
import { filterForm, hideTooltip, intensityColour, load, pageHeader, pick, recentWindow, showTooltip, windowNote } from "./common.js";

const FILTERS = ["type", "since", "until", "place", "min_confidence"];
const KIND_FILL = { country: "#364fc7", person: "#e64980", igo: "#0c8599" };

let simulation = null;

export async function render(view, _arg, params, ctx) {
  if (simulation) simulation.stop();
  const recent = await recentWindow(params);
  if (recent) { params.set("since", recent.since); params.set("until", recent.until); }
  const filters = pick(params, FILTERS);
  const minEvents = params.get("min_events") || "1";
  const maxEdges = params.get("max_edges") || "120";
  view.append(pageHeader("Actor network", "Who interacts with whom. Each arrow points from the actor to the recipient of the events between them: "
    + "thicker means more events, the colour is their mean intensity from conflict (red) to cooperation (green)."));
  const extra = [
    h("label", { class: "field", for: "f-min_events" }, h("span", {}, "Min. events per link"),
      h("input", { type: "number", min: "1", id: "f-min_events", name: "min_events", value: minEvents })),
    h("label", { class: "field", for: "f-max_edges" }, h("span", {}, "Max. links"),
      h("input", { type: "number", min: "1", max: "1000", id: "f-max_edges", name: "max_edges", value: maxEdges })),
  ];
  view.append(await filterForm(FILTERS, params, (values) => ctx.go("network", values), extra));
  if (recent) view.append(windowNote(recent));
  const stage = h("div", { class: "network-stage card", id: "network" });
  view.append(h("div", { class: "network-layout" }, stage, legend()));
  await load(stage, () => draw(stage, { ...filters, min_events: minEvents, max_edges: maxEdges }, ctx));
}

function legend() {
  const ramp = h("div", { class: "ramp" });
  for (let v = -10; v <= 10; v += 2) ramp.append(h("span", { style: { background: intensityColour(v) } }));
  return h("aside", { class: "card legend-card" },
    h("h2", {}, "How to read it"),
    h("p", {}, "Circles are actors, sized by how many events they take part in."),
    h("ul", { class: "plain" },
      Object.entries(KIND_FILL).map(([k, c]) => h("li", {}, h("span", { class: "dot", style: { background: c } }), { country: "State", person: "Person", igo: "International organisation" }[k])),
      h("li", {}, h("span", { class: "dot", style: { background: "#868e96" } }), "Other group")),
    h("p", {}, "Link colour: mean PLOVER intensity of the events"),
    ramp, h("div", { class: "ramp-labels" }, h("span", {}, "−10 conflict"), h("span", {}, "+10 cooperation")),
    h("p", { class: "muted small" }, "Click an actor for its dossier, a link for its events (each with its evidence). Drag to move, scroll to zoom."));
}

async function draw(stage, query, ctx) {
  const net = await api("network", query);
  if (!net.edges.length) return h("p", { class: "empty" }, "No interactions match these filters.");
  const width = Math.max(640, stage.clientWidth || 900);
  const height = 620;
  const nodes = net.nodes.map((n) => ({ ...n }));
  const byKey = Object.fromEntries(nodes.map((n) => [n.key, n]));
  const links = net.edges.map((e) => ({ ...e, source: byKey[e.source], target: byKey[e.target] }));
  const maxNode = d3.max(nodes, (n) => n.events) || 1;
  const maxEdge = d3.max(links, (l) => l.events) || 1;
  const radius = d3.scaleSqrt().domain([1, maxNode]).range([6, 30]);
  const width_ = d3.scaleSqrt().domain([1, maxEdge]).range([1.2, 9]);

  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "network-svg", role: "img", "aria-label": "Actor network" });
  const defs = svg("defs");
  const marker = svg("marker", { id: "arrow", viewBox: "0 -5 10 10", refX: "10", refY: "0", markerWidth: "9", markerHeight: "9", markerUnits: "userSpaceOnUse", orient: "auto" });
  marker.append(svg("path", { d: "M0,-5L10,0L0,5", fill: "#495057" }));
  defs.append(marker);
  root.append(defs);
  const zoomLayer = svg("g");
  root.append(zoomLayer);
  const linkLayer = svg("g", { class: "links" });
  const nodeLayer = svg("g", { class: "nodes" });
  zoomLayer.append(linkLayer, nodeLayer);

  const linkEls = links.map((l) => {
    const path = svg("path", { class: "edge", stroke: intensityColour(l.mean_intensity), "stroke-width": width_(l.events), fill: "none", "marker-end": "url(#arrow)" });
    path.addEventListener("mousemove", (ev) => showTooltip(ev.clientX, ev.clientY, [
      ["Events", fmtNumber(l.events)], ["Cooperation", fmtNumber(l.cooperation)], ["Conflict", fmtNumber(l.conflict)],
      ["Mean intensity", fmtSigned(l.mean_intensity)]], `${l.source.name} → ${l.target.name}`));
    path.addEventListener("mouseleave", hideTooltip);
    path.addEventListener("click", () => { hideTooltip(); ctx.go("events", { ...pick(new URLSearchParams(query), ["type", "since", "until", "place", "min_confidence"]), actor: ref(l.source), recipient: ref(l.target) }); });
    linkLayer.append(path);
    return path;
  });
  const nodeEls = nodes.map((n) => {
    const g = svg("g", { class: "node", tabindex: "0", role: "link", "aria-label": `${n.name}: ${n.events} events` });
    g.dataset.key = n.key;
    g.append(svg("circle", { r: radius(n.events), fill: KIND_FILL[n.kind] || "#868e96" }));
    g.append(svg("text", { x: radius(n.events) + 4, y: 4, class: "node-label" }, n.name));
    g.addEventListener("mousemove", (ev) => showTooltip(ev.clientX, ev.clientY, [["Code", n.code || "—"], ["Kind", n.kind || "—"], ["Events on shown links", fmtNumber(n.events)]], n.name));
    g.addEventListener("mouseleave", hideTooltip);
    g.addEventListener("click", () => { hideTooltip(); ctx.go("actor", {}, n.key); });
    g.addEventListener("keydown", (ev) => { if (ev.key === "Enter") ctx.go("actor", {}, n.key); });
    nodeLayer.append(g);
    return g;
  });

  const crowd = Math.min(1, nodes.length / 60);  // dense graphs need more room
  simulation = d3.forceSimulation(nodes)
    .force("link", d3.forceLink(links).distance((l) => 90 + 90 * crowd + 40 / Math.sqrt(l.events)).strength(0.3))
    .force("charge", d3.forceManyBody().strength(-420 - 600 * crowd))
    .force("collide", d3.forceCollide().radius((n) => radius(n.events) + 14))
    .force("center", d3.forceCenter(width / 2, height / 2))
    .force("x", d3.forceX(width / 2).strength(0.04))
    .force("y", d3.forceY(height / 2).strength(0.06))
    .stop();
  for (let i = 0; i < 300; i += 1) simulation.tick();
  const pairs = new Set(links.map((l) => `${l.source.key}>${l.target.key}`));
  const tick = () => {
    links.forEach((l, i) => linkEls[i].setAttribute("d", edgePath(l, radius, pairs.has(`${l.target.key}>${l.source.key}`))));
    nodes.forEach((n, i) => nodeEls[i].setAttribute("transform", `translate(${n.x},${n.y})`));
  };
  tick();
  fitView(root, nodes, radius, width, height);
  simulation.on("tick", tick);

  d3.select(root).call(d3.zoom().scaleExtent([0.3, 6]).on("zoom", (ev) => zoomLayer.setAttribute("transform", ev.transform)));
  d3.selectAll(nodeEls).data(nodes).call(d3.drag()
    .on("start", (ev, n) => { if (!ev.active) simulation.alphaTarget(0.2).restart(); n.fx = n.x; n.fy = n.y; })
    .on("drag", (ev, n) => { n.fx = ev.x; n.fy = ev.y; })
    .on("end", (ev, n) => { if (!ev.active) simulation.alphaTarget(0); n.fx = null; n.fy = null; }));
  return h("div", {}, root, h("p", { class: "muted small" }, `${nodes.length} actors, ${links.length} links (the busiest links first).`));
}

/** Widens the view box to take in every node and its label after the layout. */
function fitView(root, nodes, radius, width, height) {
  const pad = 20;
  const x0 = d3.min(nodes, (n) => n.x - radius(n.events)) - pad;
  const x1 = d3.max(nodes, (n) => n.x + radius(n.events) + 8 + 7 * (n.name || "").length) + pad;
  const y0 = d3.min(nodes, (n) => n.y - radius(n.events)) - pad;
  const y1 = d3.max(nodes, (n) => n.y + radius(n.events)) + pad;
  const w = Math.max(width, x1 - x0);
  const h = Math.max(height, y1 - y0);
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  root.setAttribute("viewBox", `${cx - w / 2} ${cy - h / 2} ${w} ${h}`);
}

/** How to ask for an actor in a filter: a state's code, else its name. */
function ref(n) {
  return n.kind === "country" && n.code ? n.code : n.name;
}

/** A line (or a bend when the reverse link exists too) stopping at the target's rim. */
function edgePath(l, radius, twoWay) {
  const sx = l.source.x; const sy = l.source.y; const tx = l.target.x; const ty = l.target.y;
  const dx = tx - sx; const dy = ty - sy;
  const dist = Math.hypot(dx, dy) || 1;
  const r = radius(l.target.events) + 3;
  const ex = tx - (dx / dist) * r; const ey = ty - (dy / dist) * r;
  if (!twoWay) return `M${sx},${sy}L${ex},${ey}`;
  const mx = (sx + ex) / 2 - (dy / dist) * 18; const my = (sy + ey) / 2 + (dx / dist) * 18;
  return `M${sx},${sy}Q${mx},${my} ${ex},${ey}`;
}
