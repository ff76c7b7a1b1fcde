// Netzwerk (analysts): explore the graph around nodes. Search (GET /graph/search), expand
// neighbourhoods (GET /graph/neighbourhood), filter, colour by kind or cluster, size by
// degree, topics and gaps of open needs (GET /analytics/topics, /analytics/gaps), export the
// view as PNG or GraphML. Non-public needs arrive anonymised and unlinked for analysts and
// universities: the service decides, the page shows what it gets.

import { api } from "./api.js";
import { debounce, download, fill, h } from "./dom.js";
import { toGraphML } from "./graphml.js";
import { num, t } from "./i18n.js";
import { communityList, coverageLegend, drawOverview } from "./overview.js";
import { KINDS, kindName, ready, showError, startPage, status } from "./shell.js";

const $ = (id) => document.getElementById(id);
const MAX_ROWS = 400; // rows of the node list; the canvas shows all

// At most eight kinds, in the Okabe–Ito colours (distinguishable with colour blindness):
// three kinds of firms, research, competences, needs, projects and events, and the rest.
const PALETTE = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#CC79A7",
  "#56B4E9",
  "#D55E00",
  "#F0E442",
  "#999999",
];
const GROUPS = {
  company: 0,
  craft_business: 1,
  service_provider: 2,
  university: 3,
  institute: 3,
  research_group: 3,
  Competence: 4,
  Need: 5,
  Project: 6,
  Event: 6,
};
const OTHER = 7;
const NODE_TYPES = [
  "Organization",
  "Competence",
  "Need",
  "Project",
  "Event",
  "Person",
  "Region",
  "Industry",
  "Trade",
];

// Fields of a node that are shown elsewhere in the details, or bookkeeping of the import.
const BOOKKEEPING = new Set([
  "name",
  "kind",
  "city",
  "source",
  "source_id",
  "hash",
  "text_hash",
  "embedding_model",
  "embedding_dim",
  "coordinates_from",
  "lat",
  "lon",
  "country",
  "x",
  "y",
  "community",
]);

function fieldName(name) {
  const label = t(`field.${name}`);
  return label === `field.${name}` ? name : label;
}

let cy = null;
const state = { topics: [], selected: null, communities: null, overview: null };

// --- elements ------------------------------------------------------------------------------------

function typeName(data) {
  if (data.label === "Organization") return kindName(data.kind) || t("label.Organization");
  return t(`label.${data.label}`);
}

function group(data) {
  return GROUPS[data.label === "Organization" ? data.kind : data.label] ?? OTHER;
}

function baseColour(data) {
  return PALETTE[group(data)];
}

/** The legend's name of a colour group. */
function groupName(data) {
  const index = group(data);
  if (index === OTHER) return t("network.other");
  if (index === 3) return t("network.research");
  if (index === 6) return t("network.activities");
  return typeName(data);
}

/** Add a subgraph from the API; returns how many nodes and edges were new. */
function addSubgraph(subgraph, near) {
  const origin = near ? cy.getElementById(near) : null;
  const position = origin?.nonempty() ? origin.position() : { x: 0, y: 0 };
  let nodes = 0;
  let edges = 0;
  cy.batch(() => {
    for (const node of subgraph.nodes) {
      const existing = cy.getElementById(node.id);
      const data = {
        id: node.id,
        label: node.label,
        kind: node.kind ?? null,
        name: node.name ?? node.id,
        city: node.city ?? null,
        region: node.region ?? null,
        degree: node.degree ?? 0,
        props: node.data ?? {},
      };
      if (existing.nonempty()) {
        existing.data(data);
        continue;
      }
      const stored = typeof data.props.x === "number" && near === null;
      cy.add({
        group: "nodes",
        data,
        position: stored
          ? { x: data.props.x * 4, y: data.props.y * 4 }
          : {
              x: position.x + (Math.random() - 0.5) * 80,
              y: position.y + (Math.random() - 0.5) * 80,
            },
      });
      nodes += 1;
    }
    for (const edge of subgraph.edges) {
      if (cy.getElementById(edge.id).nonempty()) continue;
      if (cy.getElementById(edge.source).empty() || cy.getElementById(edge.target).empty())
        continue;
      cy.add({
        group: "edges",
        data: { id: edge.id, source: edge.source, target: edge.target, type: edge.type },
        classes: edge.type === "FITS" ? "fits" : "",
      });
      edges += 1;
    }
  });
  return { nodes, edges };
}

