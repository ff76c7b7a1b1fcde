"""Communities and the explorer at scale (issue 22).

1. Detection: `graph.clustering` on synthetic organisation graphs (planted communities of
   about 40 organisations, each with ~6 ties inside and ~1 outside, weights as cooperation and
   shared projects give them; no Neo4j, no competence vectors) at 10k and 100k organisations:
   seconds for Leiden alone, and for the whole `cluster` (labels, layout, betweenness,
   bridges). Baseline in the same run: igraph's Louvain (`community_multilevel`) on the same
   graph; also the modularity both reach.
2. Frame time of the explorer's renderers in headless Chromium (Debian's chromium, WebGL in
   software through SwiftShader: no GPU here, the WebGL renderer string is printed): 1k, 5k
   and 10k nodes with 2 edges per node at random positions, the camera panned on every
   animation frame for 5 s; median and p95 milliseconds per frame (the first three frames,
   which draw everything once, left out) for sigma (WebGL, the overview's renderer) and
   cytoscape (canvas, the baseline: the explorer's renderer before).

Usage: .venv/bin/python bench/communities.py [--sizes 10000,100000] [--nodes 1000,5000,10000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import igraph as ig  # noqa: E402

from graph import clustering  # noqa: E402

NODE_MODULES = ROOT / "web" / "node_modules"


def synthetic(n: int, seed: int = 7) -> tuple[list[clustering.Org], dict[tuple[str, str], float]]:
    rng = random.Random(seed)
    size = 40
    keys = [f"o{i:06d}" for i in range(n)]
    trades = [f"Gewerk {i}" for i in range(40)]
    orgs = [
        clustering.Org(key=k, trades=(trades[(i // size) % 40],), competences=(f"Thema {i % 97}",))
        for i, k in enumerate(keys)
    ]
    weights: dict[tuple[str, str], float] = {}
    for i, a in enumerate(keys):
        block = i // size
        for _ in range(3):  # ~6 ties inside per organisation (each counted from both ends)
            j = block * size + rng.randrange(size)
            if j < n and j != i:
                b = keys[j]
                weights[(min(a, b), max(a, b))] = rng.choice((3.0, 1.0, 0.5))
        if rng.random() < 0.5:  # ~1 tie outside
            b = keys[rng.randrange(n)]
            if b != a:
                weights[(min(a, b), max(a, b))] = 0.5
    return orgs, weights


def detection(sizes: list[int]) -> None:
    print("\n## Community detection (synthetic graphs, 2 cores)\n")
    print(
        "| organisations | ties | Louvain s (baseline) | Leiden s | ratio | "
        "modularity Louvain / Leiden | communities | whole `cluster` s |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        orgs, weights = synthetic(n)
        keys = [o.key for o in orgs]
        index = {k: i for i, k in enumerate(keys)}
        g = ig.Graph(n=n, edges=[(index[a], index[b]) for a, b in weights])
        g.es["weight"] = list(weights.values())
        started = time.perf_counter()
        louvain = g.community_multilevel(weights="weight")
        louvain_s = time.perf_counter() - started
        started = time.perf_counter()
        groups = clustering.detect(keys, weights)
        leiden_s = time.perf_counter() - started
        membership = [0] * n
        for c, members in enumerate(groups):
            for k in members:
                membership[index[k]] = c
        q_leiden = g.modularity(membership, weights="weight")
        started = time.perf_counter()
        clustering.cluster(orgs, weights)
        whole_s = time.perf_counter() - started
        print(
            f"| {n:,} | {len(weights):,} | {louvain_s:.2f} | {leiden_s:.2f} | "
            f"{leiden_s / louvain_s:.2f} | {louvain.modularity:.3f} / {q_leiden:.3f} | "
            f"{len(groups):,} | {whole_s:.1f} |",
            flush=True,
        )


PAGE = """<!doctype html><html><head><meta charset="utf-8">
<script src="{nm}/graphology/dist/graphology.umd.min.js"></script>
<script src="{nm}/sigma/dist/sigma.min.js"></script>
<script src="{nm}/cytoscape/dist/cytoscape.min.js"></script>
<style>body{{margin:0}} #c{{width:1000px;height:700px}}</style></head>
<body><div id="c"></div></body></html>"""

MEASURE = """
const [which, n, done] = arguments;
const rand = (() => { let s = 42; return () => (s = (s * 16807) % 2147483647) / 2147483647; })();
const box = document.getElementById('c'); box.innerHTML = '';
let step;
if (which === 'sigma') {
  const G = window.graphology.Graph ?? window.graphology;
  const S = window.Sigma.Sigma ?? window.Sigma.default ?? window.Sigma;
  const g = new G();
  for (let i = 0; i < n; i++) g.addNode('n' + i, {x: rand() * 1000, y: rand() * 1000, size: 3,
    color: '#0072B2', label: 'Organisation ' + i});
  for (let i = 0; i < 2 * n; i++) {
    const a = 'n' + Math.floor(rand() * n), b = 'n' + Math.floor(rand() * n);
    if (a !== b && !g.hasEdge(a, b)) g.addEdge(a, b, {size: 0.5, color: '#B8C0C8'}); }
  const r = new S(g, box, {labelRenderedSizeThreshold: 6});
  const cam = r.getCamera();
  step = (k) => { cam.setState({x: 0.5 + 0.1 * Math.sin(k / 10), y: 0.5, ratio: 1}); };
  window.__cleanup = () => r.kill();
} else {
  const els = [];
  for (let i = 0; i < n; i++) els.push({group: 'nodes',
    data: {id: 'n' + i, name: 'Organisation ' + i},
    position: {x: rand() * 3000, y: rand() * 3000}});
  for (let i = 0; i < 2 * n; i++) { const a = Math.floor(rand() * n), b = Math.floor(rand() * n);
    if (a !== b) els.push({group: 'edges',
      data: {id: 'e' + i, source: 'n' + a, target: 'n' + b}}); }
  const cy = cytoscape({container: box, elements: els, layout: {name: 'preset'},
    style: [{selector: 'node', style: {width: 8, height: 8, label: 'data(name)', 'font-size': 8,
      'min-zoomed-font-size': 7}}, {selector: 'edge', style: {width: 1}}]});
  cy.fit();
  step = (k) => { cy.panBy({x: Math.sin(k / 10) * 5, y: 0}); };
  window.__cleanup = () => cy.destroy();
}
const times = []; let last = null; let k = 0; const end = performance.now() + 5000;
function frame(now) {
  if (last !== null) times.push(now - last);
  last = now; step(k++);
  if (now < end) requestAnimationFrame(frame);
  else { window.__cleanup(); const kept = times.slice(3).sort((a, b) => a - b);
    const at = (q) => kept[Math.floor(q * (kept.length - 1))];
    done({median: at(0.5), p95: at(0.95), frames: kept.length, first: times[0]}); }
}
requestAnimationFrame(frame);
"""


def frames(counts: list[int]) -> None:
    from tests.pages_support import headless_chromium

    chrome = headless_chromium(webgl=True)
    chrome.set_script_timeout(300)
    try:
        with tempfile.TemporaryDirectory() as folder:
            page = Path(folder) / "bench.html"
            page.write_text(PAGE.format(nm=NODE_MODULES.as_uri()), encoding="utf-8")
            chrome.get(page.as_uri())
            chrome.set_window_size(1100, 800)
            renderer = chrome.execute_script(
                "const gl = document.createElement('canvas').getContext('webgl2');"
                "if (!gl) return 'no WebGL 2';"
                "const info = gl.getExtension('WEBGL_debug_renderer_info');"
                "return info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : "
                "gl.getParameter(gl.RENDERER);"
            )
            print(f"\n## Frame time while panning, headless Chromium (WebGL: {renderer})\n")
            print(
                "| nodes | edges | cytoscape canvas ms/frame (baseline) mean / p95 | "
                "sigma WebGL ms/frame mean / p95 | ratio of means |"
            )
            print("|---:|---:|---:|---:|---:|")
            for n in counts:
                cyto = chrome.execute_async_script(MEASURE, "cytoscape", n)
                sig = chrome.execute_async_script(MEASURE, "sigma", n)
                print(
                    f"| {n:,} | ~{2 * n:,} | {cyto['median']:.1f} / {cyto['p95']:.1f} "
                    f"({cyto['frames']}) | {sig['median']:.1f} / {sig['p95']:.1f} "
                    f"({sig['frames']}) | {sig['median'] / cyto['median']:.2f} |",
                    flush=True,
                )
    finally:
        chrome.quit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--nodes", default="1000,5000,10000")
    parser.add_argument("--skip-detection", action="store_true")
    parser.add_argument("--skip-frames", action="store_true")
    args = parser.parse_args()
    if not args.skip_detection:
        detection([int(s) for s in args.sizes.split(",")])
    if not args.skip_frames:
        frames([int(s) for s in args.nodes.split(",")])


if __name__ == "__main__":
    main()
