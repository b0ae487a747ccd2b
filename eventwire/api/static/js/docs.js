// A readable API reference built from /openapi.json (no third-party docs UI, works offline).

import { h } from "./dom.js";

function schemaText(schema) {
  if (!schema) return "";
  if (schema.anyOf) return schema.anyOf.map(schemaText).filter((t) => t !== "null").join(" or ");
  if (schema.enum) return schema.enum.join(" | ");
  if (schema.$ref) return schema.$ref.split("/").pop();
  if (schema.type === "array") return `list of ${schemaText(schema.items)}`;
  const limits = [];
  if (schema.minimum !== undefined) limits.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) limits.push(`≤ ${schema.maximum}`);
  if (schema.pattern) limits.push(`pattern ${schema.pattern}`);
  return [schema.type, ...limits].filter(Boolean).join(", ");
}

function bodyTable(spec, schema) {
  const ref = JSON.stringify(schema).match(/"#\/components\/schemas\/([^"]+)"/);
  const model = ref && spec.components.schemas[ref[1]];
  if (!model) return null;
  const required = new Set(model.required || []);
  return h("div", {},
    h("p", {}, `Body (JSON): one ${ref[1]} or a list of them.`),
    h("table", { class: "plain-table" },
      h("thead", {}, h("tr", {}, ["Field", "Type", "About"].map((c) => h("th", {}, c)))),
      h("tbody", {}, Object.entries(model.properties).map(([name, p]) => h("tr", {},
        h("td", {}, h("code", {}, name), required.has(name) ? " *" : ""),
        h("td", {}, schemaText(p)), h("td", {}, p.description || ""))))));
}

async function main() {
  const root = document.getElementById("docs");
  const spec = await (await fetch("/openapi.json")).json();
  root.append(h("h1", {}, `${spec.info.title} API ${spec.info.version}`));
  for (const para of spec.info.description.split("\n\n")) root.append(h("p", {}, para.replace(/\n/g, " ")));
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = op.parameters || [];
      const section = h("section", { class: "card endpoint" },
        h("h2", {}, h("span", { class: `method ${method}` }, method.toUpperCase()), " ", h("code", {}, path)),
        h("p", { class: "lead" }, op.summary || ""),
        op.description ? h("p", {}, op.description.replace(/\n/g, " ")) : null);
      if (params.length) {
        section.append(h("table", { class: "plain-table" },
          h("thead", {}, h("tr", {}, ["Parameter", "In", "Type", "About"].map((c) => h("th", {}, c)))),
          h("tbody", {}, params.map((p) => h("tr", {},
            h("td", {}, h("code", {}, p.name), p.required ? " *" : ""), h("td", {}, p.in),
            h("td", {}, schemaText(p.schema)), h("td", {}, p.description || (p.schema && p.schema.description) || ""))))));
      }
      const body = op.requestBody && op.requestBody.content["application/json"];
      if (body) section.append(bodyTable(spec, body.schema));
      section.append(h("p", { class: "muted small" }, `Answers: ${Object.keys(op.responses).join(", ")}`));
      root.append(section);
    }
  }
}

main();