async function expand(id) {
  showView("explorer");
  status(t("network.loading"));
  try {
    const subgraph = await api("/graph/neighbourhood", {
      query: { key: id, depth: $("depth").value, limit: 200, hubs: $("hubs").checked },
    });
    const added = addSubgraph(subgraph, id);
    refresh({ layout: added.nodes > 0 });
    select(id);
    status(
      t("network.added", { nodes: added.nodes, edges: added.edges, total: cy.nodes().length }) +
        (subgraph.truncated ? ` ${t("network.truncated")}` : ""),
    );
  } catch (error) {
    showError(error);
  }
}

// --- look ----------------------------------------------------------------------------------------

function layout() {
  const visible = cy.elements().not(".hidden");
  if (visible.empty()) return;
  const name = window.cytoscapeFcose ? "fcose" : "cose";
  visible
    .layout({
      name,
      animate: false,
      randomize: false,
      fit: true,
      padding: 30,
      nodeRepulsion: 6000,
      idealEdgeLength: 70,
    })
    .run();
}

function applyFilters() {
  const kinds = new Set(
    [...document.querySelectorAll('input[name="kinds"]:checked')].map((box) => box.value),
  );
  const place = $("f-region").value.trim().toLowerCase();
  const trade = $("f-trade").value.trim().toLowerCase();
  const topic = state.topics.find((tp) => tp.id === $("f-topic").value);
  const topicNeeds = topic ? new Set(topic.needs.map((n) => `Need:${n.key}`)) : null;
  const types = new Set(
    [...document.querySelectorAll('input[name="types"]:checked')].map((box) => box.value),
  );
  cy.batch(() => {
    cy.nodes().forEach((node) => {
      const d = node.data();
      let show = true;
      if (d.label === "Organization") {
        if (d.kind && !kinds.has(d.kind) && KINDS.includes(d.kind)) show = false;
        if (
          place &&
          ![d.city, d.region, d.props.district]
            .filter(Boolean)
            .join(" ")
            .toLowerCase()
            .includes(place)
        )
          show = false;
        if (trade && !practises(d.props, trade)) show = false;
      }
      if (topicNeeds && d.label === "Need" && !topicNeeds.has(d.id)) show = false;
      if (!types.has(d.label)) show = false;
      node.toggleClass("hidden", !show);
    });
  });
}

/** Whether an organisation practises a trade, by its code (A13) or part of its name. */
function practises(props, wanted) {
  return (
    (props.trades ?? []).some((code) => code.toLowerCase() === wanted) ||
    (props.trade_names ?? []).some((name) => name.toLowerCase().includes(wanted))
  );
}

function colourAndSize() {
  const byCluster = document.querySelector('input[name="colour"]:checked').value === "cluster";
  const bySize = $("size-degree").checked;
  // communities of the whole network, computed on the server: the seven largest in view get
  // a colour each, the rest (and nodes of none) grey
  const clusterOf = new Map();
  if (byCluster) {
    const counts = new Map();
    cy.nodes()
      .not(".hidden")
      .forEach((node) => {
        const c = node.data("props").community;
        if (c) counts.set(c, (counts.get(c) ?? 0) + 1);
      });
    const ranked = [...counts].sort((a, b) => b[1] - a[1]).map(([c]) => c);
    cy.nodes().forEach((node) => {
      const c = node.data("props").community;
      const index = ranked.indexOf(c);
      clusterOf.set(node.id(), index >= 0 && index < OTHER ? index : OTHER);
    });
  }
  cy.batch(() => {
    cy.nodes().forEach((node) => {
      const d = node.data();
      const colour = byCluster
        ? PALETTE[clusterOf.get(d.id) ?? OTHER]
        : baseColour(d);
      const size = bySize ? Math.min(64, 16 + 5 * Math.sqrt(d.degree ?? 0)) : 22;
      node.data({ colour, size });
    });
  });
  renderLegend(byCluster, clusterOf);
}

