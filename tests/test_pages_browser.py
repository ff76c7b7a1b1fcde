"""The pages in a real browser (headless Chromium) against the service on the canonical data.

One service and one browser serve the whole module. Each test signs in with the key of the
role it plays, works the page as a person would (typing, clicking), checks what is shown and
saves a screenshot under test-output/pages/. Markup in the data (an organisation named
`<script>alert(1)</script>`) must show as text and never run.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import httpx
import pytest
from selenium.common.exceptions import NoAlertPresentException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from graph import admin, schema
from graph.connection import Graph
from matching.encoder import get_encoder
from partnergraph.settings import Settings
from service.app import create_app
from tests.ingest_support import run_ingest
from tests.pages_support import (
    SCREENSHOTS,
    XSS_NAME,
    LiveServer,
    attribute,
    data_with_hostile_names,
    headless_chromium,
)
from tests.service_support import auth, keys_for_roles, release_pending

T = TypeVar("T")
WAIT_S = 30
WELDING_NEED = "Unsere dünnen Edelstahlbleche verziehen sich beim Schweißen"


@dataclass(frozen=True)
class Site:
    url: str
    keys: dict[str, str]
    shared: dict[str, str]  # a non-public need's key -> the key universities see it by


@pytest.fixture(scope="module")
def site(neo4j_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = data_with_hostile_names(tmp_path_factory.mktemp("pages") / "data")
    with Graph.from_settings(neo4j_settings) as graph:
        admin.delete_everything(graph)
        schema.init_schema(graph)
        assert run_ingest(graph, folder, get_encoder("use-multilingual"), source="pages").ok
        keys = keys_for_roles(graph, "uni-tu-dortmund")
    with LiveServer(create_app(neo4j_settings)) as server:

        def call(role: str, method: str, url: str, body: object = None) -> httpx.Response:
            return httpx.request(
                method, server.url + url, headers=auth(keys[role]), json=body, timeout=120
            )

        yield Site(server.url, keys, release_pending(call))


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    chrome = headless_chromium()
    try:
        yield chrome
    finally:
        chrome.quit()


# --- helpers ---------------------------------------------------------------------------------


def wait(browser: WebDriver, condition: Callable[[WebDriver], T], what: str) -> T:
    # A list re-rendered while the condition reads it makes stale elements: read it again.
    return WebDriverWait(
        browser, WAIT_S, ignored_exceptions=(StaleElementReferenceException,)
    ).until(condition, message=what)


def is_ready(browser: WebDriver) -> bool:
    """The page has set itself up (its handlers are attached, first data loaded)."""
    return bool(browser.execute_script("return document.body.dataset.ready === 'true'"))


def open_page(browser: WebDriver, url: str) -> None:
    browser.get(url)
    wait(browser, is_ready, f"{url} set up")


def sign_in(browser: WebDriver, site: Site, role: str) -> None:
    open_page(browser, site.url + "/")
    browser.execute_script("sessionStorage.clear(); localStorage.clear();")
    open_page(browser, site.url + "/")
    browser.find_element(By.ID, "key").send_keys(site.keys[role])
    browser.find_element(By.ID, "signin-submit").click()
    wait(
        browser,
        lambda b: b.execute_script("return location.pathname") != "/" and is_ready(b),
        f"signed in as {role}",
    )


def nav_links(browser: WebDriver) -> list[str]:
    return [
        attribute(a, "href").rsplit("/", 1)[-1]
        for a in browser.find_elements(By.CSS_SELECTOR, "header nav a")
    ]


def screenshot(browser: WebDriver, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.execute_script("window.scrollTo(0, 0)")
    browser.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


def assert_nothing_ran(browser: WebDriver, expected: str | None = None) -> None:
    """No alert opened, no element built from markup in the data, no error in the console
    (but the `expected` one)."""
    try:
        text = browser.switch_to.alert.text
    except NoAlertPresentException:
        pass
    else:
        pytest.fail(f"a script from the data ran: alert({text})")
    leaked = browser.execute_script(
        "return document.querySelectorAll('img, main script, b, i').length"
    )
    assert leaked == 0
    errors = [
        entry["message"]
        for entry in browser.get_log("browser")  # type: ignore[attr-defined]  # Chrome's, not Remote's
        if entry["level"] == "SEVERE" and not (expected and expected in entry["message"])
    ]
    assert errors == [], "\n".join(errors)


def card(browser: WebDriver, key: str) -> WebElement:
    return browser.find_element(By.CSS_SELECTOR, f'li.card[data-key="{key}"]')


# --- tests -------------------------------------------------------------------------------------


def test_sign_in_keeps_the_key_for_the_session_and_shows_the_roles_pages(
    site: Site, browser: WebDriver
) -> None:
    open_page(browser, site.url + "/")
    browser.execute_script("sessionStorage.clear(); localStorage.clear();")
    open_page(browser, site.url + "/")
    field = browser.find_element(By.ID, "key")
    assert browser.find_element(By.CSS_SELECTOR, "label[for=key]").text == "API-Schlüssel"
    screenshot(browser, "anmelden")

    field.send_keys("pg_unknown_key")
    browser.find_element(By.ID, "signin-submit").click()
    wait(
        browser,
        lambda b: "unbekannt" in b.find_element(By.ID, "status").text,
        "an unknown key is refused",
    )

    sign_in(browser, site, "staff")
    assert browser.current_url.endswith("/partnersuche")
    assert nav_links(browser) == ["partnersuche", "faelle", "bedarfe", "netzwerk"]
    assert browser.execute_script("return sessionStorage.getItem('pg.key')") == site.keys["staff"]

    sign_in(browser, site, "university")
    assert nav_links(browser) == ["bedarfe", "netzwerk"]
    open_page(browser, site.url + "/partnersuche")  # not the university's page
    wait(browser, lambda b: "nicht freigegeben" in b.find_element(By.ID, "status").text, "403")
    assert not browser.find_element(By.ID, "content").is_displayed()

    sign_in(browser, site, "analyst")
    assert nav_links(browser) == ["netzwerk"]
    browser.find_element(By.ID, "lang-switch").click()
    wait(browser, lambda b: b.find_element(By.TAG_NAME, "h1").text == "Network", "English")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    browser.find_element(By.ID, "lang-switch").click()
    wait(browser, lambda b: b.find_element(By.TAG_NAME, "h1").text == "Netzwerk", "German")
    assert_nothing_ran(
        browser,
        expected="/api/v1/me - Failed to load resource: the server responded with a status of 401",
    )


def test_partner_search_ranks_partners_with_marked_evidence_and_records_feedback(
    site: Site, browser: WebDriver
) -> None:
    sign_in(browser, site, "staff")
    browser.find_element(By.ID, "need-text").send_keys(WELDING_NEED)
    browser.find_element(By.ID, "asker").send_keys("org-brandt")
    browser.find_element(By.ID, "search-submit").click()
    wait(browser, lambda b: len(b.find_elements(By.CSS_SELECTOR, "#results li.card")) >= 3, "cards")

    keys = [
        c.get_attribute("data-key")
        for c in browser.find_elements(By.CSS_SELECTOR, "#results li.card")
    ]
    assert "chair-fuegetechnik" in keys[:3]
    assert "org-brandt" not in keys  # the asking company
    chair = card(browser, "chair-fuegetechnik")
    marked = {m.text for m in chair.find_elements(By.CSS_SELECTOR, ".evidence mark")}
    assert any(word.startswith(("Edelstahl", "Schweiß", "schweiß")) for word in marked), marked
    assert len(chair.find_elements(By.CSS_SELECTOR, ".bar .part")) == 3
    steps = [s.text for s in chair.find_elements(By.CSS_SELECTOR, ".path .step-name")]
    assert steps[0].startswith("Brandt") and steps[-1].startswith("Lehrstuhl")

    # the organisation named like a script: shown as its name, nothing ran
    hostile = card(browser, "org-xss")
    assert hostile.find_element(By.CSS_SELECTOR, ".name").text == XSS_NAME
    screenshot(browser, "partnersuche")
    assert_nothing_ran(browser)

    # save the need, then record that the chair was contacted
    title = browser.find_element(By.ID, "need-title")
    title.clear()
    title.send_keys("Verzug an dünnen Blechen")
    browser.find_element(By.ID, "save-submit").click()
    link = wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#saved-as a"), "saved")
    need_key = attribute(link[0], "href").rsplit("/", 1)[-1]
    chair = card(browser, "chair-fuegetechnik")
    chair.find_element(By.CSS_SELECTOR, "input.note").send_keys("Termin vereinbart")
    contacted = chair.find_element(By.CSS_SELECTOR, 'button[data-status="contacted"]')
    contacted.click()
    wait(browser, lambda b: contacted.get_attribute("aria-pressed") == "true", "feedback shown")
    recorded = httpx.get(
        f"{site.url}/api/v1/needs/{need_key}/feedback", headers=auth(site.keys["staff"])
    ).json()
    assert [(f["organization"]["key"], f["status"], f["note"]) for f in recorded] == [
        ("chair-fuegetechnik", "contacted", "Termin vereinbart")
    ]
    assert_nothing_ran(browser)


def result_keys(browser: WebDriver) -> list[str]:
    return [
        attribute(c, "data-key") for c in browser.find_elements(By.CSS_SELECTOR, "#results li.card")
    ]


def test_partner_search_cards_honour_kind_and_radius_also_after_saving_the_need(
    site: Site, browser: WebDriver
) -> None:
    sign_in(browser, site, "staff")
    browser.find_element(By.ID, "need-text").send_keys(
        "Wir suchen einen Betrieb für Schweißen und Metallbau an Geländern und Treppen."
    )
    browser.find_element(By.ID, "asker").send_keys("org-brandt")
    browser.find_element(By.CSS_SELECTOR, 'input[name="kinds"][value="craft_business"]').click()
    browser.find_element(By.ID, "search-submit").click()
    wait(browser, lambda b: len(result_keys(b)) >= 2, "craft businesses")
    kinds = {k.text for k in browser.find_elements(By.CSS_SELECTOR, "#results .card .kind")}
    assert kinds == {"Handwerksbetrieb"}
    assert {"org-kemper", "org-elektro"} <= set(result_keys(browser))

    # 5 km around a postcode in Witten: the asking company is in Dortmund, 14 km away
    browser.find_element(By.ID, "near").send_keys("58452")
    browser.find_element(By.ID, "radius").send_keys("5")
    browser.find_element(By.ID, "search-submit").click()
    wait(browser, lambda b: result_keys(b) == ["org-kemper"], "only the business near 58452")
    distance = card(browser, "org-kemper").find_element(By.CSS_SELECTOR, ".distance").text
    assert int(distance.split()[0]) <= 5

    # saving keeps the search's filters: the same card, measured from the same postcode
    browser.find_element(By.ID, "save-submit").click()
    wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#saved-as a"), "the need saved")
    assert result_keys(browser) == ["org-kemper"]
    distance = card(browser, "org-kemper").find_element(By.CSS_SELECTOR, ".distance").text
    assert int(distance.split()[0]) <= 5
    screenshot(browser, "partnersuche-filter")
    assert_nothing_ran(browser)


def test_needs_board_shows_fitting_needs_anonymised_and_lists_subscribed_topics(
    site: Site, browser: WebDriver
) -> None:
    sign_in(browser, site, "university")
    open_page(browser, site.url + "/bedarfe")
    wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#needs li.card"), "fitting needs")

    confidential = card(browser, site.shared["need-verzug"])
    shown = confidential.text
    assert "Brandt" not in shown and "org-brandt" not in shown
    assert "anonymisiert" in shown and "Unternehmen" in shown
    public = card(browser, "need-xss")
    assert public.find_element(By.CSS_SELECTOR, ".org").text.startswith(XSS_NAME)
    assert "<script>alert(4)</script>" in public.find_element(By.CSS_SELECTOR, ".need-text").text

    region = browser.find_element(By.ID, "region")
    region.send_keys("Bochum")  # no fitting need is there
    wait(browser, lambda b: not b.find_elements(By.CSS_SELECTOR, "#needs li.card"), "filtered")
    region.clear()
    region.send_keys(" ")
    wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#needs li.card"), "unfiltered")

    browser.find_element(By.ID, "sub-query").send_keys("Schweißen dünner Bleche")
    browser.find_element(By.ID, "sub-submit").click()
    wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#subscriptions .fresh li"), "news")
    fresh = browser.find_element(By.CSS_SELECTOR, "#subscriptions .fresh").text
    assert "Brandt" not in fresh
    screenshot(browser, "bedarfe")
    assert_nothing_ran(browser)

    open_page(browser, site.url + "/bedarfe")  # the next visit: nothing new since
    sub = browser.find_element(By.CSS_SELECTOR, "#subscriptions li.sub")
    assert "0 neu seit dem letzten Besuch" in sub.text


def test_needs_board_finds_a_need_shown_by_its_district_when_a_town_there_is_typed(
    site: Site, browser: WebDriver
) -> None:
    sign_in(browser, site, "university")
    open_page(browser, site.url + "/bedarfe")
    wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#needs li.card"), "fitting needs")
    gelaender, verzug = site.shared["need-gelaender"], site.shared["need-verzug"]
    confidential = card(browser, gelaender).text
    assert "Ennepe-Ruhr-Kreis" in confidential  # all it shows of where the company is
    assert "Witten" not in confidential and "Kemper" not in confidential

    def shown(b: WebDriver) -> set[str]:
        return {
            attribute(c, "data-key") for c in b.find_elements(By.CSS_SELECTOR, "#needs li.card")
        }

    everything = shown(browser)
    region = browser.find_element(By.ID, "region")

    def filter_by(place: str, expected: Callable[[set[str]], bool]) -> None:
        region.clear()
        region.send_keys(" ")  # unfiltered first, so each place's list is its own
        wait(browser, lambda b: shown(b) == everything, "unfiltered")
        region.clear()
        region.send_keys(place)
        wait(browser, lambda b: expected(shown(b)), place)

    filter_by("Witten", lambda keys: keys == {gelaender})  # a town in its district
    filter_by("Hattingen", lambda keys: keys == {gelaender})  # another: it may be there
    filter_by("Ennepe-Ruhr-Kreis", lambda keys: keys == {gelaender})
    filter_by("05954", lambda keys: keys == {gelaender})  # the district's key
    # Witten and Dortmund lie in the Regierungsbezirk
    filter_by("Regierungsbezirk Arnsberg", lambda keys: {gelaender, verzug} <= keys)
    filter_by("Bochum", lambda keys: not keys)  # a town in neither district
    assert_nothing_ran(browser)


def test_network_explorer_finds_and_expands_nodes_and_exports_the_view(
    site: Site, browser: WebDriver
) -> None:
    sign_in(browser, site, "analyst")
    open_page(browser, site.url + "/netzwerk")
    search = browser.find_element(By.ID, "node-q")
    search.send_keys("Kemper")
    browser.find_element(By.ID, "node-search-submit").click()
    hit = wait(browser, lambda b: b.find_element(By.CSS_SELECTOR, "#hits button.hit"), "a hit")
    assert hit.text.startswith("Kemper")
    hit.click()

    def count(b: WebDriver) -> int:
        return int(b.execute_script("return window.partnergraphExplorer.cy.nodes().length"))

    wait(browser, lambda b: count(b) > 1, "the neighbourhood added")
    first = count(browser)
    rows = browser.find_elements(By.CSS_SELECTOR, "#node-rows tr")
    assert len(rows) == first
    # expand a neighbour through the keyboard-usable list
    other = next(r for r in rows if not r.text.startswith("Kemper"))
    other.find_element(By.CSS_SELECTOR, "button.small").click()
    wait(browser, lambda b: "hinzugefügt" in b.find_element(By.ID, "status").text, "expanded")
    assert count(browser) >= first

    search.clear()
    search.send_keys("alert")
    browser.find_element(By.ID, "node-search-submit").click()
    hostile = wait(
        browser,
        lambda b: [
            h for h in b.find_elements(By.CSS_SELECTOR, "#hits button.hit") if "alert" in h.text
        ],
        "the hostile organisation found",
    )[0]
    assert hostile.text == XSS_NAME
    hostile.click()
    wait(
        browser,
        lambda b: b.find_element(By.CSS_SELECTOR, ".details-name").text == XSS_NAME,
        "details",
    )

    graphml = browser.execute_script(
        "const x = window.partnergraphExplorer; const v = x.visibleElements();"
        "return x.toGraphML(v.nodes, v.edges);"
    )
    names = ET.fromstring(graphml.split("\n", 1)[1]).iter(
        "{http://graphml.graphdrawing.org/xmlns}node"
    )
    assert len(list(names)) == count(browser)
    assert XSS_NAME in graphml.replace("&lt;", "<").replace("&gt;", ">")
    png = browser.execute_script("return window.partnergraphExplorer.cy.png().slice(0, 22)")
    assert png == "data:image/png;base64,"
    screenshot(browser, "netzwerk")
    assert_nothing_ran(browser)


def test_network_explorer_filters_by_trade_and_exports_the_view_as_png(
    site: Site, browser: WebDriver, tmp_path: Path
) -> None:
    sign_in(browser, site, "analyst")
    open_page(browser, site.url + "/netzwerk")
    depths = browser.find_elements(By.CSS_SELECTOR, "#depth option")
    assert [o.get_attribute("value") for o in depths] == ["1", "2", "3"]  # as the API allows

    def organisations(b: WebDriver) -> set[str]:
        return set(
            b.execute_script(
                "return window.partnergraphExplorer.cy.nodes('[label = \"Organization\"]')"
                ".not('.hidden').map((n) => n.id())"
            )
        )

    # two towns: their craft businesses come without the Trade nodes they practise
    search = browser.find_element(By.ID, "node-q")
    for town, business in (("Witten", "org-kemper"), ("Herne", "org-elektro")):
        search.clear()
        search.send_keys(town)
        browser.find_element(By.ID, "node-search-submit").click()
        wait(
            browser,
            lambda b, town=town: [  # type: ignore[misc]  # mypy infers no lambda with defaults
                h for h in b.find_elements(By.CSS_SELECTOR, "#hits button.hit") if h.text == town
            ],
            f"{town} found",
        )[0].click()
        wait(
            browser,
            lambda b, business=business: (  # type: ignore[misc]  # as above
                f"Organization:{business}" in organisations(b)
            ),
            f"{business} shown",
        )
    labels = browser.execute_script(
        "return window.partnergraphExplorer.cy.nodes().map((n) => n.data('label'))"
    )
    assert "Trade" not in labels

    trade = browser.find_element(By.ID, "f-trade")
    for wanted in ("A13", "metallbau"):
        trade.clear()
        trade.send_keys(" ")
        wait(browser, lambda b: "Organization:org-elektro" in organisations(b), "unfiltered")
        trade.clear()
        trade.send_keys(wanted)
        wait(
            browser,
            lambda b: organisations(b) == {"Organization:org-kemper"},
            f"only the Metallbauer for {wanted}",
        )

    # the PNG button downloads the view
    browser.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)}
    )
    browser.find_element(By.ID, "export-png").click()
    png = tmp_path / "partnergraph.png"
    wait(browser, lambda b: png.is_file() and png.stat().st_size > 0, "the PNG downloaded")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert_nothing_ran(browser)


def test_marks_count_characters_as_the_service_does(site: Site, browser: WebDriver) -> None:
    """Python counts code points, JavaScript UTF-16 units: after an emoji they differ by one."""
    snippet = "🔧 Schweißen <b>dünner</b> Bleche"
    marks = [[2, 11], [15, 21]]  # as matching.explain would give them
    open_page(browser, site.url + "/")
    shown = browser.execute_async_script(
        "const [snippet, marks, done] = arguments;"
        "import('/static/js/dom.js').then(({ h, marked }) => {"
        "  const p = h('p', {}, marked(snippet, marks));"
        "  done([[...p.querySelectorAll('mark')].map((m) => m.textContent), p.textContent,"
        "        p.children.length]);"
        "});",
        snippet,
        marks,
    )
    assert shown == [["Schweißen", "dünner"], snippet, 2]
