"""Grouped folds for ``eventwire eval plv --split grouped``: a selection-free split of a PLV file.

Why: stratified k-fold CV puts near-identical sentences (several pairs cut from one sentence,
or one wire story retold), the same actors and the same templates on both sides of a fold, so
a model is tested on rows it has nearly seen. Its figure overstates the quality on unseen
PLV-format data (issue 15: CV 0.830 / 0.860 against 0.765 / 0.782 unseen).

The rule, fixed before any model was scored with it and never used to choose anything:

1. Two rows are joined when their sentences (markers removed) are near-duplicates, word
   3-shingle Jaccard >= 0.5, or when they share an actor string: any marked source or target
   span, normalised (lower case, punctuation dropped, a leading "the" dropped, spaces
   collapsed), in either role.
2. A group is a connected component of that relation, so no test fold shares a sentence
   family or an actor string with its training folds.
3. Groups go to folds deterministically: largest first (ties: the group holding the lower
   row), each to the fold with the fewest rows so far (ties: the lower fold number). Neither
   the gold labels nor a seed enter the split.

Only ``marked_sentence`` is read, as for the predictor. Actor strings are compared as written:
"US" and "the United States" are different strings, so the split does not join them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from eventwire.errors import EventwireError

SHINGLE = 3
NEAR_DUPLICATE = 0.5

_MARKER = re.compile(r"</?[st]>")
_SPAN = re.compile(r"<([st])>(.*?)(?:</\1>|$)", re.DOTALL)
_WORD = re.compile(r"\w+")
_PUNCT = re.compile(r"[^\w\s]")


@dataclass(frozen=True)
class Split:
    """Grouped folds: ``folds[k]`` is the sorted test rows of fold k; ``groups`` the components."""

    folds: list[list[int]]
    groups: list[list[int]]

    def stats(self) -> dict[str, object]:
        """Number of groups, the largest, singletons and the fold sizes."""
        sizes = [len(g) for g in self.groups]
        return {"groups": len(sizes), "largest_group": max(sizes, default=0),
                "singleton_groups": sizes.count(1), "fold_sizes": [len(f) for f in self.folds]}


def sentence_of(marked: str) -> str:
    """The sentence with its ``<s>``/``<t>`` markers removed."""
    return _MARKER.sub("", marked)


def normalise_actor(text: str) -> str:
    """Lower case, punctuation dropped, a leading "the" dropped, spaces collapsed."""
    words = _PUNCT.sub("", text.lower()).split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def actors_of(marked: str) -> set[str]:
    """The normalised source and target span strings of a marked sentence (empty ones dropped)."""
    found = {normalise_actor(_MARKER.sub("", m.group(2))) for m in _SPAN.finditer(marked)}
    return found - {""}


def shingles(sentence: str, n: int = SHINGLE) -> frozenset[tuple[str, ...]]:
    """Word n-shingles of the lower-cased sentence; one shingle of all words when fewer than n."""
    words = _WORD.findall(sentence.lower())
    if len(words) < n:
        return frozenset([tuple(words)]) if words else frozenset()
    return frozenset(tuple(words[i:i + n]) for i in range(len(words) - n + 1))


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _union(parent: list[int], a: int, b: int) -> None:
    ra, rb = _find(parent, a), _find(parent, b)
    if ra != rb:
        parent[max(ra, rb)] = min(ra, rb)


def near_duplicate_pairs(sentences: Sequence[str], threshold: float = NEAR_DUPLICATE,
                         ) -> list[tuple[int, int]]:
    """Pairs (i < j) whose shingle Jaccard is >= ``threshold``; only rows sharing a shingle
    are compared."""
    sets = [shingles(s) for s in sentences]
    index: dict[tuple[str, ...], list[int]] = {}
    for i, s in enumerate(sets):
        for sh in s:
            index.setdefault(sh, []).append(i)
    pairs = []
    for i, s in enumerate(sets):
        shared = Counter(j for sh in s for j in index[sh] if j > i)
        pairs += [(i, j) for j, c in sorted(shared.items())
                  if c / (len(s) + len(sets[j]) - c) >= threshold]
    return pairs


def groups_of(marked: Sequence[str]) -> list[list[int]]:
    """Connected components of "near-duplicate sentence or shared actor string", each sorted,
    listed by their lowest row."""
    parent = list(range(len(marked)))
    for i, j in near_duplicate_pairs([sentence_of(m) for m in marked]):
        _union(parent, i, j)
    first_with: dict[str, int] = {}
    for i, m in enumerate(marked):
        for actor in sorted(actors_of(m)):
            _union(parent, first_with.setdefault(actor, i), i)
    members: dict[int, list[int]] = {}
    for i in range(len(marked)):
        members.setdefault(_find(parent, i), []).append(i)
    return sorted(members.values(), key=lambda g: g[0])


def grouped_folds(marked: Sequence[str], k: int) -> Split:
    """``k`` folds of whole groups, balanced by rows (largest group first, to the smallest fold)."""
    groups = groups_of(marked)
    if k < 2 or k > len(groups):
        raise EventwireError("E506", f"cannot make {k} grouped folds from {len(groups)} groups",
                             "use --cv between 2 and the number of groups, e.g. --cv 5")
    folds: list[list[int]] = [[] for _ in range(k)]
    for group in sorted(groups, key=lambda g: (-len(g), g[0])):
        smallest = min(range(k), key=lambda f: (len(folds[f]), f))
        folds[smallest] += group
    return Split([sorted(f) for f in folds], groups)
