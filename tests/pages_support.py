"""Helpers for the page tests: the service on a real port, a headless Chromium, test data.

The service runs in a thread of the test process (uvicorn), so it shares the encoder the test
already loaded. Chromium and its driver are Debian's (`chromium`, `chromium-driver`, installed
by `make setup`): they come in matching versions, and Selenium is told where they are, so
nothing is looked up or downloaded at run time.
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webelement import WebElement

from graph.server import free_port
from tests.ingest_support import CANONICAL

SCREENSHOTS = Path(__file__).resolve().parents[1] / "test-output" / "pages"
XSS_NAME = "<script>alert(1)</script>"


class LiveServer:
    """`app` served by uvicorn on a free port of 127.0.0.1, in a daemon thread."""

    def __init__(self, app: FastAPI) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="live-server", daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the service did not start on port {self.port}")
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


def chromium_paths() -> tuple[str, str]:
    """Debian's chromium and chromedriver; a clear message when `make setup` has not run."""
    browser = next(
        (p for p in map(shutil.which, ("chromium", "chromium-browser")) if p is not None), None
    )
    driver = shutil.which("chromedriver")
    if browser is None or driver is None:
        raise RuntimeError(
            "the browser tests need Debian's chromium and chromium-driver: `make setup` "
            "installs them (apt-get install chromium chromium-driver)"
        )
    return browser, driver


def attribute(element: WebElement, name: str) -> str:
    """An attribute the page sets (selenium types every attribute as possibly missing)."""
    value = element.get_attribute(name)
    assert value is not None, f"no {name} on the element"
    return value


def headless_chromium(*, webgl: bool = False) -> webdriver.Chrome:
    """Chromium without a window; `webgl`: with WebGL drawn in software (SwiftShader), as the
    network overview needs it on machines without a GPU."""
    browser, driver = chromium_paths()
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    gpu = (
        ("--use-angle=swiftshader", "--enable-unsafe-swiftshader") if webgl else ("--disable-gpu",)
    )
    for argument in (
        "--headless=new",
        "--no-sandbox",  # runs as root in CI containers
        "--disable-dev-shm-usage",
        *gpu,
        "--window-size=1400,1000",
        "--lang=de-DE",
        # hermetic: any host but the local service fails to resolve
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    chrome = webdriver.Chrome(service=Service(executable_path=driver), options=options)
    chrome.set_page_load_timeout(30)
    return chrome


def data_with_hostile_names(folder: Path) -> Path:
    """The canonical fixture plus an organisation whose name, texts and need carry markup,
    a competence of TU Dortmund itself (so its university key sees fitting needs), a
    confidential need of the craft business in Witten (shown by its district only), and peers
    of the companies in Dortmund and of the craft businesses in the Ennepe-Ruhr-Kreis (so
    their districts may be named)."""
    shutil.copytree(CANONICAL, folder)
    # Companies and craft businesses enough for a confidential need to be shown by its
    # district (a description keeps its company among at least five: service.release).
    peers = "\n".join(
        [
            f"org-peer-do{i};Peer Dortmund {i} GmbH (fiktiv);company;Zulieferer.;;44139;"
            f"Dortmund;;DE;;;;{40 + i};;;;25"
            for i in range(4)
        ]
        + [
            f"org-peer-en{i};Peer Schwelm {i} (fiktiv);craft_business;Metallbau.;;58332;"
            f"Schwelm;;DE;;;;{5 + i};;;A13;43"
            for i in range(5)
        ]
    )
    extra = {
        "organizations.csv": f"org-xss;{XSS_NAME};company;Schweißtechnik "
        "<img src=x onerror=alert(2)> für dünne Bleche;Teststraße 1;44147;Dortmund;;DE;;;;"
        "20;;;;25\n" + peers,
        "competences.csv": "comp-xss;org-xss;Schweißen <b>dünner</b> Edelstahlbleche;"
        "Verzugsarmes WIG-Schweißen dünner Edelstahlbleche <script>alert(3)</script>;de\n"
        "comp-tu-laser;uni-tu-dortmund;Laserschweißen und Fügetechnik;Forschung zum "
        "verzugsarmen Schweißen dünner Bleche aus Edelstahl und Aluminium.;de",
        "needs.csv": "need-xss;org-xss;Lasernähte an <i>dünnen</i> Blechen;Wir suchen Hilfe "
        "beim Laserschweißen dünner Edelstahlbleche <script>alert(4)</script>;de;open;public;"
        "2026-05-01\n"
        "need-gelaender;org-kemper;Verzug an geschweißten Edelstahlgeländern;Dünne "
        "Edelstahlbleche verziehen sich beim Schweißen der Geländer. Wir suchen ein "
        "verzugsarmes Fügeverfahren.;de;open;confidential;2026-04-10",
    }
    for name, rows in extra.items():
        path = folder / name
        text = path.read_text(encoding="utf-8")
        path.write_text(text.rstrip("\n") + "\n" + rows + "\n", encoding="utf-8")
    return folder
