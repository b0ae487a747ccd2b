"""The malformed corpus (tests/malformed.py) through the readers: every bad file gives a
Failure, repairable ones give their articles, nothing raises, each file in bounded time."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import malformed
import pytest

from eventwire.ingest import CODES, ReadOptions, read
from eventwire.model import Article, Failure

SEED = 20241129
SECONDS_PER_FILE = 10.0
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return malformed.generate(tmp_path_factory.mktemp("malformed"), SEED)


def _read(path: Path) -> tuple[list[Article], list[Failure], float]:
    start = time.perf_counter()
    found = [item for _, _, item in read([str(path)], ReadOptions(limits=malformed.LIMITS))]
    seconds = time.perf_counter() - start
    return ([i for i in found if isinstance(i, Article)],
            [i for i in found if isinstance(i, Failure)], seconds)


def test_corpus_is_large_and_deterministic(corpus: list[Path], tmp_path: Path) -> None:
    assert len(corpus) >= 200
    again = malformed.generate(tmp_path, SEED)
    assert [p.name for p in again] == [p.name for p in corpus]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(again, corpus, strict=True))


def test_every_malformed_file(corpus: list[Path]) -> None:
    wrong: list[str] = []
    codes: Counter[str] = Counter()
    for path in corpus:
        good, bad, seconds = _read(path)
        codes.update(f.code for f in bad)
        count, must_fail = malformed.expected(path)
        if count is not None and len(good) != count:
            wrong.append(f"{path.name}: {len(good)} articles, expected {count}")
        if must_fail != bool(bad):
            wrong.append(f"{path.name}: failures {[f.code for f in bad]}, expected any={must_fail}")
        if seconds > SECONDS_PER_FILE:
            wrong.append(f"{path.name}: {seconds:.1f} s")
        for failure in bad:
            if failure.code not in CODES or not failure.hint or failure.path != str(path):
                wrong.append(f"{path.name}: malformed Failure {failure}")
        if any(not a.text.strip() for a in good):
            wrong.append(f"{path.name}: an article with empty text")
    assert not wrong, "\n".join(wrong)
    expected_codes = {"E102", "E103", "E104", "E105", "E106", "E107", "E108", "E109", "E110",
                      "E111", "E112", "E113", "E114", "E115", "E116", "E117", "E118", "E122"}
    assert expected_codes <= set(codes), expected_codes - set(codes)


def test_bad_files_mixed_with_good_ones(corpus: list[Path]) -> None:
    """One read over good and bad files: the good articles all come through, in order."""
    paths = [str(EXAMPLES), *map(str, corpus[:60]), str(EXAMPLES / "ceasefire.jsonl")]
    found = list(read(paths, ReadOptions(limits=malformed.LIMITS)))
    by_path: dict[str, list[Article | Failure]] = {}
    for path, _, item in found:
        by_path.setdefault(path, []).append(item)
    demo = [i for p, i in ((p, i) for p, _, i in found) if p.startswith(str(EXAMPLES))]
    assert sum(isinstance(i, Article) for i in demo) == 7
    assert not any(isinstance(i, Failure) for i in demo)
    for bad in corpus[:60]:
        assert any(isinstance(i, Failure) for i in by_path[str(bad)]), bad.name
