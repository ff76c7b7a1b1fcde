// GraphML of what the explorer shows (for Gephi, yEd, NetworkX), built as an XML document so
// every name is escaped by the serializer. As the service's export: `label` is the name (what
// Gephi shows), `type` the node's label, with community, coverage and the positions in view.

const NS = "http://graphml.graphdrawing.org/xmlns";
const NODE_KEYS = [
  ["label", "string"],
  ["type", "string"],
  ["kind", "string"],
  ["name", "string"],
  ["city", "string"],
  ["region", "string"],
  ["degree", "int"],
  ["community", "string"],
  ["coverage", "double"],
  ["betweenness", "double"],
  ["bridges", "int"],
  ["x", "double"],
  ["y", "double"],
];

/** nodes: [{id, label (the name), type, kind, name, city, region, degree, community, coverage,
 * betweenness, bridges, x, y}], edges: [{id, source, target, type}] */
export function toGraphML(nodes, edges) {
  const doc = document.implementation.createDocument(NS, "graphml", null);
  const root = doc.documentElement;
  const el = (name, attrs = {}, text = null) => {
    const node = doc.createElementNS(NS, name);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
    if (text != null) node.textContent = String(text);
    return node;
  };
  for (const [name, type] of NODE_KEYS) {
    root.append(el("key", { id: `n_${name}`, for: "node", "attr.name": name, "attr.type": type }));
  }
  root.append(el("key", { id: "e_type", for: "edge", "attr.name": "type", "attr.type": "string" }));
  const graph = el("graph", { id: "partnergraph", edgedefault: "directed" });
  for (const node of nodes) {
    const item = el("node", { id: node.id });
    for (const [name] of NODE_KEYS) {
      if (node[name] != null && node[name] !== "")
        item.append(el("data", { key: `n_${name}` }, node[name]));
    }
    graph.append(item);
  }
  for (const edge of edges) {
    const item = el("edge", { id: edge.id, source: edge.source, target: edge.target });
    if (edge.type) item.append(el("data", { key: "e_type" }, edge.type));
    graph.append(item);
  }
  root.append(graph);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(doc)}`;
}
