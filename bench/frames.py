"""Frame time of the Netzwerk page in headless Chromium at 1k / 5k / 10k nodes (issue 22).

The real page is served: `/netzwerk` with its HTML, ES modules, styles, strings, the npm
bundles (sigma, graphology, cytoscape) and the same Content-Security-Policy, through
`service.pages`. Only the API it calls is answered by this script, with synthetic graphs in the
endpoints' own response models (`service.api.graph_views.Communities` and `Subgraph`), not
from Neo4j: loading 10k generated organisations with their embeddings and communities into a
private Neo4j takes minutes of both shared cores per size, and the page at N organisations
draws only N/40 or so communities, not N nodes. The page is fed:

- **overview** (sigma 4, WebGL): `GET /graph/communities` with N nodes and about 2.5 N links
  between them (grouped as planted communities of 40 around spread-out centres), sized,
  coloured and labelled by the page's own `drawOverview`;
- **community** (cytoscape, canvas 2D): `GET /graph/communities/{key}` with N organisations
  (stored positions, so no layout runs, as on the page) and about 2.5 N ties; the API serves
  at most 5,000 members per community, so the 10k row is beyond what the page is ever given.

Measured per view and size, in one browser: the time to first render (overview: from the
navigation to the first animation frame after sigma drew the graph, which includes loading the
page and its JSON; community: from `openCommunity` to the first frame after it), then the
camera panned and zoomed on every animation frame for `--seconds`, and for at least 10 frames
when frames are slow (sigma: camera state; cytoscape: viewport): the intervals between
`requestAnimationFrame` callbacks, median and p95 ms (the first two left out), and frames per
second over the same frames (1000 / their mean). Baselines, measured in the same run on the
same page: the page with 10 nodes (ratios of p95), and an empty canvas of the overview's size,
WebGL or 2D, cleared to a new colour every frame (ratios of the median: what drawing anything
at all costs in this browser under the machine's load); the page standing still shows the
pacing.
The WebGL renderer Chromium used is printed (`WEBGL_debug_renderer_info`): without a GPU it is
SwiftShader, WebGL drawn in software on the CPU: a browser with a GPU draws faster (not
measured here). Headless Chromium paces frames at 60 Hz: 16.7 ms is the best a frame can be.

At region scale the page draws far fewer nodes than organisations: Leiden on the synthetic
graph of bench/communities.py at 10k organisations finds 230 communities (at most 80
members), so the overview draws ~230 nodes and a community ~80; the 250 row stands for that.

Usage: .venv/bin/python bench/frames.py [--nodes 250,1000,5000,10000] [--seconds 4]
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fastapi import APIRouter, FastAPI  # noqa: E402

from service import pages  # noqa: E402
from service.api.graph_views import (  # noqa: E402
    Communities,
    CommunityLink,
    CommunityOut,
    GraphEdge,
    GraphNode,
    Subgraph,
)
from tests.pages_support import LiveServer, headless_chromium  # noqa: E402

GROUP = 40  # members of a planted community, as bench/communities.py plants them
KINDS = ("company", "craft_business", "service_provider", "research_institute", "university")
BASELINE = 10


def _groups(n: int, rng: random.Random) -> tuple[list[tuple[float, float]], list[tuple[int, int]]]:
    """Positions and ties of n nodes: planted groups of GROUP around spread-out centres (as the
    stored layout places communities and their members), ~2 ties inside and ~0.5 outside per
    node."""
    groups = max(1, math.ceil(n / GROUP))
    spread = 100.0 * math.sqrt(groups)
    centres = [(rng.uniform(-spread, spread), rng.uniform(-spread, spread)) for _ in range(groups)]
    points = []
    for i in range(n):
        cx, cy = centres[i // GROUP]
        angle, radius = rng.uniform(0, 2 * math.pi), 30.0 * math.sqrt(rng.random())
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        points.append((round(x, 2), round(y, 2)))
    ties: set[tuple[int, int]] = set()
    for i in range(n):
        block = (i // GROUP) * GROUP
        for _ in range(2):
            j = block + rng.randrange(GROUP)
            if j < n and j != i:
                ties.add((min(i, j), max(i, j)))
        if rng.random() < 0.5:
            j = rng.randrange(n)
            if j != i:
                ties.add((min(i, j), max(i, j)))
    return points, sorted(ties)


def overview_answer(n: int, seed: int = 7) -> dict[str, Any]:
    """`GET /graph/communities` with n nodes, in the endpoint's own model."""
    rng = random.Random(seed)
    points, ties = _groups(n, rng)
    communities = []
    for i, (x, y) in enumerate(points):
        needs = rng.choice((0, 0, 1, 3, 8))
        covered = rng.randint(0, needs)
        communities.append(
            CommunityOut(
                key=f"c{i + 1:05d}",
                label=f"Gewerk {i % 40} · Thema {i % 97}",
                size=rng.randint(5, 400),
                terms=[f"Thema {i % 97}"],
                trades=[f"Gewerk {i % 40}"],
                x=x,
                y=y,
                needs=needs,
                covered=covered,
                coverage=round(covered / needs, 3) if needs else None,
            )
        )
    links = [
        CommunityLink(
            source=communities[a].key,
            target=communities[b].key,
            weight=rng.choice((0.5, 1.0, 3.0)),
        )
        for a, b in ties
    ]
    return Communities(
        communities=communities, links=links, computed_at="2026-12-05T00:00:00Z"
    ).model_dump(mode="json")


