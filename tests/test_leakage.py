"""Leak guards: no training data points into what the project is judged on.

Protected: the golden suite's sentences (tests/golden/events.toml), gigaword-dev's 30 articles
(../shared/gold/articles/gigaword-dev.jsonl) and the held-out split (eval/heldout/*.jsonl).
Training data here means every offset file under training/ and eventwire/data/: any *.jsonl
or *.toml holding records with a ``corpus`` and a ``line`` or ``article_id`` (``article``)
(today's hand annotations go to training/events/annotations/*.jsonl with corpus, line,
article_id and sentence {start, end}). Such a record leaks when it names a protected article by
corpus line or by id, when its article is a near-duplicate of a protected one (word 3-shingle
Jaccard >= 0.8; MinHash LSH finds the candidates, the exact Jaccard decides), or when one of its
spans overlaps a golden sentence.

Silver: a record whose labels came from eventwire or a model (a field ``labelled_by``,
``annotator``, ``label_source`` or ``origin`` naming eventwire, a model or "silver", or
``reviewed = false``) must sit in a file whose path has a folder or name containing "silver".
"""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

TRAINING_ROOTS = ("training", "eventwire/data")
DEV = "gold/articles/gigaword-dev.jsonl"
GOLDEN = "tests/golden/events.toml"
NEAR = 0.8
MACHINE_FIELDS = ("labelled_by", "labeled_by", "annotator", "label_source", "origin")
MACHINE = re.compile(r"eventwire|model|silver|classifier|auto", re.I)


# ------------------------------------------------------------------ reading pointers


@dataclass
class Pointer:
    """One record of a training file that points into a corpus article."""

    where: str
    corpus: str  # the corpus file name, e.g. gigaword-afp-xinhua.jsonl
    line: int | None
    article_id: str | None
    spans: list[tuple[int, int]]
    record: dict[str, Any]


def offset_files(root: Path) -> list[Path]:
    found = []
    for top in TRAINING_ROOTS:
        for pattern in ("*.jsonl", "*.toml"):
            found += sorted((root / top).rglob(pattern))
    return found


def _load(path: Path) -> list[Any]:
    if path.suffix == ".toml":
        return [tomllib.loads(path.read_text("utf-8"))]
    rows = []
    for n, raw in enumerate(path.read_text("utf-8").splitlines(), 1):
        if raw.strip():
            try:
                rows.append(json.loads(raw))
            except ValueError as exc:
                raise AssertionError(f"{path}:{n} is not JSON ({exc})") from exc
    return rows


def _walk(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for v in value.values():
            yield from _walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v)


def _spans(record: dict[str, Any]) -> list[tuple[int, int]]:
    return [(d["start"], d["end"]) for d in _walk(record)
            if isinstance(d.get("start"), int) and isinstance(d.get("end"), int)]


def _pointer(record: dict[str, Any], where: str) -> Pointer | None:
    article = record.get("article_id", record.get("article"))
    if not isinstance(record.get("corpus"), str) or (
            "line" not in record and not isinstance(article, str)):
        return None
    line = record.get("line")
    return Pointer(where, Path(record["corpus"]).name, line if isinstance(line, int) else None,
                   article if isinstance(article, str) else None, _spans(record), record)


def pointers(files: list[Path]) -> list[Pointer]:
    found = []
    for path in files:
        for i, value in enumerate(_load(path), 1):
            found += [p for d in _walk(value) if (p := _pointer(d, f"{path}#{i}")) is not None]
    return found


# ------------------------------------------------------------------ what is protected


@dataclass
class Corpora:
    folder: Path
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def articles(self, corpus: str) -> list[dict[str, Any]]:
        if corpus not in self.rows:
            path = self.folder / corpus
            lines = path.read_text("utf-8").splitlines() if path.is_file() else []
            self.rows[corpus] = [json.loads(x) for x in lines]
        return self.rows[corpus]

    def find(self, p: Pointer) -> tuple[int, dict[str, Any]] | None:
        """(1-based line, record) of a pointer's article, by line or else by id."""
        rows = self.articles(p.corpus)
        if p.line is not None and 1 <= p.line <= len(rows):
            return p.line, rows[p.line - 1]
        for n, row in enumerate(rows, 1):
            if row.get("id") == p.article_id:
                return n, row
        return None


def shingles(text: str) -> set[str]:
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[i:i + 3]) for i in range(max(len(words) - 2, 1))}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


@dataclass
class Protected:
    lines: dict[tuple[str, int], str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)
    golden: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    texts: dict[str, set[str]] = field(default_factory=dict)  # why -> shingles
    lsh: Any = None  # MinHash LSH over ``texts``, built on first use

    def add_article(self, corpus: str, line: int, record: dict[str, Any], why: str) -> None:
        self.lines[(Path(corpus).name, line)] = why
        self.ids[record["id"]] = why
        self.texts[why] = shingles(record["text"])


