"""The HTTP API in process (FastAPI TestClient) on a temporary SQLite store filled with
hand-made coded articles (tests/api_samples.py): every endpoint, filters, paging, tokens,
limits and JSON errors. No NLP runs here except in the one end-to-end POST test."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import api_samples
import pytest
from fastapi.testclient import TestClient

from eventwire import config
from eventwire.api.app import create_app
from eventwire.api.openapi import STORED, render, spec

TOKEN = "test-token-123"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
STATIC_JS = Path(__file__).resolve().parents[1] / "eventwire" / "api" / "static" / "js"


def make_cfg(tmp_path: Path, **server: Any) -> config.Config:
    return config.load(overrides={"store": {"url": f"sqlite:///{tmp_path / 'api.db'}"},
                                  "server": {"token": TOKEN, **server}})


@pytest.fixture
def app_factory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.delenv("EVENTWIRE_SERVER_TOKEN", raising=False)
    monkeypatch.delenv("EVENTWIRE_SERVER_READ_TOKEN", raising=False)

    def build(fill: bool = True, raise_errors: bool = True, **server: Any) -> TestClient:
        app = create_app(make_cfg(tmp_path, **server), pipeline_factory=api_samples.HandCoder)
        if fill:
            api_samples.fill(app.state.store)
        return TestClient(app, raise_server_exceptions=raise_errors)
    return build


@pytest.fixture
def client(app_factory) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with app_factory() as c:
        yield c


def ok(response: Any) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["message"] and isinstance(error["hint"], str)
    assert "Traceback" not in response.text
    if code:
        assert error["code"] == code
    return error


# --- events ------------------------------------------------------------------------------


def test_events_are_clusters_with_evidence(client: TestClient) -> None:
    page = ok(client.get("/api/events", params={"total": "true", "limit": 1000}))
    assert page["total"] == len(page["events"]) == 12  # 13 reports, two of one sanction
    assert "Machine-coded" in page["note"] and page["next_cursor"] is None
    sanction = next(e for e in page["events"] if e["type"] == "SANCTION")
    assert sanction["reports"] == 2
    for e in page["events"]:
        assert e["evidence"]["quote"] and e["article"]["id"] == e["article_id"]


def test_raw_lists_every_report(client: TestClient) -> None:
    assert ok(client.get("/api/events", params={"raw": "true", "total": "true"}))["total"] == 13


@pytest.mark.parametrize(("params", "expected"), [
    ({"actor": "RUS"}, 6),
    ({"actor": "lavrov"}, 1),
    ({"recipient": "TKM"}, 5),
    ({"type": "CONSULT"}, 3),
    ({"type": "consult,agree"}, 4),
    ({"actor": "RUS", "type": "CONSULT", "since": "2021-08", "until": "2021-08"}, 2),
    ({"since": "2022"}, 6),
    ({"until": "2021-09-01"}, 4),
    ({"place": "kabul"}, 1),
    ({"country": "TKM"}, 4),
    ({"text": "GAS"}, 2),
    ({"min_confidence": 0.9}, 4),
    ({"mode": "visit"}, 2),
    ({"actor": "RUS", "recipient": "USA"}, 1),
])
def test_event_filters(client: TestClient, params: dict[str, Any], expected: int) -> None:
    page = ok(client.get("/api/events", params={**params, "total": "true"}))
    assert page["total"] == len(page["events"]) == expected


def test_cursor_paging_visits_each_event_once(client: TestClient) -> None:
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 5, "sort": "confidence"}
    while True:
        page = ok(client.get("/api/events", params=params))
        seen += [e["id"] for e in page["events"]]
        if not page["next_cursor"]:
            break
        params["cursor"] = page["next_cursor"]
    assert len(seen) == len(set(seen)) == 12


@pytest.mark.parametrize("sort", ["date", "-date", "confidence", "-confidence", "intensity",
                                  "-intensity", "id", "-id"])
def test_sorts(client: TestClient, sort: str) -> None:
    events = ok(client.get("/api/events", params={"sort": sort, "limit": 100}))["events"]
    field = {"date": "date_value"}.get(sort.lstrip("-"), sort.lstrip("-"))
    values = [e[field] for e in events]
    assert values == sorted(values, reverse=sort.startswith("-"))


def test_event_detail_lists_other_reports(client: TestClient) -> None:
    events = ok(client.get("/api/events", params={"type": "SANCTION"}))["events"]
    assert len(events) == 1 and events[0]["reports"] == 2
    detail = ok(client.get(f"/api/events/{events[0]['id']}"))
    assert detail["evidence"]["quote"].startswith(("The United States imposed",
                                                   "Washington has put"))
    titles = [detail["article"]["title"]] + [r["title"] for r in detail["other_reports"]]
    assert sorted(titles) == ["Moscow condemns US sanctions",
                              "Washington announces new sanctions"]
    assert_error(client.get("/api/events/e000"), 404, "E402")


# --- articles ----------------------------------------------------------------------------


def test_article_has_text_events_and_highlights(client: TestClient) -> None:
    event = ok(client.get("/api/events", params={"actor": "lavrov"}))["events"][0]
    article = ok(client.get(f"/api/articles/{event['article_id']}"))
    text = article["text"]
    assert len(article["events"]) == 3
    kinds = {s["kind"] for s in article["spans"]}
    assert kinds == {"event", "actor", "place", "date"}
    for span in article["spans"]:
        assert text[span["start"]:span["end"]] == span["text"]
    mine = [s for s in article["spans"] if s["event_id"] == event["id"]]
    assert len(mine) == 1 and mine[0]["text"] == event["evidence"]["quote"]
    assert mine[0]["fields"]["type"] == "CONSULT"
    lavrov = next(s for s in article["spans"] if s["text"] == "Sergei Lavrov")
    assert lavrov["fields"]["office"] == "Foreign Minister"
    tuesday = next(s for s in article["spans"] if s["kind"] == "date")
    assert (tuesday["text"], tuesday["fields"]["value"]) == ("Tuesday", "2021-08-10")
    place = next(s for s in article["spans"] if s["kind"] == "place")
    assert place["fields"]["geonames_id"] == 162183
    assert_error(client.get("/api/articles/a-missing"), 404, "E402")


# --- actors ------------------------------------------------------------------------------


def test_actor_search_and_paging(client: TestClient) -> None:
    found = ok(client.get("/api/actors", params={"q": "turkmen"}))["actors"]
    # "Turkmen" is the demonym: every actor coded with the country (issue 16, item 1)
    assert [a["name"] for a in found] == ["Turkmenistan", "Rashid Meredov"]
    first = ok(client.get("/api/actors", params={"limit": 3}))
    assert first["actors"][0]["name"] == "Russia" and first["next_offset"] == 3
    rest = ok(client.get("/api/actors", params={"limit": 1000, "offset": 3}))
    assert rest["next_offset"] is None
    assert len(first["actors"]) + len(rest["actors"]) == 10


def test_actor_dossier(client: TestClient) -> None:
    russia = ok(client.get("/api/actors/RUS"))
    assert russia["actor"]["name"] == "Russia"
    # a country's dossier counts its office holders too (Lavrov's CONSULT; issue 16)
    assert russia["as_actor"]["events"] == 6 and russia["as_recipient"]["events"] == 1
    assert {t["type"] for t in russia["as_actor"]["by_type"]} == {"CONSULT", "AGREE", "AID",
                                                                 "REJECT"}
    tkm = next(c for c in russia["counterparts"] if c["name"] == "Turkmenistan")
    assert (tkm["direction"], tkm["events"], tkm["cooperation"], tkm["conflict"]) == (
        "to", 3, 2, 1)
    assert [p["period"] for p in russia["activity"]][:1] == ["2021-08"]
    key = ok(client.get("/api/actors", params={"q": "lavrov"}))["actors"][0]["key"]
    lavrov = ok(client.get(f"/api/actors/{key}"))
    assert lavrov["offices"][0]["office"] == "Foreign Minister"
    assert lavrov["offices"][0]["first_date"] == "2021-08-10"
    assert lavrov["as_actor"]["recent"][0]["evidence"]["quote"].startswith("Foreign Minister")
    assert_error(client.get("/api/actors/rnothing"), 404, "E402")


# --- aggregates --------------------------------------------------------------------------


def test_dyad_over_time(client: TestClient) -> None:
    d = ok(client.get("/api/dyads", params={"a": "RUS", "b": "TKM"}))
    assert d["totals"] == {"events": 4, "cooperation": 3, "conflict": 1,
                           "mean_intensity": 2.12}
    assert [(s["period"], s["a_to_b"], s["b_to_a"]) for s in d["series"]] == [
        ("2021-08", 3, 0), ("2022-06", 1, 0)]
    assert d["series"][1]["mean_intensity"] == -2.0
    assert len(d["events"]) == 4 and d["events"][0]["type"] == "REJECT"
    reverse = ok(client.get("/api/dyads", params={"a": "TKM", "b": "RUS"}))
    assert reverse["totals"] == d["totals"]
    weekly = ok(client.get("/api/dyads", params={"a": "RUS", "b": "TKM", "interval": "week"}))
    assert [s["period"] for s in weekly["series"]] == ["2021-08-09", "2022-06-06"]
    assert_error(client.get("/api/dyads", params={"a": "RUS"}), 422, "E401")


def test_stats(client: TestClient) -> None:
    s = ok(client.get("/api/stats"))
    assert s["total"] == 12 == sum(t["count"] for t in s["by_type"])
    assert s["by_type"][0] == {"type": "CONSULT", "count": 3}
    assert sum(p["count"] for p in s["by_period"]) == 12
    assert {"country": "TKM", "count": 4} in s["by_country"]
    assert (s["first_date"], s["last_date"]) == ("2021-08-10", "2023-05-01")
    years = ok(client.get("/api/stats", params={"interval": "year", "type": "REJECT"}))
    assert [(p["period"], p["count"]) for p in years["by_period"]] == [("2022", 2)]


def test_network_and_places(client: TestClient) -> None:
    net = ok(client.get("/api/network"))
    names = {n["key"]: n["name"] for n in net["nodes"]}
    edges = {(names[e["source"]], names[e["target"]]): e for e in net["edges"]}
    assert edges[("Russia", "Turkmenistan")]["events"] == 3
    assert edges[("United States", "Russia")]["mean_intensity"] == -6.0
    assert len(ok(client.get("/api/network", params={"min_events": 2}))["edges"]) == 2
    places = ok(client.get("/api/places", params={"since": "2022"}))
    assert {p["name"] for p in places["places"]} == {"Washington", "Moscow", "Islamabad",
                                                      "Oslo"}
    assert places["events_without_place"] == 1


def test_meta(client: TestClient) -> None:
    m = ok(client.get("/api/meta"))
    assert len(m["types"]) == 16 and m["counts"]["events"] == 13
    assert m["writes_enabled"] is True and m["reads_need_token"] is False


# --- writing -----------------------------------------------------------------------------

TALKS = {"title": "Talks", "text": "Norway hosted talks with Chile. Both sides were pleased.",
         "published": "2024-01-03", "source": "wire", "url": "https://example.org/t"}


def test_post_codes_and_stores_one_article(client: TestClient) -> None:
    r = ok(client.post("/api/articles", json=TALKS, headers=AUTH))
    assert (r["stored"], r["duplicates"], r["failed"], r["events"]) == (1, 0, 0, 1)
    aid = r["articles"][0]["id"]
    article = ok(client.get(f"/api/articles/{aid}"))
    assert article["events"][0]["evidence"]["quote"] == "Norway hosted talks with Chile."
    assert article["url"] == TALKS["url"] and article["origin"] == "api"
    again = ok(client.post("/api/articles", json=TALKS, headers=AUTH))
    assert again["articles"] == [{"id": aid, "status": "duplicate", "events": 0,
                                  "reason": None}]


def test_post_batch_reports_each_article(client: TestClient) -> None:
    batch = [TALKS, {"text": "Nothing of note happened."}, TALKS,
             {"text": "This one will BREAK the coder."}]
    r = ok(client.post("/api/articles", json=batch, headers=AUTH))
    assert [a["status"] for a in r["articles"]] == ["stored", "stored", "duplicate", "failed"]
    assert "stage events failed" in r["articles"][3]["reason"]
    assert (r["stored"], r["duplicates"], r["failed"], r["events"]) == (2, 1, 1, 1)


def test_delete_removes_article_and_events(client: TestClient) -> None:
    event = ok(client.get("/api/events", params={"type": "AID"}))["events"][0]
    assert ok(client.delete(f"/api/articles/{event['article_id']}", headers=AUTH)) == {
        "deleted": event["article_id"]}
    assert_error(client.get(f"/api/articles/{event['article_id']}"), 404)
    assert_error(client.get(f"/api/events/{event['id']}"), 404)
    assert_error(client.delete(f"/api/articles/{event['article_id']}", headers=AUTH), 404,
                 "E402")


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"},
                                     {"Authorization": f"Basic {TOKEN}"},
                                     {"Authorization": "Bearer"}])
def test_writes_need_the_token(client: TestClient, headers: dict[str, str]) -> None:
    for response in (client.post("/api/articles", json=TALKS, headers=headers),
                     client.delete("/api/articles/anything", headers=headers)):
        assert_error(response, 401, "E406")
        assert response.headers["www-authenticate"] == "Bearer"
    assert ok(client.get("/api/meta"))["counts"]["articles"] == 8


def test_writes_refused_without_a_configured_token(app_factory) -> None:  # type: ignore[no-untyped-def]
    with app_factory(token="") as c:
        error = assert_error(c.post("/api/articles", json=TALKS, headers=AUTH), 403, "E403")
        assert "EVENTWIRE_SERVER_TOKEN" in error["hint"]
        assert ok(c.get("/api/meta"))["writes_enabled"] is False


def test_token_from_environment(app_factory, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("EVENTWIRE_SERVER_TOKEN", "from-env")
    with app_factory(token="") as c:
        headers = {"Authorization": "Bearer from-env"}
        assert ok(c.post("/api/articles", json=TALKS, headers=headers))["stored"] == 1


def test_read_token_closes_reads(app_factory) -> None:  # type: ignore[no-untyped-def]
    with app_factory(read_token="reader") as c:
        assert_error(c.get("/api/events"), 401, "E406")
        assert_error(c.get("/api/meta", headers={"Authorization": "Bearer nope"}), 401)
        assert ok(c.get("/api/events", headers={"Authorization": "Bearer reader"}))
        assert ok(c.get("/api/events", headers=AUTH))
        assert c.get("/").status_code == 200  # the UI shell asks for the token itself


@pytest.mark.parametrize(("body", "problem"), [
    ({"title": "x"}, "text"),
    ({"text": ""}, "text"),
    ({"text": "   "}, "empty"),
    ({"text": "ok", "published": "yesterday"}, "published"),
    ({"text": "ok", "colour": "red"}, "colour"),
    ([], "empty"),
    ("just a string", "body"),
])
def test_post_validation(client: TestClient, body: Any, problem: str) -> None:
    error = assert_error(client.post("/api/articles", json=body, headers=AUTH), 422)
    assert problem in (error["message"] + json.dumps(error.get("details"))).lower()


def test_post_invalid_json(client: TestClient) -> None:
    r = client.post("/api/articles", content=b'{"text": "unfinished',
                    headers={**AUTH, "Content-Type": "application/json"})
    assert_error(r, 422, "E401")


def test_batch_limit(app_factory) -> None:  # type: ignore[no-untyped-def]
    with app_factory(max_batch=2) as c:
        r = c.post("/api/articles", json=[{"text": f"Story {i}."} for i in range(3)],
                   headers=AUTH)
        assert_error(r, 413, "E408")


def test_body_limit_by_header_and_by_stream(app_factory) -> None:  # type: ignore[no-untyped-def]
    with app_factory(max_body_bytes=1000) as c:
        big = {"text": "x" * 2000}
        assert_error(c.post("/api/articles", json=big, headers=AUTH), 413, "E407")

        def chunks() -> Iterator[bytes]:
            yield b'{"text": "'
            for _ in range(20):
                yield b"y" * 100
            yield b'"}'
        streamed = c.post("/api/articles", content=chunks(),
                          headers={**AUTH, "Content-Type": "application/json"})
        assert_error(streamed, 413, "E407")
        assert ok(c.post("/api/articles", json={"text": "Short."}, headers=AUTH))["stored"] == 1


def test_article_size_limit(tmp_path: Path) -> None:
    cfg = make_cfg(tmp_path)
    cfg["limits"]["max_article_chars"] = 10
    with TestClient(create_app(cfg, pipeline_factory=api_samples.HandCoder)) as c:
        assert_error(c.post("/api/articles", json={"text": "x" * 11}, headers=AUTH), 422,
                     "E410")


# --- parameters and errors ---------------------------------------------------------------


@pytest.mark.parametrize(("path", "params"), [
    ("/api/events", {"since": "2021-13"}),
    ("/api/events", {"since": "21-01-01"}),
    ("/api/events", {"until": "2021-02-30"}),
    ("/api/events", {"since": "2022", "until": "2021"}),
    ("/api/events", {"limit": 0}),
    ("/api/events", {"limit": 1001}),
    ("/api/events", {"limit": "ten"}),
    ("/api/events", {"min_confidence": -0.1}),
    ("/api/events", {"min_confidence": 150}),
    ("/api/events", {"min_confidence": "nan"}),
    ("/api/events", {"sort": "name"}),
    ("/api/events", {"type": "DANCE"}),
    ("/api/events", {"cursor": "not-a-cursor"}),
    ("/api/events", {"country": "RUSS"}),
    ("/api/events", {"raw": "maybe"}),
    ("/api/events", {"actor": "x" * 201}),
    ("/api/actors", {"offset": -1}),
    ("/api/actors", {"limit": 5000}),
    ("/api/stats", {"interval": "day"}),
    ("/api/dyads", {"a": "RUS", "b": "TKM", "interval": "decade"}),
    ("/api/dyads", {"a": " ", "b": "TKM"}),
    ("/api/network", {"max_edges": 0}),
    ("/api/places", {"limit": 0}),
])
def test_bad_parameters_are_422(client: TestClient, path: str, params: dict[str, Any]) -> None:
    error = assert_error(client.get(path, params=params), 422, "E401")
    assert error["hint"]


def test_unknown_paths_and_methods_are_json(client: TestClient) -> None:
    assert_error(client.get("/api/nothing"), 404, "E404")
    assert_error(client.put("/api/events"), 405, "E405")
    assert_error(client.get("/static/missing.js"), 404)


def test_unexpected_errors_are_a_generic_500(app_factory, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
                                             ) -> None:
    from eventwire import query

    def broken(*_a: Any, **_k: Any) -> None:
        raise RuntimeError("secret internals")
    monkeypatch.setattr(query, "events", broken)
    r = app_factory(raise_errors=False).get("/api/events")
    assert_error(r, 500, "E499")
    assert "secret" not in r.text


def test_security_headers(client: TestClient) -> None:
    for path in ("/", "/api/meta", "/api/nothing"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"


# --- spec and UI files -------------------------------------------------------------------


def test_openapi_served_equals_stored(client: TestClient) -> None:
    served = ok(client.get("/openapi.json"))
    assert served == spec()
    assert STORED.read_text("utf-8") == render(served), (
        "docs/openapi.json is stale: run python -m eventwire.api.openapi")


def test_ui_shell_and_vendored_files_are_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "Machine-coded data" in page.text
    assert client.get("/docs").status_code == 200
    for path in ("/static/js/main.js", "/static/css/app.css",
                 "/static/vendor/d3@7.9.0/d3.min.js",
                 "/static/vendor/world-atlas@2.0.2/countries-50m.json"):
        assert client.get(path).status_code == 200, path


def test_ui_code_never_writes_html() -> None:
    for path in STATIC_JS.glob("*.js"):
        code = path.read_text("utf-8")
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
                     "eval(", "new Function"):
            assert sink not in code.replace("never innerHTML", "").replace(
                "Nothing in the UI assigns innerHTML, outerHTML or insertAdjacentHTML", ""), (
                f"{path.name} uses {sink}")


# --- the real pipeline -------------------------------------------------------------------


def test_post_with_the_real_pipeline(tmp_path: Path, resources, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from eventwire.pipeline import Pipeline

    monkeypatch.delenv("EVENTWIRE_SERVER_TOKEN", raising=False)
    app = create_app(make_cfg(tmp_path), pipeline_factory=lambda: Pipeline(resources))
    text = ("Russian Foreign Minister Sergei Lavrov met Turkmen Foreign Minister Rashid "
            "Meredov in Moscow on Tuesday. They discussed gas supplies.")
    with TestClient(app) as c:
        r = ok(c.post("/api/articles", json={"text": text, "published": "2021-08-11"},
                      headers=AUTH))
        assert r["stored"] == 1
        article = ok(c.get(f"/api/articles/{r['articles'][0]['id']}"))
        assert article["text"] == text and len(article["events"]) == r["events"]
        for span in article["spans"]:
            assert text[span["start"]:span["end"]] == span["text"]


# --- both backends -----------------------------------------------------------------------


def test_read_endpoints_on_each_backend(store_url: str, monkeypatch: pytest.MonkeyPatch
                                        ) -> None:
    """The same answers on SQLite and PostgreSQL (grouping by periods, EXISTS inside
    aggregates, weeks): PostgreSQL runs in CI from EVENTWIRE_TEST_PG_URL."""
    monkeypatch.delenv("EVENTWIRE_SERVER_TOKEN", raising=False)
    cfg = config.load(overrides={"store": {"url": store_url}, "server": {"token": TOKEN}})
    app = create_app(cfg, pipeline_factory=api_samples.HandCoder)
    api_samples.fill(app.state.store)
    with TestClient(app) as c:
        assert ok(c.get("/api/events", params={"total": "true"}))["total"] == 12
        assert ok(c.get("/api/events", params={"actor": "RUS", "type": "CONSULT",
                                               "since": "2021-08", "until": "2021-08",
                                               "total": "true"}))["total"] == 2
        for interval, first in (("week", "2021-08-09"), ("month", "2021-08"),
                                ("year", "2021")):
            s = ok(c.get("/api/stats", params={"interval": interval}))
            assert s["by_period"][0]["period"] == first and s["total"] == 12
            d = ok(c.get("/api/dyads", params={"a": "RUS", "b": "TKM", "interval": interval}))
            assert d["totals"]["events"] == 4 and d["series"][0]["period"] == first
        dossier = ok(c.get("/api/actors/RUS"))
        assert dossier["as_actor"]["events"] == 6 and dossier["activity"][0]["period"] == "2021-08"
        assert len(ok(c.get("/api/network"))["edges"]) == 9
        assert len(ok(c.get("/api/places"))["places"]) == 7
        assert ok(c.get("/api/actors", params={"q": "rus"}))["actors"][0]["name"] == "Russia"
        assert ok(c.post("/api/articles", json=TALKS, headers=AUTH))["stored"] == 1
        aid = ok(c.get("/api/events", params={"actor": "NOR", "limit": 1}))["events"][0]
        assert ok(c.get(f"/api/articles/{aid['article_id']}"))["spans"]
    app.state.store.close()