def community_answer(n: int, seed: int = 7) -> dict[str, Any]:
    """`GET /graph/communities/{key}` with n organisations, in the endpoint's own model."""
    rng = random.Random(seed)
    points, ties = _groups(n, rng)
    # the stored layout's scale: the page multiplies by 4; keep a community's extent
    scale = 1.0 / max(1.0, math.sqrt(n / GROUP))
    degree = [0] * n
    for a, b in ties:
        degree[a] += 1
        degree[b] += 1
    nodes = [
        GraphNode(
            id=f"Organization:org-{i:06d}",
            label="Organization",
            kind=KINDS[i % len(KINDS)],
            name=f"Organisation {i} GmbH",
            city="Dortmund",
            region="Regierungsbezirk Arnsberg",
            degree=degree[i],
            data={
                "key": f"org-{i:06d}",
                "community": "c001",
                "x": round(x * scale, 3),
                "y": round(y * scale, 3),
                "strength": float(degree[i]),
                "betweenness": round(rng.random() / 100, 6),
                "bridges": rng.choice((0, 0, 0, 1, 2)),
            },
        )
        for i, (x, y) in enumerate(points)
    ]
    edges = [
        GraphEdge(
            id=f"{nodes[a].id}|COOPERATES_WITH|{nodes[b].id}",
            source=nodes[a].id,
            target=nodes[b].id,
            type="COOPERATES_WITH",
        )
        for a, b in ties
    ]
    return Subgraph(nodes=nodes, edges=edges, truncated=False).model_dump(mode="json")


def bench_app(answers: dict[str, dict[str, Any]]) -> FastAPI:
    """The real pages (`service.pages`) and the few API answers /netzwerk asks for."""
    api = APIRouter(prefix="/api/v1")

    @api.get("/me")
    def me() -> dict[str, Any]:
        return {"key_id": "bench", "name": "Benchmark", "role": "analyst", "organization": None}

    @api.get("/graph/communities")
    def communities() -> dict[str, Any]:
        return answers["overview"]

    @api.get("/graph/communities/{key}")
    def community(key: str) -> dict[str, Any]:
        return answers["community"]

    @api.get("/analytics/topics")
    def topics() -> dict[str, Any]:
        return {"topics": []}

    @api.get("/analytics/gaps")
    def gaps() -> list[Any]:
        return []

    app = FastAPI()
    app.include_router(api)
    app.include_router(pages.router)
    return app