def _split_rows(paths: list[Path]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path in paths:
        for n, row in enumerate(_load(path), 1):
            yield f"{path.name}:{n}", row


def protected(shared: Path, root: Path, corpora: Corpora) -> Protected:
    """gigaword-dev, the held-out split under ``root`` and the golden suite's sentences."""
    prot = Protected()
    heldout = sorted((root / "eval/heldout").glob("*.jsonl"))
    for where, row in _split_rows([shared / DEV, *heldout]):
        found = corpora.find(Pointer(where, Path(row["corpus"]).name, row["line"],
                                     row["article_id"], [], row))
        assert found, f"{where}: article not in {row['corpus']}"
        prot.add_article(row["corpus"], row["line"], found[1], f"{where} ({row['article_id']})")
    golden = tomllib.loads((root / GOLDEN).read_text("utf-8"))
    for s in golden["sentence"]:
        prot.golden.setdefault(s["article"], []).append((s["start"], s["end"]))
    return prot


# ------------------------------------------------------------------ the guard


def _sketch(sh: set[str]) -> Any:
    from datasketch import MinHash

    m = MinHash(num_perm=128, seed=1)
    m.update_batch([s.encode() for s in sh])
    return m


def near_duplicates(text: str, prot: Protected) -> list[str]:
    """Protected articles whose word 3-shingles overlap ``text``'s with Jaccard >= NEAR."""
    from datasketch import MinHashLSH

    if prot.lsh is None:
        prot.lsh = MinHashLSH(threshold=0.6, num_perm=128)
        for why, sh in prot.texts.items():
            prot.lsh.insert(why, _sketch(sh))
    mine = shingles(text)
    return [w for w in prot.lsh.query(_sketch(mine)) if jaccard(mine, prot.texts[w]) >= NEAR]


def leaks(found: list[Pointer], prot: Protected, corpora: Corpora) -> list[str]:
    """One message per training record that points into protected data."""
    out = []
    for p in found:
        art = corpora.find(p)
        line, record = art if art else (p.line, {})
        aid = record.get("id", p.article_id)
        why = prot.lines.get((p.corpus, line or -1)) or prot.ids.get(aid or "")
        if why:
            out.append(f"{p.where}: points into {why}")
        elif record and (near := near_duplicates(record.get("text", ""), prot)):
            out.append(f"{p.where}: {aid} is a near-duplicate of {near[0]}")
        for s, e in prot.golden.get(aid or "", []):
            if any(a < e and s < b for a, b in p.spans):
                out.append(f"{p.where}: overlaps golden sentence {aid} {s}..{e}")
    return out


def machine_labels_outside_silver(found: list[Pointer]) -> list[str]:
    out = []
    for p in found:
        said = [str(p.record.get(k)) for k in MACHINE_FIELDS if p.record.get(k) is not None]
        machine = any(MACHINE.search(s) for s in said) or p.record.get("reviewed") is False
        if machine and "silver" not in p.where.lower():
            out.append(f"{p.where}: labels from {said or 'an unreviewed source'} outside silver/")
    return out


# ------------------------------------------------------------------ tests


@pytest.fixture(scope="module")
def corpora(shared: Path) -> Corpora:
    return Corpora(shared / "corpora")


@pytest.fixture(scope="module")
def prot(shared: Path, corpora: Corpora) -> Protected:
    return protected(shared, ROOT, corpora)


@pytest.mark.timeout(300)
def test_no_training_offset_points_into_protected_articles(prot: Protected,
                                                           corpora: Corpora) -> None:
    found = pointers(offset_files(ROOT))
    assert not leaks(found, prot, corpora)


@pytest.mark.timeout(60)
def test_machine_labels_are_kept_as_silver() -> None:
    assert not machine_labels_outside_silver(pointers(offset_files(ROOT)))


@pytest.mark.timeout(60)
def test_protected_set_is_complete(prot: Protected) -> None:
    assert len({w for w in prot.ids.values() if "gigaword-dev" in w}) == 30
    assert len(prot.texts) == len(prot.ids) and sum(map(len, prot.golden.values())) >= 90


def _training_copy(tmp_path: Path) -> Path:
    """A temporary repository with today's training offset files, the golden suite and the
    held-out split."""
    root = tmp_path / "repo"
    for path in offset_files(ROOT) + [ROOT / GOLDEN, *(ROOT / "eval/heldout").glob("*.jsonl")]:
        target = root / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return root


def _annotate(root: Path, record: dict[str, Any], name: str = "injected.jsonl") -> None:
    folder = root / "training/events/annotations"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / name, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(record) + "\n")


