// Safe DOM building: every piece of data becomes a text node or a property, never HTML.
// Nothing in the UI assigns innerHTML, outerHTML or insertAdjacentHTML.

const SAFE_URL = /^(https?:|\/|#)/i;

/** Returns href when it is http(s), site-relative or a #route; otherwise null. */
export function safeHref(href) {
  const value = String(href ?? "").trim();
  return SAFE_URL.test(value) && !value.startsWith("//") ? value : null;
}

/**
 * h("a", {href: "#/events", class: "x", onclick: fn, dataset: {id: 1}}, "text", child)
 * Strings and numbers are added as text; null/false children are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "style") Object.assign(node.style, value);
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "href") { const safe = safeHref(value); if (safe) node.setAttribute("href", safe); }
    else if (key === "text") node.textContent = String(value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** SVG element with attributes (values set with setAttribute, text with textContent). */
export function svg(tag, attrs = {}, text) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined) node.setAttribute(key, String(value));
  }
  if (text !== undefined) node.textContent = String(text);
  return node;
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

export function fmtNumber(n) {
  return n === null || n === undefined ? "–" : Number(n).toLocaleString("en-GB");
}

export function fmtSigned(n, digits = 1) {
  if (n === null || n === undefined) return "–";
  const v = Number(n);
  return (v > 0 ? "+" : v < 0 ? "−" : "") + Math.abs(v).toFixed(digits);
}

export function fmtPercent(x) {
  return x === null || x === undefined ? "–" : `${Math.round(Number(x) * 100)}%`;
}

/** A date value with its precision: "10 Aug 2021", "Aug 2021", "2021". */
export function fmtDate(value, precision) {
  if (!value) return "undated";
  const [y, m, d] = value.split("-").map(Number);
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  if (precision === "year" || !m) return String(y);
  if (precision === "month" || !d) return `${months[m - 1]} ${y}`;
  return `${d} ${months[m - 1]} ${y}`;
}

export function truncate(text, size) {
  const t = String(text ?? "");
  return t.length > size ? `${t.slice(0, size - 1).trimEnd()}…` : t;
}