function renderLegend(byCluster, clusterOf) {
  if (byCluster) {
    const names = new Map();
    cy.nodes()
      .not(".hidden")
      .forEach((node) => {
        const index = clusterOf.get(node.id());
        const label = node.data("props").community_label ?? node.data("props").community;
        if (index !== OTHER && label) names.set(index, label);
      });
    fill(
      $("legend"),
      [...names].map(([index, name]) => {
        const swatch = h("span", { class: "swatch", "aria-hidden": "true" });
        swatch.style.background = PALETTE[index];
        return h("span", { class: "legend-item" }, swatch, name);
      }),
    );
    return;
  }
  const present = new Map();
  cy.nodes()
    .not(".hidden")
    .forEach((node) => present.set(groupName(node.data()), baseColour(node.data())));
  fill(
    $("legend"),
    [...present].map(([name, colour]) => {
      const swatch = h("span", { class: "swatch", "aria-hidden": "true" });
      swatch.style.background = colour;
      return h("span", { class: "legend-item" }, swatch, name);
    }),
  );
}

function refresh({ layout: relayout = false } = {}) {
  applyFilters();
  colourAndSize();
  if (relayout) layout();
  renderRows();
}

// --- the accessible list and details -------------------------------------------------------------

function renderRows() {
  const by = $("sort").value;
  const measure = (node) => {
    const d = node.data();
    if (by === "degree") return d.degree ?? 0;
    return Number(d.props[by] ?? 0);
  };
  const byName = (a, b) => String(a.data("name")).localeCompare(String(b.data("name")));
  const nodes = cy
    .nodes()
    .not(".hidden")
    .sort(by === "name" ? byName : (a, b) => measure(b) - measure(a) || byName(a, b));
  const rows = nodes.slice(0, MAX_ROWS).map((node) => {
    const d = node.data();
    return h(
      "tr",
      { "data-id": d.id, class: state.selected === d.id ? "selected" : null },
      h(
        "td",
        {},
        h("button", { type: "button", class: "link", onclick: () => select(d.id, true) }, d.name),
      ),
      h("td", {}, typeName(d)),
      h("td", { class: "number" }, String(d.degree ?? "")),
      h("td", { class: "number" }, String(d.props.bridges ?? "")),
      h(
        "td",
        {},
        h(
          "button",
          {
            type: "button",
            class: "small",
            "aria-label": t("network.expand_named", { name: d.name }),
            onclick: () => expand(d.id),
          },
          t("network.expand"),
        ),
      ),
    );
  });
  fill($("node-rows"), rows);
}

function select(id, centre = false) {
  const node = cy.getElementById(id);
  if (node.empty()) return;
  state.selected = id;
  cy.nodes().unselect();
  node.select();
  if (centre) cy.animate({ center: { eles: node }, duration: 0 });
  const d = node.data();
  const facts = [
    [t("network.type"), typeName(d)],
    [t("network.city"), d.city],
    [t("network.region"), d.region],
    [t("network.degree"), d.degree],
  ];
  for (const [name, value] of Object.entries(d.props ?? {})) {
    if (BOOKKEEPING.has(name) || value == null || value === "") continue;
    if (Array.isArray(value)) facts.push([fieldName(name), value.join(", ")]);
    else if (typeof value !== "object") facts.push([fieldName(name), value]);
  }
  fill(
    $("details-body"),
    h("h3", { class: "details-name" }, d.name),
    h(
      "dl",
      { class: "facts" },
      facts
        .filter(([, value]) => value != null && value !== "")
        .map(([name, value]) => [h("dt", {}, name), h("dd", {}, String(value))]),
    ),
    h(
      "button",
      { type: "button", id: "expand-selected", onclick: () => expand(id) },
      t("network.expand"),
    ),
    " ",
    h("button", { type: "button", class: "link", onclick: () => remove(id) }, t("network.remove")),
  );
  renderRows();
}