def _dev_row(shared: Path, n: int = 0) -> dict[str, Any]:
    return json.loads((shared / DEV).read_text("utf-8").splitlines()[n])


def _dev_pointer(row: dict[str, Any], **keep: Any) -> dict[str, Any]:
    ev = row["events"][0]["evidence"] if row["events"] else {"start": 0, "end": 10}
    return {"corpus": row["corpus"], "sentence": {"start": ev["start"], "end": ev["end"]},
            "type": "CONSULT", **keep}


@pytest.mark.timeout(300)
@pytest.mark.parametrize("by", ["line and id", "line", "id"])
def test_guard_reports_an_injected_dev_offset(shared: Path, tmp_path: Path, corpora: Corpora,
                                              by: str) -> None:
    root = _training_copy(tmp_path)
    row = _dev_row(shared, 3)
    keys = {"line and id": {"line": row["line"], "article_id": row["article_id"]},
            "line": {"line": row["line"]}, "id": {"article_id": row["article_id"]}}[by]
    prot = protected(shared, root, corpora)
    assert not leaks(pointers(offset_files(root)), prot, corpora)
    _annotate(root, _dev_pointer(row, **keys))
    found = leaks(pointers(offset_files(root)), prot, corpora)
    assert len(found) == 1 and row["article_id"] in found[0], found


@pytest.mark.timeout(300)
def test_guard_reports_a_near_duplicate(shared: Path, tmp_path: Path, corpora: Corpora) -> None:
    """A corpus article that is a dev article with a few words changed counts as the article."""
    row = _dev_row(shared, 5)
    text = corpora.find(Pointer("", Path(row["corpus"]).name, row["line"], None, [], {}))
    assert text
    words = text[1]["text"].split(" ")
    words[len(words) // 2] = "meanwhile"
    fake = tmp_path / "corpora"
    fake.mkdir()
    (fake / "copy.jsonl").write_text(json.dumps({"id": "COPY-1", "text": " ".join(words)}) + "\n")
    root = _training_copy(tmp_path)
    _annotate(root, {"corpus": "corpora/copy.jsonl", "line": 1, "article_id": "COPY-1",
                     "sentence": {"start": 0, "end": 20}})
    real = ("gigaword-afp-xinhua.jsonl", "reuters21578.jsonl", "bbc-news.jsonl")
    both = Corpora(fake, {c: corpora.articles(c) for c in real})
    found = leaks(pointers(offset_files(root)), protected(shared, root, both), both)
    assert len(found) == 1 and "near-duplicate" in found[0], found


@pytest.mark.timeout(300)
def test_guard_reports_golden_and_held_out_articles(shared: Path, tmp_path: Path,
                                                    corpora: Corpora) -> None:
    root = _training_copy(tmp_path)
    golden = tomllib.loads((ROOT / GOLDEN).read_text("utf-8"))["sentence"][0]
    _annotate(root, {"corpus": f"corpora/{golden['corpus']}", "article_id": golden["article"],
                     "sentence": {"start": golden["start"] + 1, "end": golden["end"] - 1}})
    taken = protected(shared, root, corpora).lines
    held = next(n for n in range(1, 2453) if ("gigaword-afp-xinhua.jsonl", n) not in taken)
    record = corpora.articles("gigaword-afp-xinhua.jsonl")[held - 1]
    split = root / "eval/heldout/test-split.jsonl"
    split.parent.mkdir(parents=True, exist_ok=True)
    with open(split, "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"corpus": "corpora/gigaword-afp-xinhua.jsonl", "line": held,
                             "article_id": record["id"], "events": []}) + "\n")
    _annotate(root, {"corpus": "corpora/gigaword-afp-xinhua.jsonl", "line": held,
                     "sentence": {"start": 0, "end": 5}}, "other.jsonl")
    found = leaks(pointers(offset_files(root)), protected(shared, root, corpora), corpora)
    assert any("golden sentence" in f for f in found), found
    assert any("test-split.jsonl" in f for f in found), found


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("folder", "fields", "flagged"), [
    ("training/events/annotations", {"labelled_by": "eventwire-0.1.3"}, True),
    ("training/events/annotations", {"reviewed": False}, True),
    ("training/events/annotations", {"labelled_by": "annotator A", "reviewed": True}, False),
    ("training/events/silver", {"labelled_by": "eventwire-0.1.3"}, False),
    ("eventwire/data/events", {"origin": "model: accurate mode"}, True),
])
def test_machine_labels_must_be_called_silver(tmp_path: Path, folder: str,
                                              fields: dict[str, Any], flagged: bool) -> None:
    path = tmp_path / folder / "labels.jsonl"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"corpus": "corpora/bbc-news.jsonl", "line": 7, **fields}) + "\n")
    assert bool(machine_labels_outside_silver(pointers(offset_files(tmp_path)))) is flagged
