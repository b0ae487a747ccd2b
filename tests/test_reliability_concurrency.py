"""Concurrency through the real CLI, on one SQLite file (WAL):

* two ``eventwire ingest`` processes of the same slice start at once on a new store: both
  open (and migrate) it safely, serialise their writes on the store's write lock, and end
  with exactly what one clean run stores (``eventwire check`` passes);
* meanwhile ``eventwire serve`` on a free localhost port keeps answering GET /api/events
  and /api/stats with 200 and valid JSON, and what it reports only grows;
* and, cheaply, several processes opening one new store at the same instant all succeed
  (they used to fail with "table meta already exists").
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from subprocess import Popen
from typing import Any

import pytest

pytest.register_assert_rewrite("corpus_fixtures")
from corpus_fixtures import (  # noqa: E402
    CleanRun,
    check_store,
    count,
    difference,
    finish,
    kill,
    snapshot,
    start,
)

pytest_plugins = ["corpus_fixtures"]

READ_EVERY = 0.2
REQUEST_TIMEOUT = 30
# modality=all: every stored event, not only the default "happened" view
READS = ("/api/events?raw=true&total=true&limit=20&modality=all", "/api/stats?modality=all")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> tuple[int, Any, float]:
    """(status, parsed JSON body, seconds); a body that is not JSON fails the test."""
    began = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    return status, json.loads(raw), time.perf_counter() - began


def wait_until_serving(server: Popen[bytes], base: str, log: Path, limit: float = 180) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        assert server.poll() is None, f"eventwire serve exited:\n{log.read_text()}"
        try:
            if get(base + "/api/stats")[0] == 200:
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.3)
    raise AssertionError(f"eventwire serve did not answer in {limit}s:\n{log.read_text()}")


@dataclass
class Reads:
    """What the server answered while the ingests wrote."""

    count: int = 0
    totals: list[int] = field(default_factory=list)
    slowest: float = 0.0
    bad: list[str] = field(default_factory=list)

    def read(self, base: str) -> None:
        for path in READS:
            try:
                status, body, seconds = get(base + path)
            except (OSError, ValueError) as exc:
                self.bad.append(f"{path}: {type(exc).__name__}: {exc}")
                continue
            self.count += 1
            self.slowest = max(self.slowest, seconds)
            if status != 200:
                self.bad.append(f"{path}: {status} {body}")
            elif path.startswith("/api/events"):
                assert isinstance(body["events"], list)
                self.totals.append(int(body["total"]))
            else:
                assert isinstance(body["total"], int) and isinstance(body["by_type"], list)


def test_two_ingests_and_a_server_on_one_store(clean_run: CleanRun, corpus_slice: Path,
                                               tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    args = ["ingest", str(corpus_slice), "--db", str(db)]
    began = time.perf_counter()
    ingests = [(start(args, tmp_path / f"ingest{i}.log"), tmp_path / f"ingest{i}.log")
               for i in range(2)]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server_log = tmp_path / "serve.log"
    server = start(["serve", "--db", db, "--host", "127.0.0.1", "--port", str(port)],
                   server_log)
    reads = Reads()
    try:
        wait_until_serving(server, base, server_log)
        while any(p.poll() is None for p, _ in ingests):
            reads.read(base)
            time.sleep(READ_EVERY)
        reads.read(base)
        assert server.poll() is None, server_log.read_text()
    finally:
        kill(server)
        for proc, _ in ingests:
            if proc.poll() is None:
                kill(proc)
    runs = [finish(proc, log, args, began) for proc, log in ingests]

    assert not reads.bad, reads.bad[:5]
    assert reads.totals == sorted(reads.totals), "what the server reports never shrinks"
    assert reads.totals[-1] == clean_run.events
    assert any(0 < t < clean_run.events for t in reads.totals), "reads saw the writes happen"
    for run in runs:
        assert run.rc == clean_run.run.rc, run.explain()
    assert sum(r.summary()["new"] for r in runs) == clean_run.articles

    check_store(db)
    after, clean = snapshot(db), clean_run.snapshot
    assert after.keys() == clean.keys()
    for table in sorted(after.keys() - {"failures"}):
        assert after[table] == clean[table], difference(table, clean[table], after[table])
    # each run logs the failures it met (rows carry its run id): the same ones as a clean run
    assert set(after["failures"][1]) == set(clean["failures"][1])
    print(f"\n{reads.count} reads, slowest {reads.slowest:.2f}s; ingests: "
          + "; ".join(f"new {r.summary()['new']} duplicate {r.summary()['duplicate']}"
                      for r in runs))


#: Opens (creating and migrating) the store argv[1] as soon as the file argv[2] exists.
OPEN_AT_ONCE = """
import sys, time
from pathlib import Path
from eventwire.store import Store
Path(sys.argv[3]).touch()
while not Path(sys.argv[2]).exists():
    time.sleep(0.001)
Store.open(sys.argv[1]).start_run("race")
"""


@pytest.mark.parametrize("round_", range(3))
def test_processes_opening_a_new_store_at_once(tmp_path: Path, round_: int) -> None:
    db, go = tmp_path / "new.db", tmp_path / "go"
    ready = [tmp_path / f"ready{i}" for i in range(8)]
    procs = [subprocess.Popen([sys.executable, "-c", OPEN_AT_ONCE, str(db), str(go), str(r)],
                              stderr=subprocess.PIPE) for r in ready]
    deadline = time.monotonic() + 120
    while not all(r.exists() for r in ready) and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()
    errors = [p.communicate(timeout=120)[1].decode()[-300:] for p in procs]
    assert [p.returncode for p in procs] == [0] * 8, errors
    assert count(db, "runs") == 8
