"""The web UI in a real browser: Playwright for Python driving Debian's Chromium
(/usr/bin/chromium; Playwright never downloads a browser) against `eventwire serve`'s app
on a free localhost port, over a store of hand-made example articles.

Each page is loaded, filtered and followed down to an event's evidence; screenshots go to
artifacts/screenshots/. Skips on a machine without Chromium, fails in CI.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import api_samples
import httpx
import pytest
from conftest import ROOT, skip_or_fail

from eventwire import config
from eventwire.api.app import create_app

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = ROOT / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("ui") / "ui.db"
    cfg = config.load(overrides={"store": {"url": f"sqlite:///{db}"},
                                 "server": {"token": "ui-token"}})
    app = create_app(cfg)
    api_samples.fill(app.state.store)
    with api_samples.serving(app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        skip_or_fail("Chromium not found at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page; any JavaScript error or console error fails the test."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    problems: list[str] = []
    pg.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    pg.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
          if m.type == "error" else None)
    yield pg
    context.close()
    assert not problems, problems


def api(base_url: str, path: str, **params: Any) -> Any:
    r = httpx.get(f"{base_url}/api/{path}", params=params, timeout=30)
    r.raise_for_status()
    return r.json()


def visit(page: Any, base_url: str, route: str) -> None:
    page.goto(f"{base_url}/{route}")
    ready(page)


def ready(page: Any) -> None:
    """Waits until the page for the current address has rendered: a flag alone could be
    the previous page's, read before the hashchange handler cleared it."""
    page.wait_for_function(
        "() => { const v = document.getElementById('view');"
        " return v.dataset.ready === 'true' && v.dataset.route === location.hash; }",
        timeout=20_000)


def navigated(page: Any, fragment: str) -> None:
    """Waits until the hash contains ``fragment`` and the new page has rendered."""
    page.wait_for_function("f => location.hash.includes(f)", arg=fragment, timeout=20_000)
    ready(page)


