"""Events gained and lost per PLOVER type between two eventwire code trees over a corpus.

usage: python eval/corpus_diff.py --base TREE --out DIR [--head TREE] [--corpus FILE ...]
                                  [--limit N] [--workers 2] [--draw 50]
       python eval/corpus_diff.py --base-db BASE.db --head-db HEAD.db --out DIR

Each tree codes the corpus in its own subprocess (the ``eventwire ingest`` command of that tree,
run with PYTHONPATH and the working directory set to it, which it checks) into a fresh SQLite
store, DIR/base.db and DIR/head.db (replaced if present); with --base-db/--head-db two existing
stores are compared without coding. A tree of an older commit is a git worktree, for example
``git worktree add /tmp/parent e3a4640``. The default corpus is every file of ../shared/corpora
(relative to the repository root); --limit N codes a sample of N records of each file, drawn with
random.Random(0) and written under DIR/sample/ (for testing).

Stores are read with plain read-only SQL on the columns both schemas have, so a store of an
older eventwire is never migrated. An event's strict key is (article id, evidence start and end,
type, sorted actor codes, sorted recipient codes); its loose key is (article id, evidence
sentence, type). Gained and lost events are counted per type on both keys, and a head event is
"new" when its loose key is not in the base store.

Writes DIR/diff.json and DIR/diff.md (the table, also printed), and DIR/new_events.md and
.jsonl: --draw new events (default 50) drawn by random.Random(0).sample from the new events in a
fixed order, each with its evidence sentence and empty grade/why lines for grading by hand.
The same inputs give the same files.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEED = 0
GRADES = "right / partly right / wrong"
# Runs the tree's CLI after checking that eventwire is imported from that tree.
BOOT = ("import sys, eventwire; from pathlib import Path; "
        "tree = Path(sys.argv.pop(1)).resolve(); "
        "assert tree in Path(eventwire.__file__).resolve().parents, eventwire.__file__; "
        "from eventwire.cli import app; sys.argv[0] = 'eventwire'; app()")


@dataclass(frozen=True)
class Event:
    """An event read back from a store, with what the strict and loose keys and grading need."""

    id: str
    corpus: str
    article_id: str
    source_id: str | None
    sentence: int
    start: int
    end: int
    type: str
    mode: str | None
    modality: str
    quote: str
    trigger: str | None
    actor_codes: tuple[str, ...]
    recipient_codes: tuple[str, ...]
    actors: list[str] = field(default_factory=list, compare=False)
    recipients: list[str] = field(default_factory=list, compare=False)


def strict_key(e: Event) -> tuple[Any, ...]:
    return (e.article_id, e.start, e.end, e.type, e.actor_codes, e.recipient_codes)


def loose_key(e: Event) -> tuple[Any, ...]:
    return (e.article_id, e.sentence, e.type)


def order_key(e: Event) -> tuple[Any, ...]:
    return (e.corpus, e.article_id, e.start, e.end, e.type, e.id)


def sample_corpus(paths: Sequence[Path], limit: int, folder: Path) -> list[Path]:
    """N seeded records of each file, in file order, written to ``folder`` under the same name."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for path in paths:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        keep = sorted(random.Random(SEED).sample(range(len(lines)), min(limit, len(lines))))
        target = folder / path.name
        target.write_text("".join(lines[i] + "\n" for i in keep), encoding="utf-8")
        out.append(target)
    return out


def code(tree: Path, paths: Sequence[Path], db: Path, workers: int) -> float:
    """Codes ``paths`` with the eventwire of ``tree`` into a fresh store ``db``; seconds taken."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(tree)}
    cmd = [sys.executable, "-c", BOOT, str(tree), "ingest", *map(str, paths),
           "--db", str(db), "--workers", str(workers)]
    started = time.perf_counter()
    subprocess.run(cmd, cwd=tree, env=env, check=True)
    return time.perf_counter() - started


def connect(db: Path) -> sqlite3.Connection:
    if not db.is_file():
        sys.exit(f"no store at {db}; code a corpus first or check --base-db/--head-db")
    conn = sqlite3.connect(db.resolve().as_uri() + "?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


People = dict[tuple[str, str], list[tuple[str, str]]]


def participants(conn: sqlite3.Connection) -> People:
    """(event id, role) -> [(shown, code)] in stored order; shown is "name (code)",
    "name (no code)" or "unknown" (an agent the text does not name), code is "" when none."""
    columns = {row["name"] for row in conn.execute("PRAGMA table_info(actors)")}
    unknown = "a.unknown" if "unknown" in columns else "0"
    rows = conn.execute(
        f"SELECT p.event_id, p.role, a.name, a.code, {unknown} AS unknown "
        "FROM event_participants p JOIN actors a ON a.key = p.actor_key "
        "ORDER BY p.event_id, p.role, p.position")
    found: People = {}
    for r in rows:
        shown = "unknown" if r["unknown"] else f"{r['name']} ({r['code'] or 'no code'})"
        found.setdefault((r["event_id"], r["role"]), []).append((shown, r["code"] or ""))
    return found


EVENTS_SQL = """
SELECT e.id, e.article_id, e.type, e.mode, e.modality, v.sentence, v.start, v."end", v.quote,
       v.trigger_start, v.trigger_end, a.origin,
       json_extract(a.annotations, '$.meta.source_id') AS source_id
