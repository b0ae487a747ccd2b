"""Scoring of article-level events (the rule of ../shared/gold/articles/README.md, "Scoring").

An output event matches a gold event when its evidence fits one of the gold sentences (they
overlap and at least half of the output span lies inside that sentence), its type is the gold
type (the main figure also takes ``alt_types``; CONCEDE, RETREAT and YIELD are one class), and
some participant of each is the same entity (same code, or whole-word text containment; short
texts and pronouns by code only; an unknown gold actor only by an all-unknown output, plus a
recipient where the gold has named ones). Each gold and output event is used at most once: a
maximum matching, built by augmenting paths with the key gold events first.

Events here are plain dicts in the reference scorer's format (``type``, ``actors``,
``recipients``, ``modality``, ``date``, ``evidence`` {start, end}; gold events also ``key``,
``alt_types``, ``alt_evidence``); the rules themselves are data (data/eval/articles.toml).
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

Event = Mapping[str, Any]
_WORD = re.compile(r"[a-z0-9]+")
METRICS = ("key_recall", "recall", "precision", "actor_accuracy", "recipient_accuracy",
           "modality_accuracy", "date_accuracy")


@dataclass(frozen=True)
class Rules:
    """The matching rules' data: the type class, the minimum letters, the references."""

    one_class: frozenset[str]
    min_letters: int
    references: frozenset[str]


def load_rules() -> Rules:
    raw = tomllib.loads(resources.files("eventwire").joinpath(
        "data/eval/articles.toml").read_text("utf-8"))
    return Rules(frozenset(raw["one_class"]), int(raw["min_letters"]),
                 frozenset(raw["references"]))


# ------------------------------------------------------------------ one pair


def _words(text: str | None) -> list[str]:
    return _WORD.findall((text or "").lower())


def type_fits(out_type: str | None, gold: Event, strict: bool, rules: Rules) -> bool:
    allowed = {gold["type"]}
    if not strict:
        allowed |= set(gold.get("alt_types") or [])
    given = (out_type or "").upper()
    return given in allowed or (given in rules.one_class and bool(allowed & rules.one_class))


def evidence_fits(span: Mapping[str, int], gold: Event) -> bool:
    """The output span overlaps a gold sentence and lies at least half inside it."""
    start, end = span["start"], span["end"]
    for g in [gold["evidence"], *(gold.get("alt_evidence") or [])]:
        inside = min(end, g["end"]) - max(start, g["start"])
        if inside > 0 and 2 * inside >= end - start:
            return True
    return False


def _contains(long_: list[str], short: list[str]) -> bool:
    n = len(short)
    return any(long_[i:i + n] == short for i in range(len(long_) - n + 1))


def texts_match(a: str | None, b: str | None, rules: Rules) -> bool:
    """One word sequence inside the other; the shorter (by joined length) must have at least
    ``min_letters`` characters and not be a reference word."""
    wa, wb = _words(a), _words(b)
    if len(" ".join(wa)) > len(" ".join(wb)):
        wa, wb = wb, wa
    if not wa or len("".join(wa)) < rules.min_letters or " ".join(wa) in rules.references:
        return False
    return _contains(wb, wa)


def _named(p: Mapping[str, Any]) -> bool:
    return not p.get("unknown") and bool(p.get("code") or p.get("text"))


def same_entity(o: Mapping[str, Any], g: Mapping[str, Any], rules: Rules) -> bool:
    if o.get("code") and g.get("code") and str(o["code"]).upper() == str(g["code"]).upper():
        return True
    return bool(o.get("text") and g.get("text") and texts_match(o["text"], g["text"], rules))


def _named_parties(event: Event, *roles: str) -> list[Mapping[str, Any]]:
    return [p for role in roles for p in event.get(role) or [] if _named(p)]


def _unknown_actor_fits(out: Event, gold: Event, rules: Rules) -> bool:
    if not any(p.get("unknown") for p in gold.get("actors") or []):
        return False
    actors = list(out.get("actors") or [])
    if not actors or not all(p.get("unknown") for p in actors):
        return False
    wanted = _named_parties(gold, "recipients")
    given = _named_parties(out, "recipients")
    return not wanted or any(same_entity(o, g, rules) for o in given for g in wanted)


def parties_fit(out: Event, gold: Event, rules: Rules) -> bool:
    mine = _named_parties(out, "actors", "recipients")
    theirs = _named_parties(gold, "actors", "recipients")
    if any(same_entity(o, g, rules) for o in mine for g in theirs):
        return True
    return _unknown_actor_fits(out, gold, rules)


def fits(out: Event, gold: Event, strict: bool, rules: Rules) -> bool:
    return (evidence_fits(out["evidence"], gold) and type_fits(out.get("type"), gold, strict, rules)
            and parties_fit(out, gold, rules))


