"""The pages without a browser: served with a strict CSP, every asset local and present, no
markup built from strings, both languages complete. (The browser tests drive the pages.)"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from partnergraph.settings import Settings
from service.app import create_app
from service.pages import NODE_MODULES, PAGES, STATIC, VENDOR, WEB

# XML namespaces are names, not addresses: nothing is fetched from them.
NAMESPACES = {"http://www.w3.org/2000/svg", "http://graphml.graphdrawing.org/xmlns"}
OWN_FILES = sorted(
    [*WEB.glob("*.html"), *STATIC.rglob("*.js"), *STATIC.rglob("*.css"), *STATIC.rglob("*.svg")]
)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    # The pages need no database: the service starts without one and says so on /readyz.
    settings = Settings(neo4j_uri="bolt://127.0.0.1:9", neo4j_connect_timeout_s=0.5)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


class Assets(HTMLParser):
    """The src and href attributes of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.i18n: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.urls.append(value)
            if name.startswith("data-i18n") and value:
                self.i18n.add(value)


def parsed(html: str) -> Assets:
    assets = Assets()
    assets.feed(html)
    return assets


@pytest.mark.parametrize("route", list(PAGES))
def test_every_page_is_served_with_a_policy_that_runs_only_own_scripts(
    client: TestClient, route: str
) -> None:
    response = client.get(route)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "default-src 'self'" in policy
    assert ("'unsafe-inline'" in policy) == (route == "/netzwerk")  # cytoscape's <style>
    assert response.headers["x-content-type-options"] == "nosniff"
    assert '<html lang="de">' in response.text


@pytest.mark.parametrize("route", list(PAGES))
def test_every_asset_of_a_page_is_local_and_served(client: TestClient, route: str) -> None:
    urls = parsed(client.get(route).text).urls
    assert urls
    for url in urls:
        if url.startswith("#"):
            continue
        assert url.startswith("/") and not url.startswith("//"), url
        response = client.get(url)
        assert response.status_code == 200, f"{route}: {url} is missing"


def test_every_module_import_resolves(client: TestClient) -> None:
    for module in STATIC.rglob("*.js"):
        for target in re.findall(r'^import .* from "(\./[\w.-]+\.js)";', module.read_text(), re.M):
            url = f"/static/{module.parent.relative_to(STATIC)}/{target[2:]}"
            assert client.get(url).status_code == 200, f"{module.name} imports {target}"


def test_the_graph_library_is_served_from_the_npm_install(client: TestClient) -> None:
    missing = [name for name, path in VENDOR.items() if not (NODE_MODULES / path).is_file()]
    assert not missing, f"{missing}: run `make setup` (npm ci in web/)"
    for name in VENDOR:
        response = client.get(f"/static/vendor/{name}")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/javascript")
    assert client.get("/static/vendor/package.json").status_code == 404


@pytest.mark.parametrize("path", ["../pages.py", "..%2Fpages.py", "js/../../index.html", "x.py"])
def test_nothing_outside_the_static_folder_is_served(client: TestClient, path: str) -> None:
    response = client.get(f"/static/{path}")
    assert response.status_code == 404
    assert "import" not in response.text


def test_no_address_outside_the_service_appears_in_the_pages() -> None:
    for file in OWN_FILES:
        found = set(re.findall(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}[^\s\"'<>)]*", file.read_text()))
        assert found <= NAMESPACES, f"{file.name}: {sorted(found - NAMESPACES)}"


def test_no_markup_is_ever_built_from_strings() -> None:
    """Data reaches the DOM as text nodes and attributes only (see static/js/dom.js)."""
    sinks = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(")
    for module in STATIC.rglob("*.js"):
        assert not sinks.findall(module.read_text()), module.name


def test_german_and_english_strings_cover_every_key_used() -> None:
    de = json.loads((STATIC / "i18n" / "de.json").read_text(encoding="utf-8"))
    en = json.loads((STATIC / "i18n" / "en.json").read_text(encoding="utf-8"))
    assert de.keys() == en.keys()
    used: set[str] = set()
    for page in WEB.glob("*.html"):
        used |= parsed(page.read_text(encoding="utf-8")).i18n
    for module in STATIC.rglob("*.js"):
        if module.name == "i18n.js":  # defines t(); its comments show made-up keys
            continue
        used |= set(re.findall(r'\bt\("([\w.]+)"', module.read_text(encoding="utf-8")))
        used |= set(re.findall(r'label: "([\w.]+)"', module.read_text(encoding="utf-8")))
    assert used, "no keys found"
    assert used <= de.keys(), sorted(used - de.keys())
    placeholders = {key: set(re.findall(r"\{(\w+)\}", text)) for key, text in de.items()}
    for key, text in en.items():
        assert set(re.findall(r"\{(\w+)\}", text)) == placeholders[key], key


def test_names_of_roles_kinds_labels_and_relationships_exist_in_both_languages() -> None:
    from graph.model import (
        BOOKKEEPING_LABELS,
        NODE_KEYS,
        RELATIONSHIPS,
        NeedStatus,
        OrgKind,
        Visibility,
    )
    from service.auth import Role
    from service.redact import KIND_DE

    needed = {f"role.{role.value}" for role in Role}
    needed |= {f"kind.{kind}" for kind in (*OrgKind, *KIND_DE)}
    needed |= {f"label.{label}" for label in NODE_KEYS if label not in BOOKKEEPING_LABELS}
    needed |= {f"via.{kind}" for kind, _, _ in RELATIONSHIPS if kind not in ("FEEDBACK", "SEEN")}
    needed |= {f"visibility.{v}" for v in Visibility}
    needed |= {f"status.{s}" for s in NeedStatus}
    needed |= {f"feedback.{s}" for s in ("contacted", "accepted", "rejected")}
    needed |= {f"signal.{s}" for s in ("near", "cooperation", "event", "trade")}
    for lang in ("de", "en"):
        strings = json.loads((STATIC / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))
        assert needed <= strings.keys(), (lang, sorted(needed - strings.keys()))


def test_the_pages_list_the_organisation_kinds_of_the_model() -> None:
    # shell.js keeps its own copy (a module constant the filters read synchronously); this
    # holds it to graph.model.OrgKind, order included.
    from graph.model import OrgKind

    shell = (STATIC / "js" / "shell.js").read_text(encoding="utf-8")
    listed = re.search(r"export const KINDS = \[(.*?)\];", shell, re.S)
    assert listed, "KINDS not found in shell.js"
    assert re.findall(r'"(\w+)"', listed.group(1)) == [kind.value for kind in OrgKind]


def _luminance(colour: str) -> float:
    """Relative luminance of a #rrggbb colour (WCAG 2)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_text_colours_have_a_contrast_of_at_least_4_5_to_their_backgrounds() -> None:
    css = (STATIC / "css" / "app.css").read_text(encoding="utf-8")
    colours = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})\s*;", css))
    pairs = [
        (text, background)
        for text in ("ink", "muted", "accent", "error", "ok")
        for background in ("paper", "panel")
    ] + [("accent-ink", "accent"), ("ink", "mark")]
    weak = {
        f"{text} on {background}": round(_contrast(colours[text], colours[background]), 2)
        for text, background in pairs
        if _contrast(colours[text], colours[background]) < 4.5
    }
    assert not weak, weak