function remove(id) {
  cy.getElementById(id).remove();
  state.selected = null;
  fill($("details-body"), h("p", { class: "help" }, t("network.details_empty")));
  refresh();
}

// --- topics and gaps -----------------------------------------------------------------------------

function renderTopics() {
  const chosen = $("f-topic").value;
  fill(
    $("f-topic"),
    h("option", { value: "" }, t("needs.all_topics")),
    state.topics.map((topic) =>
      h("option", { value: topic.id, selected: topic.id === chosen }, topic.label),
    ),
  );
  const largest = Math.max(1, ...state.topics.map((topic) => topic.size));
  fill(
    $("topics"),
    state.topics.map((topic) => {
      const bar = h("span", { class: "size-bar", "aria-hidden": "true" });
      bar.style.width = `${(100 * topic.size) / largest}%`;
      return h(
        "li",
        {},
        h(
          "div",
          { class: "topic-head" },
          h("strong", {}, topic.label),
          " ",
          t("network.topic_size", { size: topic.size, gaps: topic.gaps }),
        ),
        bar,
        h(
          "button",
          { type: "button", class: "small", onclick: () => showTopic(topic) },
          t("network.show_topic"),
        ),
      );
    }),
  );
}

/** A topic's needs with the organisations that could serve them (edges = fit): a need
 * without edges is a gap. */
async function showTopic(topic) {
  showView("explorer");
  status(t("network.loading"));
  try {
    const subgraph = await api("/graph/fit", {
      query: { need: topic.needs.slice(0, 20).map((need) => need.key), per_need: 3 },
    });
    const added = addSubgraph(subgraph, null);
    $("f-topic").value = topic.id;
    refresh({ layout: true });
    const needs = subgraph.nodes.filter((n) => n.label === "Need");
    const served = new Set(subgraph.edges.map((e) => e.target));
    status(
      t("network.topic_shown", {
        needs: needs.length,
        orgs: subgraph.nodes.length - needs.length,
        gaps: needs.filter((n) => !served.has(n.id)).length,
      }) + ` ${t("network.added", { nodes: added.nodes, edges: added.edges, total: cy.nodes().length })}`,
    );
  } catch (error) {
    showError(error);
  }
}

const gapOwner = (need) => need.organization?.name ?? need.organization_description ?? "";
const gapCover = (gap) => t("network.best_cover", { score: num(gap.best_score) });

function renderGaps(gaps) {
  fill(
    $("gaps"),
    gaps
      .slice(0, 15)
      .map((gap) =>
        h(
          "li",
          {},
          h("span", {}, gap.need.title ?? gap.need.key),
          " ",
          h("span", { class: "help" }, `(${gapOwner(gap.need)}; ${gapCover(gap)})`),
          " ",
          h(
            "button",
            { type: "button", class: "small", onclick: () => expand(`Need:${gap.need.key}`) },
            t("network.show"),
          ),
        ),
      ),
  );
}

// --- search and exports --------------------------------------------------------------------------

