"""Hostile requests against a real server (uvicorn on localhost, raw HTTP where it matters):
tokens compared in constant time, body and batch limits by header and by stream, odd
bodies and parameters answered with a JSON 4xx (never a 5xx or a stack trace), SQL
injection attempts inert, static files confined, and reads served while writes happen."""

from __future__ import annotations

import hmac
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import api_samples
import httpx
import pytest

from eventwire import config
from eventwire.api.app import create_app

TOKEN = "hardening-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
LIMIT = 20_000
API = Path(__file__).resolve().parents[1] / "eventwire" / "api"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("hard") / "hard.db"
    cfg = config.load(overrides={"store": {"url": f"sqlite:///{db}"},
                                 "server": {"token": TOKEN, "max_body_bytes": LIMIT,
                                            "max_batch": 3}})
    app = create_app(cfg, pipeline_factory=api_samples.HandCoder)
    api_samples.fill(app.state.store)
    with api_samples.serving(app) as url:
        yield url


@pytest.fixture
def http(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=30) as c:
        yield c


def raw(server: str, request: bytes) -> tuple[int, bytes]:
    """Sends bytes as they are; returns the status and the body."""
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def json_error(status: int, body: bytes, expected: int) -> dict[str, Any]:
    assert status == expected, body[:300]
    assert b"Traceback" not in body
    error: dict[str, Any] = json.loads(body)["error"]
    assert error["code"].startswith("E") and error["message"]
    return error


def post_head(length: str, extra: str = "") -> bytes:
    return (f"POST /api/articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {length}\r\n{extra}"
            "Connection: close\r\n\r\n").encode()


# --- tokens ------------------------------------------------------------------------------


def test_tokens_are_compared_in_constant_time(http: httpx.Client,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return real(a, b)
    monkeypatch.setattr(hmac, "compare_digest", spy)
    r = http.delete("/api/articles/nothing", headers={"Authorization": "Bearer guess"})
    assert r.status_code == 401
    assert (b"guess", TOKEN.encode()) in calls
    source = (API / "security.py").read_text("utf-8")
    assert "compare_digest" in source and "== tokens" not in source


def test_token_prefix_or_padding_is_refused(http: httpx.Client) -> None:
    for wrong in (TOKEN[:-1], TOKEN + "x", TOKEN.upper(), f"{TOKEN},{TOKEN}", "*"):
        r = http.post("/api/articles", json={"text": "Hi."},
                      headers={"Authorization": f"Bearer {wrong}"})
        assert r.status_code == 401, wrong


# --- body and batch limits ---------------------------------------------------------------


def test_declared_length_over_the_limit_is_refused_before_reading(server: str) -> None:
    status, body = raw(server, post_head(str(LIMIT * 100)))  # no body sent at all
    assert json_error(status, body, 413)["code"] == "E407"


def test_streamed_body_over_the_limit_is_refused(server: str) -> None:
    chunks = b"".join(b"%x\r\n%s\r\n" % (4000, b"a" * 4000) for _ in range(10)) + b"0\r\n\r\n"
    request = (f"POST /api/articles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
               "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
               "Connection: close\r\n\r\n").encode() + chunks
    status, body = raw(server, request)
    assert json_error(status, body, 413)["code"] == "E407"


def test_lying_content_length_is_refused(server: str) -> None:
    status, _ = raw(server, post_head("abc") + b"{}")
    assert status == 400


def test_batch_limit(http: httpx.Client) -> None:
    r = http.post("/api/articles", json=[{"text": f"Story {i}."} for i in range(4)],
                  headers=AUTH)
    assert json_error(r.status_code, r.content, 413)["code"] == "E408"


@pytest.mark.parametrize("body", [
    b"[" * 5000 + b"]" * 5000,                      # deep nesting
    b'{"text": "a", "text": 5}',                     # duplicate key, wrong type
    b'{"text": "\\ud800 lone surrogate"}',           # invalid Unicode escape
    b"\xff\xfe\x00garbage",                          # not UTF-8
    b'{"text": ' + b'"x", ' * 10 + b"}",             # broken JSON
    b"null", b"123", b'"text"', b"{}", b"[{}]",
    b'{"text": ["a list"]}', b'{"text": {"$gt": ""}}',
])
def test_odd_bodies_get_a_json_4xx(http: httpx.Client, body: bytes) -> None:
    r = http.post("/api/articles", content=body,
                  headers={**AUTH, "Content-Type": "application/json"})
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])
    json_error(r.status_code, r.content, r.status_code)


def test_wrong_content_type_is_a_4xx(http: httpx.Client) -> None:
    r = http.post("/api/articles", content=b"text=hello",
                  headers={**AUTH, "Content-Type": "application/x-www-form-urlencoded"})
    assert 400 <= r.status_code < 500


