"""eval/corpus_diff.py: gained and lost per type on both keys, and the seeded draw."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def cd():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("corpus_diff", ROOT / "eval" / "corpus_diff.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def ev(cd: Any, id_: str, article: str, sentence: int, type_: str, actors: tuple[str, ...] = ()
       ) -> Any:
    return cd.Event(id=id_, corpus="c", article_id=article, source_id=None, sentence=sentence,
                    start=10 * sentence, end=10 * sentence + 9, type=type_, mode=None,
                    modality="asserted", quote="q", trigger=None, actor_codes=actors,
                    recipient_codes=())


@pytest.mark.timeout(30)
def test_diff_counts_loose_and_strict_keys_per_type(cd) -> None:
    base = [ev(cd, "b1", "a", 0, "ASSAULT", ("IRQ",)), ev(cd, "b2", "a", 1, "CONSULT"),
            ev(cd, "b3", "b", 0, "AID")]
    head = [ev(cd, "h1", "a", 0, "ASSAULT", ("USA",)),  # same sentence and type, other actor
            ev(cd, "h2", "a", 1, "CONSULT"), ev(cd, "h3", "b", 2, "AID"),
            ev(cd, "h4", "b", 3, "PROTEST")]
    rows = {r["type"]: r for r in cd.diff_rows(base, head, (100, 0))}
    assert rows["ASSAULT"] == {"type": "ASSAULT", "base": 1, "head": 1, "gained": 0, "lost": 0,
                               "gained_strict": 1, "lost_strict": 1, "base_per_1k": 10.0,
                               "head_per_1k": None}
    assert (rows["AID"]["gained"], rows["AID"]["lost"]) == (1, 1)
    assert (rows["PROTEST"]["base"], rows["PROTEST"]["gained"]) == (0, 1)
    total = rows["TOTAL"]
    assert (total["base"], total["head"], total["gained"], total["lost"]) == (3, 4, 2, 1)
    assert list(rows) == ["AID", "ASSAULT", "CONSULT", "PROTEST", "TOTAL"]


@pytest.mark.timeout(30)
def test_draw_is_seeded_and_ignores_input_order(cd) -> None:
    head = [ev(cd, f"h{i}", f"a{i % 7}", i, "AGREE") for i in range(30)]
    base = head[:10]
    drawn = cd.draw(base, head, 5)
    new = sorted(head[10:], key=cd.order_key)
    assert drawn == random.Random(0).sample(new, 5)
    assert cd.draw(base, list(reversed(head)), 5) == drawn
    assert len(cd.draw(base, head, 50)) == 20
