"""The web pages: sign-in, Partnersuche and Fälle (staff), Bedarfe (universities), Netzwerk
(analysts), and the pages of one case (`/faelle/{key}`) and one organisation
(`/organisation/{key}`).

The pages are static HTML shells with plain ES modules (`service/web/`); everything they show
comes from the API under /api/v1 with the key the user signed in with, and is put into the
page as text, never as markup. The graph library (cytoscape and its fcose layout) is installed
from npm at set-up into `web/node_modules/` and served from there: nothing is loaded from
elsewhere at run time, and the Content-Security-Policy allows only this origin.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from partnergraph.errors import NotFound

WEB = Path(__file__).parent / "web"
STATIC = WEB / "static"
# npm installs here at set-up (`make setup`); see web/package.json.
NODE_MODULES = Path(__file__).resolve().parents[1] / "web" / "node_modules"

PAGES: dict[str, str] = {
    "/": "index.html",
    "/partnersuche": "search.html",
    "/bedarfe": "needs.html",
    "/netzwerk": "network.html",
    "/faelle": "cases.html",
}
# Pages of one thing, named in their path: a need as a case, an organisation's profile.
ITEM_PAGES: dict[str, str] = {
    "/faelle/{key}": "case.html",
    "/organisation/{key}": "organisation.html",
}

# The only files served from node_modules: the prebuilt browser bundles.
VENDOR: dict[str, str] = {
    "cytoscape.min.js": "cytoscape/dist/cytoscape.min.js",
    "layout-base.js": "layout-base/layout-base.js",
    "cose-base.js": "cose-base/cose-base.js",
    "cytoscape-fcose.js": "cytoscape-fcose/cytoscape-fcose.js",
    # the overview of the whole network: WebGL (sigma) on a graphology graph
    "graphology.umd.min.js": "graphology/dist/graphology.umd.min.js",
    "sigma.min.js": "sigma/dist/sigma.min.js",
}

MEDIA_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
}

# Scripts only from this origin and never inline: even text that slipped into markup could not
# run. Styles are set through the CSSOM (allowed); exports are blob: downloads.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
# cytoscape adds a <style> element for its container, which only 'unsafe-inline' admits;
# scripts stay as strict as on the other pages.
CSP_WITH_INLINE_STYLE = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
INLINE_STYLE_PAGES = frozenset({"network.html"})
HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # pages and modules change with the code: always revalidate (ETag / Last-Modified)
    "Cache-Control": "no-cache",
}

router = APIRouter(include_in_schema=False)


def _file(path: Path) -> FileResponse:
    csp = CSP_WITH_INLINE_STYLE if path.name in INLINE_STYLE_PAGES else CSP
    return FileResponse(
        path,
        media_type=MEDIA_TYPES[path.suffix],
        headers={**HEADERS, "Content-Security-Policy": csp},
    )


def _page_route(file_name: str) -> Callable[[], FileResponse]:
    def page() -> FileResponse:
        return _file(WEB / file_name)

    return page


def _item_route(file_name: str) -> Callable[[str], FileResponse]:
    def page(key: str) -> FileResponse:  # the page's script reads the key from the path
        return _file(WEB / file_name)

    return page


for _route, _file_name in PAGES.items():
    router.add_api_route(_route, _page_route(_file_name), methods=["GET"])
for _route, _file_name in ITEM_PAGES.items():
    router.add_api_route(_route, _item_route(_file_name), methods=["GET"])


@router.get("/static/vendor/{name}")
def vendor(name: str) -> FileResponse:
    """A browser bundle installed by npm; 404 until `make setup` ran."""
    relative = VENDOR.get(name)
    if relative is None or not (NODE_MODULES / relative).is_file():
        raise NotFound(f"no vendor file {name!r} (run `make setup` to install the npm packages)")
    return _file(NODE_MODULES / relative)


@router.get("/static/{path:path}")
def static(path: str) -> FileResponse:
    """The pages' modules, styles, strings and icon; nothing outside `service/web/static`."""
    root = STATIC.resolve()
    target = (root / path).resolve()
    if not target.is_relative_to(root) or not target.is_file() or target.suffix not in MEDIA_TYPES:
        raise NotFound(f"no static file {path!r}")
    return _file(target)