# ------------------------------------------------------------------ one article


def _augment(g: int, options: dict[int, list[int]], owner: dict[int, int], seen: set[int]) -> bool:
    """Finds an output for gold ``g``, moving earlier owners along when they have another."""
    for o in options[g]:
        if o in seen:
            continue
        seen.add(o)
        if o not in owner or _augment(owner[o], options, owner, seen):
            owner[o] = g
            return True
    return False


def pair_up(gold: Sequence[Event], outputs: Sequence[Event], strict: bool,
            rules: Rules) -> dict[int, int]:
    """gold index -> output index: a maximum one-to-one matching, key gold events first."""
    options = {i: [j for j, o in enumerate(outputs) if fits(o, g, strict, rules)]
               for i, g in enumerate(gold)}
    owner: dict[int, int] = {}
    for i in sorted(options, key=lambda i: not gold[i].get("key")):
        _augment(i, options, owner, set())
    return {g: o for o, g in owner.items()}


def _codes(parties: Iterable[Mapping[str, Any]] | None) -> set[str]:
    return {"?" if p.get("unknown") else str(p.get("code") or "").upper() for p in parties or []}


def tally_pair(c: Counter[str], g: Event, o: Event) -> None:
    """Adds one matched pair's field agreements to ``c``."""
    c["hit"] += 1
    c["hit_key"] += bool(g.get("key"))
    c["actor_ok"] += _codes(o.get("actors")) == _codes(g.get("actors"))
    if g.get("recipients"):
        c["rec_n"] += 1
        c["rec_ok"] += _codes(o.get("recipients")) == _codes(g.get("recipients"))
    if g.get("modality"):
        c["mod_n"] += 1
        c["mod_ok"] += (o.get("modality") or "asserted") == g["modality"]
    if g.get("date"):
        c["date_n"] += 1
        c["date_ok"] += str(o.get("date") or "")[:len(g["date"])] == g["date"]


def tally_article(gold: Sequence[Event], outputs: Sequence[Event], strict: bool,
                  rules: Rules) -> tuple[Counter[str], dict[str, Counter[str]], dict[int, int]]:
    """Counts for one article overall and per type (gold type for recall and the field
    accuracies, output type for precision), and the pairs."""
    pairs = pair_up(gold, outputs, strict, rules)
    total: Counter[str] = Counter()
    by_type: dict[str, Counter[str]] = {}
    for i, g in enumerate(gold):
        for c in (total, by_type.setdefault(g["type"], Counter())):
            c["gold"] += 1
            c["key"] += bool(g.get("key"))
            if i in pairs:
                tally_pair(c, g, outputs[pairs[i]])
    matched_out = set(pairs.values())
    for j, o in enumerate(outputs):
        for c in (total, by_type.setdefault(str(o.get("type") or "?"), Counter())):
            c["out"] += 1
            c["out_hit"] += j in matched_out
    return total, by_type, pairs


def _ratio(c: Counter[str], num: str, den: str) -> float | None:
    return round(c[num] / c[den], 3) if c[den] else None


def figures(c: Counter[str]) -> dict[str, Any]:
    """The reported figures from summed counts (None where nothing was there to count)."""
    return {"gold_events": c["gold"], "key_events": c["key"], "output_events": c["out"],
            "matched": c["hit"], "key_recall": _ratio(c, "hit_key", "key"),
            "recall": _ratio(c, "hit", "gold"), "precision": _ratio(c, "out_hit", "out"),
            "actor_accuracy": _ratio(c, "actor_ok", "hit"),
            "recipient_accuracy": _ratio(c, "rec_ok", "rec_n"),
            "modality_accuracy": _ratio(c, "mod_ok", "mod_n"),
            "date_accuracy": _ratio(c, "date_ok", "date_n")}


def score(gold_articles: Sequence[Mapping[str, Any]], outputs: Mapping[str, Sequence[Event]],
          strict: bool, rules: Rules | None = None) -> dict[str, Any]:
    """Figures over ``gold_articles`` (gold schema, with texts) for ``outputs`` (article id ->
    events in the scorer's format), overall and per type."""
    rules = rules or load_rules()
    total: Counter[str] = Counter()
    per_type: dict[str, Counter[str]] = {}
    for art in gold_articles:
        t, by_type, _ = tally_article(art["events"], outputs.get(art["article_id"], []),
                                      strict, rules)
        total.update(t)
        for name, c in by_type.items():
            per_type.setdefault(name, Counter()).update(c)
    return {"articles": len(gold_articles), **figures(total),
            "per_type": {name: figures(c) for name, c in sorted(per_type.items())}}
