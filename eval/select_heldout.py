"""Candidate order for the held-out article split (issue 14): seeded, committed, reproducible.

usage: python eval/select_heldout.py [--shared ../shared] [--corpus gigaword|reuters|bbc] [--n 60]

Prints, per corpus, the candidate articles in a fixed pseudo-random order (random.Random(SEED)
over the 1-based line numbers), keeping those of 120-700 words (``len(text.split())``); BBC is
limited to its politics section and Gigaword excludes the 30 lines of gigaword-dev. Annotators
walk this order and take an article when it is political or conflict news by the rules of
../shared/gold/articles/README.md ("How the articles were chosen"), until each corpus has its
quota; every skipped line and its reason is listed in eval/heldout/README.md.

The split exists to check that work chosen on other data generalises: it is never used for error
analysis, rule writing or threshold choice.
"""
from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from pathlib import Path

SEED = 20261207
CORPORA = {
    "gigaword": "corpora/gigaword-afp-xinhua.jsonl",
    "reuters": "corpora/reuters21578.jsonl",
    "bbc": "corpora/bbc-news.jsonl",
}


def dev_lines(shared: Path) -> set[int]:
    """1-based Gigaword lines already in gigaword-dev."""
    path = shared / "gold/articles/gigaword-dev.jsonl"
    return {json.loads(row)["line"] for row in path.read_text().splitlines() if row.strip()}


def candidates(shared: Path, name: str) -> Iterator[tuple[int, dict]]:
    """(line, article) in the seeded order, filtered by length, section and the dev split."""
    rows = (shared / CORPORA[name]).read_text(encoding="utf-8").splitlines()
    order = list(range(1, len(rows) + 1))
    random.Random(f"{SEED}-{name}").shuffle(order)
    excluded = dev_lines(shared) if name == "gigaword" else set()
    for line in order:
        if line in excluded:
            continue
        article = json.loads(rows[line - 1])
        if name == "bbc" and "-politics-" not in article["id"]:
            continue
        if 120 <= len(article["text"].split()) <= 700:
            yield line, article


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--corpus", choices=sorted(CORPORA), action="append")
    parser.add_argument("--n", type=int, default=60, help="candidates printed per corpus")
    args = parser.parse_args()
    for name in args.corpus or sorted(CORPORA):
        for rank, (line, article) in enumerate(candidates(args.shared, name), 1):
            if rank > args.n:
                break
            words = len(article["text"].split())
            print(f"{name}\t{rank}\t{line}\t{article['id']}\t{words}\t{article['title'][:70]}")


if __name__ == "__main__":
    main()