# Runs before the page's own scripts: note the first animation frame after sigma drew.
FIRST_FRAME = """
window.__bench = {overviewDrawn: null};
(function watch() {
  requestAnimationFrame(() => {
    if (window.partnergraphExplorer?.state?.overview) {
      requestAnimationFrame((t) => { window.__bench.overviewDrawn = t; });
      return;
    }
    watch();
  });
})();
"""

RENDERER = """
const gl = document.createElement('canvas').getContext('webgl2');
if (!gl) return 'no WebGL 2';
const info = gl.getExtension('WEBGL_debug_renderer_info');
return info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
"""

OPEN_COMMUNITY = """
const done = arguments[arguments.length - 1];
const start = performance.now();
window.partnergraphExplorer.openCommunity('c001').then(() =>
  requestAnimationFrame(() => requestAnimationFrame((t) => done({
    ms: t - start, nodes: window.partnergraphExplorer.cy.nodes().length}))));
"""

# Pan and zoom on every animation frame; the intervals between frames are the frame times.
PAN_ZOOM = """
const [view, seconds, done] = arguments;
const x = window.partnergraphExplorer;
let step; let cleanup = () => {};
if (view === 'overview') {
  const camera = x.state.overview.renderer.getCamera();
  const s = camera.getState();
  step = (k) => camera.setState({x: s.x + 0.15 * Math.sin(k / 15), y: s.y + 0.1 * Math.cos(k / 20),
    ratio: s.ratio * (0.65 + 0.35 * Math.cos(k / 25))});
} else if (view === 'idle') {
  step = () => {};
} else if (view === 'webgl' || view === '2d') {
  // an empty canvas of the overview's size over it, cleared to a new colour every frame
  const box = document.getElementById('overview');
  const canvas = document.createElement('canvas');
  canvas.width = box.clientWidth; canvas.height = box.clientHeight;
  canvas.style.position = 'absolute'; canvas.style.left = '0'; canvas.style.top = '0';
  box.appendChild(canvas);
  cleanup = () => canvas.remove();
  if (view === 'webgl') {
    const gl = canvas.getContext('webgl2');
    step = (k) => { gl.clearColor((k % 60) / 60, 0.5, 0.5, 1); gl.clear(gl.COLOR_BUFFER_BIT); };
  } else {
    const ctx = canvas.getContext('2d');
    step = (k) => { ctx.fillStyle = `hsl(${k % 360}, 50%, 50%)`;
      ctx.fillRect(0, 0, canvas.width, canvas.height); };
  }
} else {
  const cy = x.cy; const zoom = cy.zoom(); const pan = cy.pan();
  step = (k) => cy.viewport({zoom: zoom * (1.6 - 0.6 * Math.cos(k / 25)),
    pan: {x: pan.x + 120 * Math.sin(k / 15), y: pan.y + 80 * Math.cos(k / 20)}});
}
// At least `seconds` and MIN_FRAMES frames (slow sizes), at most `limit` seconds; the first
// WARM intervals (the first change of the view) are left out.
const WARM = 2, MIN_FRAMES = 10, limit = Math.max(seconds, 60);
const times = []; let last = null; let k = 0; let first = null;
function frame(now) {
  if (first === null) first = now;
  if (last !== null) times.push(now - last);
  last = now; step(k++);
  const elapsed = (now - first) / 1000;
  if (elapsed < limit && (elapsed < seconds || times.length < WARM + MIN_FRAMES)) {
    requestAnimationFrame(frame); return; }
  const kept = times.slice(WARM);
  const sorted = [...kept].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const total = kept.reduce((a, b) => a + b, 0);
  cleanup();
  done({median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1], frames: kept.length,
        fps: kept.length / (total / 1000)});
}
requestAnimationFrame(frame);
"""