# --- parameters, injection, paths ----------------------------------------------------------

INJECTIONS = ["' OR 1=1 --", "RUS'; DROP TABLE events; --", "%", "_", "\\", "%%", "[a-z]",
              "RUS\" OR \"\"=\"", "𝕽𝖀𝕾", "a" * 200, "') UNION SELECT * FROM actors --"]


@pytest.mark.parametrize("value", INJECTIONS)
def test_sql_injection_is_inert(http: httpx.Client, value: str) -> None:
    before = http.get("/api/meta").json()["counts"]
    quotes = [e["evidence"]["quote"].lower()
              for e in http.get("/api/events", params={"limit": 1000}).json()["events"]]
    literal = sum(value.lower() in q for q in quotes)  # LIKE wildcards must match literally
    for name in ("place", "text", "mode"):
        r = http.get("/api/events", params={name: value, "total": "true"})
        assert r.status_code == 200, (name, r.text[:200])
        assert r.json()["total"] == (literal if name == "text" else 0), (name, value)
    for name in ("actor", "recipient", "modality"):  # no such actor or modality: 422 (issue 16)
        r = http.get("/api/events", params={name: value, "total": "true"})
        assert r.status_code == 422 and r.json()["error"]["code"] == "E401", (name, r.text)
    for path, params in (("/api/actors", {"q": value}), ("/api/network", {"text": value}),
                         ("/api/places", {"place": value})):
        assert http.get(path, params=params).status_code == 200, path
    for path, params in (("/api/dyads", {"a": value, "b": "RUS"}),
                         ("/api/stats", {"actor": value})):
        assert http.get(path, params=params).status_code == 422, path
    assert http.get(f"/api/actors/{value[:60]}").status_code in (404, 422)
    assert http.get("/api/meta").json()["counts"] == before


@pytest.mark.parametrize("url", ["/api/events?actor=%00", "/api/events?text=a%00b",
                                 "/api/actors?q=%1b%5b31m", "/api/events/e%00",
                                 "/api/articles/a%00%00", "/api/dyads?a=RUS&b=%7f"])
def test_control_characters_in_urls_are_422(server: str, url: str) -> None:
    status, body = raw(server, f"GET {url} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                       .encode())
    assert json_error(status, body, 422)["code"] == "E401"


def test_nul_in_posted_articles_is_422(http: httpx.Client) -> None:
    r = http.post("/api/articles", json={"text": "Norway\u0000 hosted talks."}, headers=AUTH)
    assert json_error(r.status_code, r.content, 422)["code"] == "E409"


def test_no_sql_is_built_from_strings() -> None:
    for path in [*API.glob("*.py"), API.parent / "query_views.py"]:
        code = path.read_text("utf-8")
        assert "text(" not in code.replace("inner_text(", "").replace("read_text(", "")\
            .replace("write_text(", "").replace("_text(", ""), path.name
        assert ".execute(f" not in code and "exec_driver_sql" not in code, path.name


@pytest.mark.parametrize("path", ["/static/../app.py", "/static/%2e%2e/app.py",
                                  "/static/..%2fapp.py", "/static//etc/passwd",
                                  "/static/vendor/../../app.py", "/%2e%2e/%2e%2e/etc/passwd"])
def test_static_files_stay_inside_the_folder(server: str, path: str) -> None:
    status, body = raw(server, f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                       .encode())
    assert status in (400, 404), (status, body[:200])
    assert b"create_app" not in body and b"root:" not in body


def test_huge_query_strings_and_headers(http: httpx.Client) -> None:
    r = http.get("/api/events", params={"actor": "x" * 50_000})
    assert r.status_code in (414, 422, 431), r.status_code
    r = http.get("/api/events", params=[("type", "CONSULT")] * 500)
    assert r.status_code == 200


# --- concurrency ---------------------------------------------------------------------------


def test_reads_keep_answering_while_writes_happen(server: str) -> None:
    errors: list[str] = []

    def writer(n: int) -> None:
        with httpx.Client(base_url=server, timeout=60) as c:
            for i in range(5):
                text = f"Norway hosted talks with Chile, round {n}-{i}. More talks later."
                r = c.post("/api/articles", json={"text": text}, headers=AUTH)
                if r.status_code != 200:
                    errors.append(f"write {r.status_code} {r.text[:200]}")

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    with httpx.Client(base_url=server, timeout=60) as c:
        while any(t.is_alive() for t in threads):
            r = c.get("/api/events", params={"limit": 5})
            if r.status_code != 200:
                errors.append(f"read {r.status_code}")
    for t in threads:
        t.join()
    assert not errors, errors
    with httpx.Client(base_url=server, timeout=60) as c:
        found = c.get("/api/events", params={"text": "round", "raw": "true",
                                              "total": "true"}).json()
    assert found["total"] == 15