def shot(page: Any, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def marked_text(page: Any) -> str:
    return "".join(page.locator("#article-text .seg.sel").all_text_contents())


def test_events_filter_then_evidence(page: Any, base_url: str) -> None:
    visit(page, base_url, "#/events")
    assert page.locator("#events-table tbody tr").count() == 12
    summary = page.locator("#events-summary").inner_text()
    assert "12 events match" in summary and "null" not in summary  # nothing hidden: no note
    shot(page, "events")
    page.fill("#f-actor", "RUS")
    page.select_option("#f-type", "CONSULT")
    page.fill("#f-since", "2021-08")
    page.fill("#f-until", "2021-08")
    page.click("#filters button[type=submit]")
    navigated(page, "type=CONSULT")
    rows = page.locator("#events-table tbody tr")
    assert rows.count() == 2
    assert "2 events match" in page.locator("#events-summary").inner_text()
    shot(page, "events-filtered")
    event_id = rows.first.get_attribute("data-event-id")
    rows.first.locator("td").first.click()
    navigated(page, f"event={event_id}")
    quote = api(base_url, f"events/{event_id}")["evidence"]["quote"]
    assert marked_text(page) == quote
    assert page.locator(f'.side-event.selected[data-event-id="{event_id}"]').count() == 1
    shot(page, "article-evidence")


def test_sorting_by_confidence(page: Any, base_url: str) -> None:
    visit(page, base_url, "#/events")
    page.click('th button[data-sort="confidence"]')
    navigated(page, "sort=-confidence")
    cells = page.locator("#events-table tbody tr td:nth-child(7)").all_text_contents()
    values = [int(c.rstrip("%")) for c in cells]
    assert values == sorted(values, reverse=True) and values[0] == 95
    assert page.locator("#next-page").is_disabled()


def test_article_side_list_marks_each_event(page: Any, base_url: str) -> None:
    lavrov = api(base_url, "events", actor="lavrov")["events"][0]
    visit(page, base_url, f"#/article/{lavrov['article_id']}")
    article = api(base_url, f"articles/{lavrov['article_id']}")
    assert page.locator(".side-event").count() == 3
    for event in article["events"]:
        page.click(f'.side-event[data-event-id="{event["id"]}"]')
        assert marked_text(page) == event["evidence"]["quote"]
    kinds = {k: page.locator(f"#article-text .seg.k-{k}").count()
             for k in ("event", "actor", "place", "date")}
    assert all(kinds.values()), kinds
    page.locator("#article-text .seg.k-actor", has_text="Lavrov").first.hover()
    tooltip = page.locator("#tooltip")
    tooltip.wait_for(state="visible")
    assert "Foreign Minister" in tooltip.inner_text()
    shot(page, "article-hover")


def test_hostile_article_is_only_text(page: Any, base_url: str) -> None:
    event = api(base_url, "events", actor="NOR")["events"][0]
    visit(page, base_url, f"#/article/{event['article_id']}?event={event['id']}")
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    body = page.locator("#article-text")
    assert body.locator("img, script, b").count() == 0
    assert "<script>window.__pwned=1</script>" in body.inner_text()
    assert marked_text(page) == event["evidence"]["quote"]
    assert page.locator("h1").inner_text() == "<script>window.__pwned=3</script>Talks"
    shot(page, "article-hostile")
    visit(page, base_url, "#/events?actor=NOR")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("#events-table img, #events-table script").count() == 0
    assert "<img src=x" in page.locator("#events-table").inner_text()


def test_timeline_types_and_dyad(page: Any, base_url: str) -> None:
    visit(page, base_url, "#/timeline")
    page.wait_for_selector("#types-chart canvas")
    page.click("#dyad .chip >> nth=0")
    navigated(page, "a=")
    visit(page, base_url, "#/timeline?a=RUS&b=TKM")
    page.wait_for_selector("#dyad-body canvas")
    stats = page.locator("#dyad-body .stat-value").all_text_contents()
    assert stats[:3] == ["4", "3", "1"]
    cards = page.locator("#dyad-body .event-card")
    assert cards.count() == 4
    assert cards.locator("a.evidence-link").count() == 4
    page.wait_for_timeout(300)
    shot(page, "timeline")
    cards.first.locator("a.evidence-link").click()
    navigated(page, "#/article/")
    assert marked_text(page).startswith("Russia rejected")


def test_network_then_dossier(page: Any, base_url: str) -> None:
    visit(page, base_url, "#/network")
    nodes = page.locator("#network g.node")
    assert nodes.count() == 10
    assert page.locator("#network path.edge").count() == 9
    shot(page, "network")
    page.locator("#network g.node", has_text="Russia").first.click(force=True)
    navigated(page, "#/actor/")
    assert page.locator("h1").inner_text() == "Russia"
    # the country's dossier counts its officials too (issue 16): Lavrov's meeting makes 6
    assert page.locator(".stat-value").first.inner_text() == "6"
    assert page.locator("a.evidence-link").count() >= 6
    page.wait_for_timeout(300)
    shot(page, "dossier")


def test_map_clusters_and_time_filter(page: Any, base_url: str) -> None:
    visit(page, base_url, "#/map")
    clusters = page.locator("#map g.cluster")
    assert clusters.count() >= 4
    total = sum(int(t) for t in page.locator("#map .cluster-label").all_text_contents())
    assert total == 10  # every placed event, however they cluster
    shot(page, "map")
    visit(page, base_url, "#/map?since=2022&until=2022")
    labels = page.locator("#map .cluster-label").all_text_contents()
    assert sum(int(t) for t in labels) == 4
    page.locator("#map g.cluster").first.click(force=True)
    side = page.locator("#map-side")
    assert side.locator(".place-list li").count() >= 1
    side.locator("a.evidence-link").first.click()
    navigated(page, "#/events")
    assert page.locator("#events-table tbody tr").count() >= 1


def test_actors_search(page: Any, base_url: str) -> None:
    visit(page, base_url, "#/actors")
    assert page.locator("table.events tbody tr").count() == 10
    page.fill("#actor-search", "turkmen")
    page.press("#actor-search", "Enter")
    navigated(page, "q=turkmen")
    # the demonym names the country and its office holders (Turkmenistan, Rashid Meredov)
    rows = page.locator("table.events tbody tr")
    assert rows.count() == 2 and "Meredov" in rows.all_inner_texts()[1] + rows.all_inner_texts()[0]
    shot(page, "actors")


@pytest.mark.parametrize("route", ["#/events", "#/timeline", "#/network", "#/map",
                                   "#/actors", "#/actor/RUS"])
def test_every_page_says_machine_coded(page: Any, base_url: str, route: str) -> None:
    visit(page, base_url, route)
    notice = page.locator("#machine-coded-notice")
    assert notice.is_visible()
    assert re.search(r"coded automatically", notice.inner_text())


def test_api_docs_page(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/docs")
    page.wait_for_selector("section.endpoint")
    assert page.locator("section.endpoint").count() == 12
    shot(page, "api-docs")