def in_page(chrome: Any, script: str, *args: object, limit_s: float = 600) -> Any:
    """Run `script` (which calls its last argument with the result) in the page and poll for the
    result: no WebDriver call waits long, so a slow size cannot run into the client's timeout."""
    chrome.execute_script(
        "window.__bench.out = null; const args = [...arguments];"
        "(function () {" + script + "}).apply(null, "
        "[...args, (value) => { window.__bench.out = value; }]);",
        *args,
    )
    deadline = time.monotonic() + limit_s
    while (out := chrome.execute_script("return window.__bench.out")) is None:
        if time.monotonic() > deadline:
            raise RuntimeError(f"no result within {limit_s:.0f} s")
        time.sleep(0.5)
    return out


def measure(chrome: Any, url: str, seconds: float, *, idle: bool = False) -> dict[str, Any]:
    """Load /netzwerk, wait for the overview, measure it, open the community, measure that;
    `idle`: first the page standing still (the pacing floor of this browser) and an empty
    WebGL and 2D canvas redrawn every frame (the floor of any drawing)."""
    chrome.get(url + "/netzwerk")
    deadline = time.monotonic() + 300
    while True:
        drawn = chrome.execute_script(
            "const answer = performance.getEntriesByType('resource')"
            "  .find((e) => e.name.endsWith('/api/v1/graph/communities'));"
            "return [window.__bench?.overviewDrawn ?? null, "
            "Boolean(window.partnergraphExplorer?.state?.overview?.renderer), "
            "answer ? answer.responseEnd : null]"
        )
        if drawn[0] is not None:
            break
        if time.monotonic() > deadline:
            raise RuntimeError("the overview was not drawn within 300 s")
        time.sleep(0.2)
    if not drawn[1]:
        raise RuntimeError("the page drew no WebGL overview (no WebGL 2 in this Chromium?)")
    out: dict[str, Any] = {"overview_first": drawn[0], "overview_draw": drawn[0] - drawn[2]}
    if idle:
        for view in ("idle", "webgl", "2d"):
            out[view] = in_page(chrome, PAN_ZOOM, view, seconds)
    out["overview"] = in_page(chrome, PAN_ZOOM, "overview", seconds)
    opened = in_page(chrome, OPEN_COMMUNITY)
    out["community_first"] = opened["ms"]
    out["community_nodes"] = opened["nodes"]
    out["community"] = in_page(chrome, PAN_ZOOM, "community", seconds)
    return out