async function searchNodes(event) {
  event.preventDefault();
  const q = $("node-q").value.trim();
  if (!q) return;
  try {
    const hits = await api("/graph/search", { query: { q } });
    fill(
      $("hits"),
      hits.length
        ? hits.map((hit) =>
            h(
              "li",
              {},
              h(
                "button",
                { type: "button", class: "hit", "data-id": hit.id, onclick: () => expand(hit.id) },
                hit.name ?? hit.id,
              ),
              " ",
              h(
                "span",
                { class: "help" },
                hit.label === "Organization" ? kindName(hit.kind) : t(`label.${hit.label}`),
              ),
            ),
          )
        : h("li", { class: "help" }, t("network.no_hits")),
    );
  } catch (error) {
    showError(error);
  }
}

function visibleElements() {
  const nodes = cy.nodes().not(".hidden");
  const ids = new Set(nodes.map((node) => node.id()));
  const edges = cy
    .edges()
    .filter((edge) => ids.has(edge.data("source")) && ids.has(edge.data("target")));
  return {
    nodes: nodes.map((node) => {
      const { id, label, kind, name, city, region, degree, props } = node.data();
      const { community, coverage, betweenness, bridges } = props ?? {};
      const { x, y } = node.position();
      return {
        id,
        label: name,
        type: label,
        kind,
        name,
        city,
        region,
        degree,
        community,
        coverage,
        betweenness,
        bridges,
        x: Math.round(x * 100) / 100,
        y: Math.round(y * 100) / 100,
      };
    }),
    edges: edges.map((edge) => edge.data()),
  };
}

function exportPng() {
  download("partnergraph.png", cy.png({ output: "blob", full: true, bg: "#ffffff", scale: 2 }));
}

function exportGraphML() {
  const { nodes, edges } = visibleElements();
  download(
    "partnergraph.graphml",
    new Blob([toGraphML(nodes, edges)], { type: "application/graphml+xml" }),
  );
}

// --- start ---------------------------------------------------------------------------------------

function renderKinds() {
  const unchecked = new Set(
    [...document.querySelectorAll('input[name="kinds"]:not(:checked)')].map((box) => box.value),
  );
  fill(
    $("kinds"),
    KINDS.map((kind) =>
      h(
        "label",
        { class: "check" },
        h("input", { type: "checkbox", name: "kinds", value: kind, checked: !unchecked.has(kind) }),
        " ",
        kindName(kind),
      ),
    ),
  );
}

function renderTypes() {
  const unchecked = new Set(
    [...document.querySelectorAll('input[name="types"]:not(:checked)')].map((box) => box.value),
  );
  fill(
    $("types"),
    NODE_TYPES.map((type) =>
      h(
        "label",
        { class: "check" },
        h("input", { type: "checkbox", name: "types", value: type, checked: !unchecked.has(type) }),
        " ",
        t(`label.${type}`),
      ),
    ),
  );
}

// --- overview: the communities of the whole network -----------------------------------------------

function showView(which) {
  $("overview").hidden = which !== "overview";
  $("cy").hidden = which === "overview";
  $("show-overview").setAttribute("aria-pressed", String(which === "overview"));
  $("show-explorer").setAttribute("aria-pressed", String(which !== "overview"));
  if (which !== "overview") {
    cy.resize();
  } else if (state.overview?.renderer) {
    state.overview.renderer.refresh();
  }
}

async function loadOverview() {
  try {
    state.communities = await api("/graph/communities");
  } catch (error) {
    showError(error);
    return;
  }
  const data = state.communities;
  fill($("community-list"), communityList(data, openCommunity));
  if (!data.communities.length) {
    fill($("overview-help"), t("network.no_communities"));
    showView("explorer");
    return;
  }
  showView("overview");
  state.overview = drawOverview($("overview"), data, openCommunity);
  fill(
    $("overview-help"),
    t(state.overview.renderer ? "network.overview_help" : "network.overview_no_webgl", {
      count: data.communities.length,
    }),
  );
  fill($("legend"), coverageLegend());
}

