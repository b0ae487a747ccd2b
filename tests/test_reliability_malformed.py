"""Bad input through the real CLI: the malformed corpus (tests/malformed.py, well over 200
files) in one folder with good files (BBC politics articles from ../shared/corpora as JSON
Lines, hand-written .txt news in English, French and Spanish, an HTML page), ingested by
``eventwire ingest FOLDER`` into a copy of the clean store of the corpus slice:

* exit code 3, "completed with failures";
* every good article stored (the English ones coded, the others stored and marked with
  their language, without events), every bad record in ``failures`` with its code;
* what the store held before is all still there, unchanged, and ``eventwire check`` passes;
* a second run adds nothing (and logs the same failures again, under its own run).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import malformed
import pytest

pytest.register_assert_rewrite("corpus_fixtures")
from corpus_fixtures import (  # noqa: E402
    CleanRun,
    CliRun,
    Snapshot,
    check_store,
    cli,
    copy_store,
    difference,
    rows,
    snapshot,
)

from eventwire.ingest import CODES, ReadOptions, read  # noqa: E402
from eventwire.model import Article, Failure  # noqa: E402

pytest_plugins = ["corpus_fixtures"]

SEED = 20241201
BBC_POLITICS = 30

TEXTS = {
    "en-summit.txt": (
        "BRUSSELS, March 4 - European Union leaders met in Brussels on Monday to discuss "
        "military aid to Ukraine, diplomats said.\n\nGerman Chancellor Olaf Scholz told "
        "reporters that Berlin would send more air defence systems. Hungary's Prime Minister "
        "Viktor Orban criticised the plan."),
    "en-protest.txt": (
        "Thousands of people protested in the Kenyan capital Nairobi on Tuesday against a "
        "proposed tax increase.\n\nPolice fired tear gas at the demonstrators and arrested "
        "dozens of them, witnesses said. The government defended the bill."),
    "en-talks.txt": (
        "Turkey and Greece agreed on Friday to resume talks on their maritime dispute, "
        "the foreign ministers of the two countries said after a meeting in Athens.\n\n"
        "\u201cWe have opened a new page,\u201d Greek Foreign Minister Giorgos "
        "Gerapetritis said."),
    "en-sanctions.txt": (
        "WASHINGTON (Reuters) - The United States imposed sanctions on Thursday on three "
        "Iranian officials it accused of human rights abuses, the Treasury Department "
        "said.\n\nIran's foreign ministry condemned the decision."),
    "fr-sommet.txt": (
        "Les dirigeants de l'Union europ\u00e9enne se sont r\u00e9unis lundi \u00e0 Bruxelles "
        "pour discuter de l'aide militaire \u00e0 l'Ukraine, ont indiqu\u00e9 des diplomates. "
        "Le chancelier allemand a d\u00e9clar\u00e9 que Berlin enverrait davantage de "
        "syst\u00e8mes de d\u00e9fense a\u00e9rienne, tandis que la Hongrie a critiqu\u00e9 "
        "le projet."),
    "es-protesta.txt": (
        "Miles de personas protestaron el martes en la capital de Kenia contra una subida de "
        "impuestos propuesta por el Gobierno. La polic\u00eda lanz\u00f3 gases lacrim\u00f3genos "
        "contra los manifestantes y detuvo a decenas de ellos, seg\u00fan testigos."),
}
HTML = ("<!DOCTYPE html><html><head><title>Ceasefire agreed in Sudan talks</title>"
        "<script>var tracking = 1;</script></head><body><nav>Home | World</nav><article>"
        "<h1>Ceasefire agreed in Sudan talks</h1><p>The Sudanese army and the Rapid Support "
        "Forces agreed to a one-week ceasefire on Saturday after talks in Jeddah, Saudi "
        "Arabia's foreign ministry said.</p><p>The United States, which co-hosted the talks, "
        "welcomed the agreement and urged both sides to respect it. Fighting in Khartoum "
        "has killed hundreds of civilians since April.</p></article>"
        "<footer>(c) Wire</footer></body></html>")


def write_good_files(folder: Path, shared: Path) -> list[Path]:
    folder.mkdir(parents=True)
    with (shared / "corpora" / "bbc-news.jsonl").open("rb") as src:
        lines = islice((line for line in src if b'"id": "bbc-politics' in line), BBC_POLITICS)
        (folder / "bbc-politics.jsonl").write_bytes(b"".join(lines))
    for name, text in TEXTS.items():
        (folder / name).write_text(text, "utf-8")
    (folder / "sudan.html").write_text(HTML, "utf-8")
    return sorted(folder.iterdir())


@dataclass
class MixedRun:
    folder: Path
    good: list[Path]
    bad: list[Path]
    db: Path
    before: Snapshot
    after: Snapshot
    run: CliRun
    read: list[tuple[str, int, Article | Failure]]
    config: Path

    def articles(self) -> dict[str, Article]:
        return {item.id: item for _, _, item in self.read if isinstance(item, Article)}

    def failures(self) -> list[Failure]:
        return [item for _, _, item in self.read if isinstance(item, Failure)]


@pytest.fixture(scope="module")
def mixed(clean_run: CleanRun, shared: Path, tmp_path_factory: pytest.TempPathFactory
          ) -> MixedRun:
    root = tmp_path_factory.mktemp("mixed")
    folder = root / "input"
    bad = malformed.generate(folder / "malformed", SEED)
    good = write_good_files(folder / "good", shared)
    config = root / "limits.toml"
    config.write_text("[limits]\n" + "".join(f"{k} = {v}\n" for k, v in malformed.LIMITS.items()))
    db = copy_store(clean_run.db, root / "store.db")
    before = snapshot(db)
    run = cli("ingest", folder, "--db", db, "--config", config)
    found = list(read([str(folder)], ReadOptions(limits=malformed.LIMITS)))
    return MixedRun(folder, good, bad, db, before, snapshot(db), run, found, config)


def stored_ids(db: Path) -> set[str]:
    return {r[0] for r in rows(db, "SELECT id FROM articles UNION SELECT copy_id FROM "
                                   "article_copies")}


def failure_rows(db: Path, folder: Path) -> list[tuple[str, str | None, str, str, str, str]]:
    return rows(db, "SELECT path, record, stage, code, reason, hint FROM failures "
                    "WHERE path LIKE ? ORDER BY id", f"{folder}%")


def test_corpus_is_big_enough(mixed: MixedRun) -> None:
    assert len(mixed.bad) >= 200
    assert len(mixed.articles()) >= 120, "good articles in the folder"
    assert len(mixed.failures()) >= 200, "bad records in the folder"
    codes = Counter(f.code for f in mixed.failures())
    print(f"\n{len(mixed.bad)} malformed files and {len(mixed.good)} good files: "
          f"{len(mixed.articles())} good articles, {len(mixed.failures())} failures "
          f"({', '.join(f'{c} {n}' for c, n in sorted(codes.items()))}); ingest took "
          f"{mixed.run.seconds:.0f}s")


def test_exit_code_says_completed_with_failures(mixed: MixedRun) -> None:
    assert mixed.run.rc == 3, mixed.run.explain()
    assert re.search(r"ingest\s+completed\s+with\s+failures", mixed.run.out), mixed.run.explain()
    summary = mixed.run.summary()
    assert summary["failed"] == len(failure_rows(mixed.db, mixed.folder)) > 0
    assert summary["new"] == len(mixed.after["articles"][1]) - len(mixed.before["articles"][1])


def test_every_good_article_is_stored(mixed: MixedRun) -> None:
    missing = set(mixed.articles()) - stored_ids(mixed.db)
    assert not missing, [mixed.articles()[i].origin for i in sorted(missing)][:10]
    good = [str(p) for p in mixed.good]
    assert not [f for f in failure_rows(mixed.db, mixed.folder) if f[0].split(":")[0] in good]
    for path in mixed.bad:
        k, _ = malformed.expected(path)
        n = sum(isinstance(a, Article) for p, _, a in mixed.read if p == str(path))
        assert k is None or n == k, f"{path.name}: {n} articles, expected {k}"


def test_other_languages_are_stored_marked_and_not_coded(mixed: MixedRun) -> None:
    for name, lang in (("fr-sommet.txt", "fr"), ("es-protesta.txt", "es")):
        origin = str(mixed.folder / "good" / name)
        found = rows(mixed.db, "SELECT id, lang FROM articles WHERE origin = ?", origin)
        assert [r[1] for r in found] == [lang], name
        events = rows(mixed.db, "SELECT count(*) FROM events WHERE article_id = ?", found[0][0])
        assert events == [(0,)], f"{name} was coded as English"
    english = rows(mixed.db, "SELECT count(*) FROM events e JOIN articles a ON a.id = "
                             "e.article_id WHERE a.origin LIKE ?", f"{mixed.folder / 'good'}%")
    assert english[0][0] > 0, "the good English articles gave events"


def test_every_bad_record_is_in_failures_with_its_code(mixed: MixedRun) -> None:
    stored = failure_rows(mixed.db, mixed.folder)
    assert not [r for r in stored if not r[3].startswith("E1")], "only read failures"
    for path, _record, _stage, code, reason, hint in stored:
        assert code in CODES and reason and hint, (path, code)
    want = Counter((f.path, f.record, f.code) for f in mixed.failures())
    assert Counter((r[0], r[1], r[3]) for r in stored) == want
    failed_files = {r[0] for r in stored}
    for path in mixed.bad:
        if malformed.expected(path)[1]:
            assert str(path) in failed_files, f"{path.name} has no row in failures"


def test_what_was_stored_before_is_unchanged_and_the_store_is_sound(mixed: MixedRun) -> None:
    for table, (cols, data) in mixed.before.items():
        assert mixed.after[table][0] == cols
        lost = set(data) - set(mixed.after[table][1])
        assert not lost, f"{table}: {len(lost)} rows stored before were lost or changed"
    check_store(mixed.db)


def test_a_second_run_adds_nothing(mixed: MixedRun, tmp_path: Path) -> None:
    db = copy_store(mixed.db, tmp_path / "again.db")
    again = cli("ingest", mixed.folder, "--db", db, "--config", mixed.config)
    assert again.rc == 3, again.explain()
    summary = again.summary()
    assert (summary["new"], summary["events stored"]) == (0, 0), again.explain()
    now = snapshot(db)
    for table in sorted(now.keys() - {"failures"}):
        assert now[table] == mixed.after[table], difference(table, mixed.after[table], now[table])
    # the same failures logged again (reasons may name objects by address: not compared)
    first = [r[:4] for r in failure_rows(mixed.db, mixed.folder)]
    second = [r[:4] for r in failure_rows(db, mixed.folder)]
    assert Counter(second) == Counter(first + first)
    check_store(db)