def fmt_ms(ms: float) -> str:
    return f"{ms:,.0f}" if ms >= 100 else f"{ms:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # 250: about what the overview of 10k organisations draws (one node per community)
    parser.add_argument("--nodes", default="250,1000,5000,10000")
    parser.add_argument("--seconds", type=float, default=4.0)
    args = parser.parse_args()
    sizes = [BASELINE, *(int(s) for s in args.nodes.split(","))]

    answers: dict[str, dict[str, Any]] = {}
    chrome = headless_chromium(webgl=True)
    chrome.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": FIRST_FRAME})
    rows: dict[int, dict[str, Any]] = {}
    load_before = os.getloadavg()[0]
    try:
        with LiveServer(bench_app(answers)) as server:
            chrome.get(server.url + "/")  # sign in: the key the page sends (any, /me is ours)
            chrome.execute_script(
                "sessionStorage.setItem('pg.key', 'bench'); sessionStorage.setItem('pg.me', "
                "JSON.stringify({key_id: 'bench', name: 'Benchmark', role: 'analyst'}));"
            )
            renderer = chrome.execute_script(RENDERER)
            version = chrome.capabilities.get("browserVersion", "?")
            for n in sizes:
                answers["overview"] = overview_answer(n)
                answers["community"] = community_answer(n)
                links = len(answers["overview"]["links"])
                ties = len(answers["community"]["edges"])
                started = time.perf_counter()
                rows[n] = measure(chrome, server.url, args.seconds, idle=n == BASELINE) | {
                    "links": links,
                    "ties": ties,
                }
                print(
                    f"measured {n:,} nodes in {time.perf_counter() - started:.0f} s",
                    file=sys.stderr,
                    flush=True,
                )
            size = chrome.execute_script(
                "const r = document.getElementById('cy').getBoundingClientRect();"
                "return [Math.round(r.width), Math.round(r.height), window.devicePixelRatio]"
            )
    finally:
        chrome.quit()
    load_after = os.getloadavg()[0]

    print(f"\n## Frame time of /netzwerk while panning and zooming, headless Chromium {version}\n")
    print(
        f"- Machine: {os.cpu_count()} cores (shared with other jobs), {platform.machine()}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average (1 min) "
        f"{load_before:.2f} before, {load_after:.2f} after"
    )
    print(f"- WebGL renderer: {renderer}")
    software = "SwiftShader" in renderer or "llvmpipe" in renderer
    print(
        "- WebGL is drawn in software (SwiftShader, on the CPU): no GPU here"
        if software
        else "- WebGL renderer as above"
    )
    print(
        "- Graphs fed to the real page through the endpoints' JSON shapes (synthetic, not "
        "Neo4j); canvas "
        f"{size[0]}x{size[1]} px at device pixel ratio {size[2]}; {args.seconds:g} s of "
        "panning and zooming per cell; 60 Hz pacing (16.7 ms is the floor)"
    )
    base = rows[BASELINE]
    print(
        f"- Baseline: the same page with {BASELINE} nodes, measured in the same run. On it, "
        "ms per frame, median / p95: the page standing still "
        f"{fmt_ms(base['idle']['median'])} / {fmt_ms(base['idle']['p95'])}; an empty WebGL "
        "canvas of the overview's size cleared every frame "
        f"{fmt_ms(base['webgl']['median'])} / {fmt_ms(base['webgl']['p95'])}; the same as a "
        f"2D canvas {fmt_ms(base['2d']['median'])} / {fmt_ms(base['2d']['p95'])}\n"
    )
    for view, title, edges, empty in (
        (
            "overview",
            "Overview: sigma (WebGL), `/graph/communities` with N nodes; first render from "
            "the navigation (in brackets: from the JSON's arrival)",
            "links",
            "webgl",
        ),
        (
            "community",
            "A community: cytoscape (canvas), `/graph/communities/{key}` with N "
            "organisations; first render from `openCommunity`",
            "ties",
            "2d",
        ),
    ):
        base = rows[BASELINE][view]["p95"]
        floor = rows[BASELINE][empty]["median"]
        print(f"### {title}\n")
        print(
            "| nodes | edges | first render ms | frame ms median | frame ms p95 | frames/s "
            f"| p95 vs {BASELINE} nodes | median vs empty {empty} canvas |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|---:|")
        for n in sizes:
            row = rows[n]
            cell = row[view]
            first = fmt_ms(row[f"{view}_first"])
            if view == "overview":
                first += f" ({fmt_ms(row['overview_draw'])})"
            label = f"{n:,}" + (" (baseline)" if n == BASELINE else "")
            print(
                f"| {label} | {row[edges]:,} | {first} | {fmt_ms(cell['median'])} | "
                f"{fmt_ms(cell['p95'])} | {cell['fps']:.1f} | {cell['p95'] / base:.2f}x | "
                f"{cell['median'] / floor:.2f}x |"
            )
        fluid = 0  # the largest size up to which every size measured keeps p95 under 33 ms
        for n in sizes[1:]:
            if rows[n][view]["p95"] >= 33.4:
                break
            fluid = n
        print(
            "\nFluid (p95 under 33 ms, i.e. 30 frames/s or more) up to: "
            f"{f'{fluid:,} nodes' if fluid else 'none of the sizes measured'}\n"
        )


if __name__ == "__main__":
    main()
