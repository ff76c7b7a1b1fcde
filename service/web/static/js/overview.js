// The overview of the whole network: its communities (GET /graph/communities) drawn by sigma
// (WebGL) on a graphology graph, at the positions the server computed once and stored. Size =
// members, colour = how well the community's open needs are covered inside it, edges = ties
// between communities. Without WebGL the list below the picture stays the way in.

import { h } from "./dom.js";
import { num, t } from "./i18n.js";

// Coverage, low to high: a sequential scale readable with colour blindness (cividis-like,
// dark blue to yellow); grey when a community has no open needs the reader may see.
export const COVERAGE_COLOURS = ["#00204D", "#414D6B", "#7C7B78", "#BCAF6F", "#FFEA46"];
export const NO_NEEDS = "#C8C8C8";

export function coverageColour(coverage) {
  if (coverage == null) return NO_NEEDS;
  const step = Math.min(COVERAGE_COLOURS.length - 1, Math.floor(coverage * COVERAGE_COLOURS.length));
  return COVERAGE_COLOURS[step];
}

function sigmaClass() {
  const s = window.Sigma;
  return s?.Sigma ?? s?.default ?? s;
}

/** Whether this browser can draw with WebGL 2 (what sigma 4 needs). */
export function webglAvailable() {
  try {
    return Boolean(document.createElement("canvas").getContext("webgl2"));
  } catch {
    return false;
  }
}

/**
 * Draw `data` (the /graph/communities answer) into `container`; `onOpen(key)` opens one.
 * Returns {renderer, graph} (renderer null without WebGL or the library).
 */
export function drawOverview(container, data, onOpen) {
  const Graph = window.graphology?.Graph ?? window.graphology;
  const Sigma = sigmaClass();
  if (!Graph || !Sigma || !webglAvailable()) return { renderer: null, graph: null };
  const graph = new Graph({ type: "undirected" });
  const largest = Math.max(1, ...data.communities.map((c) => c.size));
  for (const c of data.communities) {
    graph.addNode(c.key, {
      x: c.x,
      y: c.y,
      size: 3 + 22 * Math.sqrt(c.size / largest),
      color: coverageColour(c.coverage),
      label: `${c.label} (${c.size})`,
    });
  }
  const heaviest = Math.max(1, ...data.links.map((l) => l.weight));
  for (const link of data.links) {
    if (!graph.hasNode(link.source) || !graph.hasNode(link.target)) continue;
    graph.addEdge(link.source, link.target, {
      size: 0.5 + 3 * (link.weight / heaviest),
      color: "#B8C0C8",
    });
  }
  const renderer = new Sigma(graph, container, {
    labelRenderedSizeThreshold: 8,
    labelDensity: 0.5,
    defaultEdgeColor: "#B8C0C8",
  });
  renderer.on("clickNode", ({ node }) => onOpen(node));
  renderer.on("enterNode", () => container.classList.add("pointer"));
  renderer.on("leaveNode", () => container.classList.remove("pointer"));
  return { renderer, graph };
}

/** The same communities as a keyboard-usable list (and the way in without WebGL). */
export function communityList(data, onOpen) {
  return data.communities.slice(0, 60).map((c) => {
    const swatch = h("span", { class: "swatch", "aria-hidden": "true" });
    swatch.style.background = coverageColour(c.coverage);
    return h(
      "li",
      { "data-key": c.key },
      swatch,
      h(
        "button",
        { type: "button", class: "link community", onclick: () => onOpen(c.key) },
        c.label || c.key,
      ),
      " ",
      h(
        "span",
        { class: "help" },
        t("network.community_facts", {
          size: c.size,
          needs: c.needs,
          coverage: c.coverage == null ? "–" : `${num(Math.round(100 * c.coverage))} %`,
        }),
      ),
    );
  });
}

/** The coverage legend. */
export function coverageLegend() {
  const items = COVERAGE_COLOURS.map((colour, i) => {
    const swatch = h("span", { class: "swatch", "aria-hidden": "true" });
    swatch.style.background = colour;
    const from = Math.round((100 * i) / COVERAGE_COLOURS.length);
    const to = Math.round((100 * (i + 1)) / COVERAGE_COLOURS.length);
    return h("span", { class: "legend-item" }, swatch, `${from}–${to} %`);
  });
  const none = h("span", { class: "swatch", "aria-hidden": "true" });
  none.style.background = NO_NEEDS;
  return [
    h("span", { class: "legend-item" }, t("network.coverage_legend")),
    ...items,
    h("span", { class: "legend-item" }, none, t("network.no_needs")),
  ];
}