FROM events e JOIN evidence v ON v.event_id = e.id JOIN articles a ON a.id = e.article_id
"""


def _event(r: sqlite3.Row, people: People) -> Event:
    actors, recipients = people.get((r["id"], "actor"), []), people.get((r["id"], "recipient"), [])
    trigger = None
    if r["trigger_start"] is not None:
        trigger = r["quote"][r["trigger_start"] - r["start"]:r["trigger_end"] - r["start"]]
    return Event(
        id=r["id"], corpus=Path((r["origin"] or "?").rsplit(":", 1)[0]).stem,
        article_id=r["article_id"], source_id=r["source_id"], sentence=r["sentence"],
        start=r["start"], end=r["end"], type=r["type"], mode=r["mode"], modality=r["modality"],
        quote=r["quote"], trigger=trigger,
        actor_codes=tuple(sorted(code for _, code in actors)),
        recipient_codes=tuple(sorted(code for _, code in recipients)),
        actors=[shown for shown, _ in actors], recipients=[shown for shown, _ in recipients])


def read_events(conn: sqlite3.Connection) -> list[Event]:
    people = participants(conn)
    return sorted((_event(r, people) for r in conn.execute(EVENTS_SQL)), key=order_key)


def store_totals(conn: sqlite3.Connection) -> dict[str, int]:
    one = lambda sql: conn.execute(sql).fetchone()[0] or 0  # noqa: E731
    return {
        "articles": one("SELECT count(*) FROM articles"),
        "sentences": one("SELECT sum(json_array_length(annotations, '$.sentences')) "
                         "FROM articles"),
        "failures": one("SELECT count(*) FROM failures"),
    }


def missing(events: Iterable[Event], other: Iterable[Event], key: Any) -> list[Event]:
    """Events of ``events`` whose key is not that of any event of ``other``."""
    seen = {key(e) for e in other}
    return [e for e in events if key(e) not in seen]


def per_1k(n: int, sentences: int) -> float | None:
    return round(1000 * n / sentences, 2) if sentences else None


def diff_rows(base: list[Event], head: list[Event], sentences: tuple[int, int]
              ) -> list[dict[str, Any]]:
    """One row per type (sorted) and a TOTAL row: counts, gained and lost on both keys."""
    counts = {
        "base": Counter(e.type for e in base), "head": Counter(e.type for e in head),
        "gained": Counter(e.type for e in missing(head, base, loose_key)),
        "lost": Counter(e.type for e in missing(base, head, loose_key)),
        "gained_strict": Counter(e.type for e in missing(head, base, strict_key)),
        "lost_strict": Counter(e.type for e in missing(base, head, strict_key)),
    }
    types = sorted(set(counts["base"]) | set(counts["head"]))
    rows: list[dict[str, Any]] = [{"type": t, **{k: c[t] for k, c in counts.items()}}
                                  for t in types]
    rows.append({"type": "TOTAL", **{k: sum(c.values()) for k, c in counts.items()}})
    for row in rows:
        row["base_per_1k"] = per_1k(row["base"], sentences[0])
        row["head_per_1k"] = per_1k(row["head"], sentences[1])
    return rows


def draw(base: list[Event], head: list[Event], n: int) -> list[Event]:
    """``n`` new head events (loose key), drawn with random.Random(0) in a fixed order."""
    new = sorted(missing(head, base, loose_key), key=order_key)
    return random.Random(SEED).sample(new, min(n, len(new)))


def markdown_table(rows: list[dict[str, Any]]) -> str:
    names = list(rows[0])
    lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    lines += ["| " + " | ".join("" if r[k] is None else str(r[k]) for k in names) + " |"
              for r in rows]
    return "\n".join(lines) + "\n"


def grading_entry(rank: int, e: Event) -> str:
    return (
        f"## {rank}. {e.type} ({e.corpus}, {e.source_id or '-'}, article {e.article_id}, "
        f"sentence {e.sentence})\n\n> {' '.join(e.quote.split())}\n\n"
        f"- event: {e.id}; trigger: {e.trigger or '-'}; mode: {e.mode or '-'}; "
        f"modality: {e.modality}\n"
        f"- actors: {'; '.join(e.actors) or '-'}\n"
        f"- recipients: {'; '.join(e.recipients) or '-'}\n"
        f"- grade: ({GRADES})\n- why:\n")


def write_outputs(out: Path, summary: dict[str, Any], drawn: list[Event]) -> str:
    table = markdown_table(summary["types"])
    totals = "".join(
        f"- {side}: {s['articles']} articles, {s['sentences']} sentences, {s['events']} events, "
        f"{s['failures']} failures ({s['db']})\n"
        for side, s in ((side, summary[side]) for side in ("base", "head")))
    (out / "diff.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    (out / "diff.md").write_text(f"# Events per type, base vs head\n\n{totals}\n{table}",
                                 encoding="utf-8")
    with (out / "new_events.jsonl").open("w", encoding="utf-8") as f:
        for e in drawn:
            f.write(json.dumps(asdict(e), ensure_ascii=False) + "\n")
    head = (f"# {len(drawn)} new events (head only, loose key), random.Random({SEED})\n\n"
            f"Grade each {GRADES}, and say why.\n\n")
    body = "\n".join(grading_entry(i, e) for i, e in enumerate(drawn, 1))
    (out / "new_events.md").write_text(head + body, encoding="utf-8")
    return totals + "\n" + table


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--base", type=Path, help="code tree of the base (e.g. a git worktree)")
    p.add_argument("--head", type=Path, default=ROOT, help="code tree of the head [repo root]")
    p.add_argument("--base-db", type=Path, help="existing base store (skips coding)")
    p.add_argument("--head-db", type=Path, help="existing head store (skips coding)")
    p.add_argument("--corpus", type=Path, action="append",
                   help="JSONL file to code (repeat) [every file of ../shared/corpora]")
    p.add_argument("--limit", type=int, help="code a seeded sample of N records of each file")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--draw", type=int, default=50, help="new events drawn for grading")
    p.add_argument("--out", type=Path, required=True, help="folder for stores and reports")
    args = p.parse_args(argv)
    if (args.base_db is None) != (args.head_db is None):
        p.error("give both --base-db and --head-db, or neither")
    if args.base_db is None and args.base is None:
        p.error("give --base TREE (or --base-db and --head-db)")
    return args


def code_both(args: argparse.Namespace) -> tuple[Path, Path]:
    corpus = args.corpus or sorted((ROOT.parent / "shared" / "corpora").glob("*.jsonl"))
    paths = [p.resolve() for p in corpus]
    if args.limit is not None:
        paths = sample_corpus(paths, args.limit, args.out.resolve() / "sample")
    dbs = args.out.resolve() / "base.db", args.out.resolve() / "head.db"
    for tree, db in zip((args.base, args.head), dbs, strict=True):
        seconds = code(tree.resolve(), paths, db, args.workers)
        print(f"coded {len(paths)} file(s) with {tree} in {seconds:.0f} s", file=sys.stderr)
    return dbs


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    dbs = (args.base_db, args.head_db) if args.base_db else code_both(args)
    sides: dict[str, Any] = {}
    events: list[list[Event]] = []
    for side, db in zip(("base", "head"), dbs, strict=True):
        with closing(connect(db)) as conn:
            events.append(read_events(conn))
            sides[side] = {"db": str(db), **store_totals(conn), "events": len(events[-1])}
    sentences = (sides["base"]["sentences"], sides["head"]["sentences"])
    summary = {**sides, "types": diff_rows(events[0], events[1], sentences)}
    print(write_outputs(args.out, summary, draw(events[0], events[1], args.draw)))


if __name__ == "__main__":
    main()
