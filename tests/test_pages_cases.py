"""The journeys of issue 21 in a real browser (headless Chromium): staff keep needs as cases,
universities answer them, every suggestion leads to a profile, weak suggestions are marked,
and the German pages show no English.

One service and one browser serve the module, on the canonical fixture with the page tests'
extra rows plus an X-ray/CT laboratory and a foundry (the X-ray need of the issue). Screenshots
of each journey's key moments go to test-output/pages/.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from graph import admin, schema
from graph.connection import Graph
from matching.encoder import get_encoder
from partnergraph.settings import Settings
from service.app import create_app
from service.pages import STATIC
from tests.ingest_support import run_ingest
from tests.pages_support import (
    LiveServer,
    attribute,
    data_with_hostile_names,
    headless_chromium,
)
from tests.service_support import auth, keys_for_roles, release_pending
from tests.test_pages_browser import (
    Site,
    assert_nothing_ran,
    card,
    is_ready,
    open_page,
    result_keys,
    screenshot,
    sign_in,
    wait,
)

WELDING_NEED = "Unsere dünnen Edelstahlbleche verziehen sich beim Schweißen"
XRAY_NEED = "Aluminiumgussteile röntgen und auf Porosität prüfen"
KEPT_CHAIR = '#shortlist li.card[data-key="chair-fuegetechnik"]'


def with_xray_lab(folder: Path) -> Path:
    """The only X-ray/CT provider of the data, a foundry and a turning shop beside it."""
    extra = {
        "organizations.csv": "org-xray;Prüflabor Durchblick (fiktiv);service_provider;"
        "Zerstörungsfreie Werkstoffprüfung.;;44227;Dortmund;;DE;;;;12;;;;71\n"
        "org-giesserei;Gießerei Ruhrguss (fiktiv);company;Aluminium-Druckguss.;;44147;"
        "Dortmund;;DE;;;;80;;;;24\n"
        "org-dreherei;Dreherei Span (fiktiv);company;Drehteile.;;44139;Dortmund;;DE;;;;30;;;;25",
        "competences.csv": "comp-xray-ct;org-xray;Röntgenprüfung und Computertomografie;"
        "Durchstrahlungsprüfung von Gussteilen: Poren, Lunker und Einschlüsse sichtbar machen, "
        "ohne die Teile zu zerschneiden.;de\n"
        "comp-druckguss;org-giesserei;Aluminium-Druckguss;Druckgussteile aus Aluminium für "
        "Gehäuse, mit Nachbearbeitung.;de\n"
        "comp-drehen;org-dreherei;CNC-Drehen;Drehteile aus Messing und Stahl in Serie.;de",
    }
    for name, rows in extra.items():
        path = folder / name
        text = path.read_text(encoding="utf-8")
        path.write_text(text.rstrip("\n") + "\n" + rows + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def site(neo4j_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = with_xray_lab(data_with_hostile_names(tmp_path_factory.mktemp("cases") / "data"))
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


def api(site: Site, role: str, path: str) -> Any:
    response = httpx.get(f"{site.url}/api/v1{path}", headers=auth(site.keys[role]), timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


# --- no English in the German pages ---------------------------------------------------------------

# Raw values of the API that must never show as they are.
RAW = (
    "open",
    "confidential",
    "anonymous",
    "public",
    "in_progress",
    "partner_found",
    "contacted",
    "accepted",
    "rejected",
    "craft_business",
    "research_group",
    "strong",
    "medium",
    "weak",
)


def english_strings() -> set[str]:
    """English UI strings that differ from their German ones (two words or more)."""
    de = json.loads((STATIC / "i18n" / "de.json").read_text(encoding="utf-8"))
    en = json.loads((STATIC / "i18n" / "en.json").read_text(encoding="utf-8"))
    plain = {
        re.sub(r"\{\w+\}", "", text).strip(" :.…")
        for key, text in en.items()
        if de.get(key) != text
    }
    return {text for text in plain if len(text.split()) >= 2 and "{" not in text}


def assert_german(browser: WebDriver, page: str) -> None:
    shown = browser.find_element(By.TAG_NAME, "body").text
    visible = re.sub(r"\s+", " ", shown)
    english = sorted(s for s in english_strings() if s in visible)
    assert english == [], f"{page}: English strings shown: {english}"
    raw = sorted({w for w in RAW if re.search(rf"(?<![\w-]){w}(?![\w-])", visible)})
    assert raw == [], f"{page}: raw values shown: {raw}"


# --- journeys ---------------------------------------------------------------------------------


def search(browser: WebDriver, text: str, asker: str | None = "org-brandt") -> list[str]:
    field = browser.find_element(By.ID, "need-text")
    field.clear()
    field.send_keys(text)
    if asker:
        browser.find_element(By.ID, "asker").clear()
        browser.find_element(By.ID, "asker").send_keys(asker)
    field.send_keys(Keys.CONTROL, Keys.ENTER)  # Ctrl+Enter submits
    wait(browser, lambda b: "Vorschläge" in b.find_element(By.ID, "status").text, "results")
    return result_keys(browser)


def test_staff_save_a_need_once_find_it_again_as_a_case_and_record_partners(
    site: Site, browser: WebDriver
) -> None:
    sign_in(browser, site, "staff")
    keys = search(browser, WELDING_NEED)
    assert "chair-fuegetechnik" in keys[:3]
    # focus moved to the results
    assert browser.switch_to.active_element.get_attribute("id") == "results-heading"
    badges = [b.text for b in browser.find_elements(By.CSS_SELECTOR, "#results .strength")]
    assert badges and set(badges) <= {"stark", "mittel", "schwach"}
    assert_german(browser, "/partnersuche")

    # a double click on "save" makes one need
    title = browser.find_element(By.ID, "need-title")
    title.clear()
    title.send_keys("Verzug an Edelstahlblechen (Fall)")
    browser.execute_script(
        "const b = document.getElementById('save-submit'); b.click(); b.click();"
    )
    link = wait(
        browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#saved-as a.case-link"), "saved"
    )[0]
    case_url = attribute(link, "href")
    need_key = case_url.rsplit("/", 1)[-1]
    cases = api(site, "staff", "/cases?mine=true")
    saved = [c for c in cases if c["need"]["title"] == "Verzug an Edelstahlblechen (Fall)"]
    assert len(saved) == 1 and saved[0]["need"]["key"] == need_key
    screenshot(browser, "faelle-1-gespeichert")

    # reload, find the need in the list of cases, open it
    browser.refresh()
    wait(browser, is_ready, "reloaded")
    open_page(browser, site.url + "/faelle")
    row = wait(
        browser,
        lambda b: b.find_elements(By.CSS_SELECTOR, f'#case-rows tr[data-key="{need_key}"]'),
        "the need in the list",
    )[0]
    assert "neu" in row.find_element(By.CSS_SELECTOR, ".case-status").text
    assert "Brandt" in row.text
    screenshot(browser, "faelle-2-liste")
    assert_german(browser, "/faelle")
    row.find_element(By.CSS_SELECTOR, "a.case-link").click()
    wait(browser, lambda b: b.current_url == case_url and is_ready(b), "the case page")

    # the same shortlist, in the same order
    wait(browser, lambda b: result_keys_in(b, "shortlist"), "the stored shortlist")
    assert result_keys_in(browser, "shortlist") == [k for k in keys if k]
    chair = browser.find_element(
        By.CSS_SELECTOR, '#shortlist li.card[data-key="chair-fuegetechnik"]'
    )
    chair.find_element(By.CSS_SELECTOR, "input.note").send_keys("Termin am 12.03.")
    chair.find_element(By.CSS_SELECTOR, 'button[data-status="contacted"]').click()
    wait(
        browser,
        lambda b: "Kontaktiert" in b.find_element(By.ID, "history").text,
        "contacted in the history",
    )
    chair = browser.find_element(
        By.CSS_SELECTOR, '#shortlist li.card[data-key="chair-fuegetechnik"]'
    )
    chair.find_element(By.CSS_SELECTOR, 'button[data-status="accepted"]').click()
    wait(
        browser,
        lambda b: (
            b.find_element(By.CSS_SELECTOR, "#case-meta .case-status").text == "Partner gefunden"
        ),
        "partner found",
    )
    history = browser.find_element(By.ID, "history").text
    assert "Angenommen" in history and "test staff" in history
    screenshot(browser, "faelle-3-fall")
    assert_german(browser, "/faelle/{key}")

    # a fresh search beside the stored one leaves the stored one as it was
    browser.find_element(By.ID, "fresh-submit").click()
    wait(browser, lambda b: result_keys_in(b, "fresh"), "the fresh search")
    assert result_keys_in(browser, "shortlist") == [k for k in keys if k]

    # the partner's profile
    browser.find_element(
        By.CSS_SELECTOR, '#shortlist li.card[data-key="chair-fuegetechnik"] a.org-link'
    ).click()
    wait(
        browser,
        lambda b: "/organisation/chair-fuegetechnik" in b.current_url and is_ready(b),
        "the profile",
    )
    wait(
        browser,
        lambda b: b.find_element(By.ID, "org-name").text.startswith("Lehrstuhl"),
        "the profile's name",
    )
    assert browser.find_elements(By.CSS_SELECTOR, "#org-competences li")
    screenshot(browser, "faelle-4-profil")
    assert_german(browser, "/organisation/{key}")
    assert_nothing_ran(browser)


def result_keys_in(browser: WebDriver, list_id: str) -> list[str]:
    return [
        attribute(c, "data-key")
        for c in browser.find_elements(By.CSS_SELECTOR, f"#{list_id} li.card")
    ]


def test_a_university_answers_a_need_and_staff_connect_it_on_the_case(
    site: Site, browser: WebDriver
) -> None:
    shared_key = site.shared["need-verzug"]
    sign_in(browser, site, "university")
    open_page(browser, site.url + "/bedarfe")
    need = wait(browser, lambda b: card(b, shared_key), "the fitting need")
    # which unit fits and why
    assert need.find_elements(By.CSS_SELECTOR, ".fit .via li")
    need.find_element(By.CSS_SELECTOR, "button.answer-open").click()
    need.find_element(By.CSS_SELECTOR, "textarea[name=message]").send_keys(
        "Unser Lehrstuhl forscht an verzugsarmem Schweißen dünner Bleche."
    )
    contact = need.find_element(By.CSS_SELECTOR, "input[name=contact]")
    contact.send_keys("Dr. Weber, Transferstelle")
    contact.send_keys(Keys.CONTROL, Keys.ENTER)
    wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#answers li.my-answer"), "answer")
    mine = browser.find_element(By.ID, "answers").text
    assert "Brandt" not in mine  # not connected yet: the company stays as released
    screenshot(browser, "antwort-1-hochschule")
    assert_german(browser, "/bedarfe")

    sign_in(browser, site, "staff")
    open_page(browser, site.url + "/faelle/need-verzug")
    answer = wait(
        browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#answers li.answer"), "answer"
    )[0]
    assert "verzugsarmem Schweißen" in answer.text and "Dr. Weber" in answer.text
    answer.find_element(By.CSS_SELECTOR, "button.connect").click()
    wait(
        browser,
        lambda b: (
            b.find_element(By.CSS_SELECTOR, "#answers li.answer").get_attribute("data-status")
            == "connected"
        ),
        "connected",
    )
    screenshot(browser, "antwort-2-fall")

    sign_in(browser, site, "university")
    open_page(browser, site.url + "/bedarfe")
    wait(
        browser,
        lambda b: "Brandt" in b.find_element(By.ID, "answers").text,
        "the company shown once connected",
    )
    screenshot(browser, "antwort-3-verbunden")
    assert_nothing_ran(browser)


def test_the_xray_need_finds_the_xray_lab_and_weak_suggestions_are_marked_below_a_line(
    site: Site, browser: WebDriver
) -> None:
    sign_in(browser, site, "staff")
    keys = search(browser, XRAY_NEED, asker=None)
    assert "org-xray" in keys[:3], keys
    lab = card(browser, "org-xray")
    assert lab.find_element(By.CSS_SELECTOR, ".strength").text in ("stark", "mittel")
    # the rest of the small fixture fits badly: marked weak, below a line that says so
    weak = browser.find_elements(By.CSS_SELECTOR, "#results li.card.strength-weak")
    assert weak, "nothing marked weak"
    line = browser.find_element(By.CSS_SELECTOR, "#results li.weak-line")
    assert "Schwache Vorschläge" in line.text or "Nur schwache" in line.text
    items = browser.find_elements(By.CSS_SELECTOR, "#results > li")
    first_weak = next(i for i, li in enumerate(items) if "strength-weak" in attribute(li, "class"))
    assert "weak-line" in attribute(items[first_weak - 1], "class")
    screenshot(browser, "partnersuche-staerke")
    assert_german(browser, "/partnersuche")


def test_a_trade_filter_that_changes_nothing_says_so_and_errors_are_german_and_clear_results(
    site: Site, browser: WebDriver
) -> None:
    sign_in(browser, site, "staff")
    search(browser, WELDING_NEED)
    browser.find_element(By.ID, "trade").send_keys("A41")  # a trade nobody here practises
    browser.find_element(By.ID, "search-submit").click()
    wait(
        browser,
        lambda b: "ändert an den Vorschlägen nichts" in b.find_element(By.ID, "status").text,
        "the filter's effect said",
    )
    browser.find_element(By.ID, "trade").clear()
    browser.find_element(By.ID, "near").send_keys("10115")  # Berlin: not in the table
    browser.find_element(By.ID, "search-submit").click()
    wait(
        browser,
        lambda b: b.find_element(By.ID, "status").get_attribute("data-kind") == "error",
        "the error",
    )
    message = browser.find_element(By.ID, "status").text
    assert "Nicht gefunden" in message and "10115" in message
    assert "is not" not in message and "reference table" not in message, message
    assert result_keys(browser) == []  # no old results under the error
    screenshot(browser, "partnersuche-fehler")
