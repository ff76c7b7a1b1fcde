"""The Netzwerk page at the scale of the region, in headless Chromium (WebGL in software).

The overview shows the communities of the whole network (computed on the server after the
load) drawn by sigma; opening one shows its organisations at their stored positions; growing a
neighbourhood leaves towns, industries and trades out unless asked, and the node-type filter
hides them; a topic shows its needs with the organisations that fit them; the view's GraphML
read back with networkx carries name, kind, community and position; at 800 px the picture
comes before the controls. Screenshots go to test-output/pages/.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import networkx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from graph import admin, communities, schema
from graph.connection import Graph
from matching.encoder import get_encoder
from partnergraph.settings import Settings
from service.app import create_app
from tests.ingest_support import run_ingest
from tests.pages_support import LiveServer, data_with_hostile_names, headless_chromium
from tests.service_support import auth, keys_for_roles, release_pending
from tests.test_pages_browser import (
    Site,
    assert_nothing_ran,
    open_page,
    screenshot,
    sign_in,
    wait,
)


@pytest.fixture(scope="module")
def site(neo4j_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = data_with_hostile_names(tmp_path_factory.mktemp("network") / "data")
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

            shared = release_pending(call)
            communities.recompute(graph)  # as an ingest job does after the load
            yield Site(server.url, keys, shared)


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    chrome = headless_chromium(webgl=True)
    try:
        yield chrome
    finally:
        chrome.quit()


def explorer(browser: WebDriver, script: str) -> Any:
    return browser.execute_script("const x = window.partnergraphExplorer; " + script)


def shown_labels(browser: WebDriver) -> set[str]:
    return set(explorer(browser, "return x.cy.nodes().not('.hidden').map((n) => n.data('label'))"))


def test_the_overview_draws_the_communities_and_opening_one_shows_its_members(
    site: Site, browser: WebDriver
) -> None:
    sign_in(browser, site, "analyst")
    open_page(browser, site.url + "/netzwerk")
    data = httpx.get(
        site.url + "/api/v1/graph/communities", headers=auth(site.keys["analyst"])
    ).json()
    assert len(data["communities"]) >= 2
    assert browser.find_element(By.ID, "overview").is_displayed()
    assert not browser.find_element(By.ID, "cy").is_displayed()
    drawn = explorer(browser, "return x.state.overview.graph && x.state.overview.graph.order")
    assert drawn == len(data["communities"]), "sigma draws every community (WebGL)"
    assert browser.find_elements(By.CSS_SELECTOR, "#overview canvas")
    items = browser.find_elements(By.CSS_SELECTOR, "#community-list li")
    assert len(items) == len(data["communities"])
    screenshot(browser, "netzwerk-uebersicht")

    largest = data["communities"][0]
    items[0].find_element(By.CSS_SELECTOR, "button.community").click()
    wait(browser, lambda b: b.find_element(By.ID, "cy").is_displayed(), "the community opened")
    wait(
        browser,
        lambda b: explorer(b, "return x.cy.nodes().length") == largest["size"],
        "its members shown",
    )
    assert shown_labels(browser) == {"Organization"}
    members = explorer(browser, "return x.cy.nodes().map((n) => n.data('props').community)")
    assert set(members) == {largest["key"]}
    # centrality as a sort: the list follows the bridges column
    browser.find_element(By.CSS_SELECTOR, "#sort option[value='bridges']").click()
    bridges = [
        int(row.find_elements(By.TAG_NAME, "td")[3].text or 0)
        for row in browser.find_elements(By.CSS_SELECTOR, "#node-rows tr")
    ]
    assert bridges == sorted(bridges, reverse=True)
    browser.find_element(By.CSS_SELECTOR, "#node-rows tr button.link").click()
    details = browser.find_element(By.ID, "details-body").text
    assert "Zwischenzentralität" in details and "Brücken zu anderen Gemeinschaften" in details
    screenshot(browser, "netzwerk-gemeinschaft")
    assert_nothing_ran(browser)


def test_expanding_leaves_hubs_out_unless_asked_and_the_type_filter_hides_them(
    site: Site, browser: WebDriver
) -> None:
    sign_in(browser, site, "analyst")
    open_page(browser, site.url + "/netzwerk")
    browser.find_element(By.ID, "depth").find_element(By.CSS_SELECTOR, "option[value='2']").click()
    search = browser.find_element(By.ID, "node-q")
    search.send_keys("Kemper")
    browser.find_element(By.ID, "node-search-submit").click()
    wait(browser, lambda b: b.find_element(By.CSS_SELECTOR, "#hits button.hit"), "a hit").click()
    wait(browser, lambda b: explorer(b, "return x.cy.nodes().length") > 1, "expanded")
    hubs = {"Region", "Industry", "Trade"}
    assert not shown_labels(browser) & hubs
    before = explorer(browser, "return x.cy.nodes().length")

    browser.find_element(By.ID, "hubs").click()
    browser.find_element(By.ID, "expand-selected").click()
    wait(browser, lambda b: explorer(b, "return x.cy.nodes().length") > before, "hubs added")
    assert shown_labels(browser) & hubs
    for label in hubs:
        browser.find_element(By.CSS_SELECTOR, f"#types input[value='{label}']").click()
    wait(browser, lambda b: not shown_labels(b) & hubs, "hubs hidden")
    assert "Organization" in shown_labels(browser)
    assert_nothing_ran(browser)


def test_a_topic_shows_its_needs_connected_to_organisations_that_fit(
    site: Site, browser: WebDriver
) -> None:
    sign_in(browser, site, "analyst")
    open_page(browser, site.url + "/netzwerk")
    button = wait(
        browser, lambda b: b.find_element(By.CSS_SELECTOR, "#topics button.small"), "topics"
    )
    button.click()
    wait(
        browser,
        lambda b: "passenden Organisationen" in b.find_element(By.ID, "status").text,
        "the topic shown",
    )
    fits = explorer(
        browser,
        "return x.cy.edges('.fits').map((e) => [e.source().data('label'), "
        "e.target().data('label')])",
    )
    assert fits and all(pair == ["Organization", "Need"] for pair in fits)
    screenshot(browser, "netzwerk-thema")
    assert_nothing_ran(browser)


def test_the_view_exported_as_graphml_reads_back_with_name_kind_community_and_position(
    site: Site, browser: WebDriver
) -> None:
    sign_in(browser, site, "analyst")
    open_page(browser, site.url + "/netzwerk")
    key = httpx.get(
        site.url + "/api/v1/graph/communities", headers=auth(site.keys["analyst"])
    ).json()["communities"][0]["key"]
    explorer(browser, f"return x.openCommunity('{key}')")
    wait(browser, lambda b: explorer(b, "return x.cy.nodes().length") > 0, "members")
    graphml = explorer(
        browser, "const v = x.visibleElements(); return x.toGraphML(v.nodes, v.edges);"
    )
    graph = networkx.parse_graphml(graphml)
    assert graph.number_of_nodes() == explorer(browser, "return x.cy.nodes().length")
    for _, node in graph.nodes(data=True):
        assert node["type"] == "Organization" and node["label"] == node["name"]
        assert node["community"] == key and node["kind"]
        assert isinstance(node["x"], float) and isinstance(node["y"], float)


def test_a_narrow_window_shows_the_picture_before_the_controls(
    site: Site, browser: WebDriver
) -> None:
    sign_in(browser, site, "analyst")
    browser.set_window_size(800, 1000)
    try:
        open_page(browser, site.url + "/netzwerk")
        top = browser.execute_script(
            "return document.getElementById('overview').getBoundingClientRect().top"
        )
        controls = browser.execute_script(
            "return document.getElementById('node-search').getBoundingClientRect().top"
        )
        assert top < controls and top < 400
        screenshot(browser, "netzwerk-800px")
    finally:
        browser.set_window_size(1400, 1000)