/** A community's organisations, at their stored positions (no layout is run). */
async function openCommunity(key) {
  showView("explorer");
  status(t("network.loading"));
  try {
    const subgraph = await api(`/graph/communities/${encodeURIComponent(key)}`);
    cy.elements().remove();
    addSubgraph(subgraph, null);
    refresh();
    cy.fit(undefined, 30);
    const community = state.communities?.communities.find((c) => c.key === key);
    status(
      t("network.community_opened", {
        label: community?.label ?? key,
        size: subgraph.nodes.length,
      }),
    );
  } catch (error) {
    showError(error);
  }
}

function createGraph() {
  cy = window.cytoscape({
    container: $("cy"),
    wheelSensitivity: 0.3,
    minZoom: 0.1,
    maxZoom: 4,
    style: [
      {
        selector: "node",
        style: {
          "background-color": "data(colour)",
          width: "data(size)",
          height: "data(size)",
          label: "data(name)",
          "font-size": 10,
          color: "#1b1f24",
          "text-valign": "bottom",
          "text-margin-y": 3,
          "text-wrap": "ellipsis",
          "text-max-width": "120px",
          "min-zoomed-font-size": 7,
          "text-background-color": "#ffffff",
          "text-background-opacity": 0.7,
        },
      },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#1b1f24" } },
      {
        selector: "edge",
        style: {
          width: 1,
          "line-color": "#8a96a3",
          "curve-style": "bezier",
          "target-arrow-shape": "triangle",
          "target-arrow-color": "#8a96a3",
          "arrow-scale": 0.6,
        },
      },
      {
        selector: "edge.fits",
        style: { "line-style": "dashed", "line-color": "#D55E00", "target-arrow-color": "#D55E00" },
      },
      { selector: ".hidden", style: { display: "none" } },
    ],
  });
  if (window.cytoscapeFcose) window.cytoscape.use(window.cytoscapeFcose);
  cy.on("tap", "node", (event) => select(event.target.id()));
  cy.on("dbltap", "node", (event) => expand(event.target.id()));
}

async function main() {
  const me = await startPage("network");
  if (!me) return ready();
  if (!window.cytoscape) {
    status(t("network.no_library"), "error");
    return ready();
  }
  createGraph();
  renderKinds();
  renderTypes();
  $("show-overview").addEventListener("click", () => {
    showView("overview");
    if (state.communities) fill($("legend"), coverageLegend());
  });
  $("show-explorer").addEventListener("click", () => {
    showView("explorer");
    refresh();
  });
  $("sort").addEventListener("change", () => renderRows());
  $("node-search").addEventListener("submit", searchNodes);
  $("filters").addEventListener(
    "input",
    debounce(() => refresh(), 150),
  );
  $("filters").addEventListener("submit", (event) => event.preventDefault());
  $("look").addEventListener("change", () => refresh());
  $("look").addEventListener("submit", (event) => event.preventDefault());
  $("relayout").addEventListener("click", () => layout());
  $("clear").addEventListener("click", () => {
    cy.elements().remove();
    state.selected = null;
    refresh();
  });
  $("export-png").addEventListener("click", exportPng);
  $("export-graphml").addEventListener("click", exportGraphML);
  document.addEventListener("langchange", () => {
    renderKinds();
    renderTypes();
    renderTopics();
    refresh();
    if (state.selected) select(state.selected);
  });
  // for the browser tests and the curious: the graph, in the console
  window.partnergraphExplorer = { cy, visibleElements, toGraphML, state, openCommunity };

  const start = new URLSearchParams(window.location.search).get("node");
  if (start) await expand(start);
  else await loadOverview();
  const [topics, gaps] = await Promise.allSettled([
    api("/analytics/topics"),
    api("/analytics/gaps"),
  ]);
  if (topics.status === "fulfilled") {
    state.topics = topics.value.topics;
    renderTopics();
  }
  if (gaps.status === "fulfilled") renderGaps(gaps.value);
  for (const failed of [topics, gaps].filter((r) => r.status === "rejected"))
    showError(failed.reason);
  ready();
}

main();
