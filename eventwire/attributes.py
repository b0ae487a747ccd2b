"""Faster stand-ins for the model's ``attribute_ruler`` and ``lemmatizer``, with the same output.

The English model's attribute ruler maps each fine-grained tag to its coarse part of speech
and morphology (a tag map: one pattern per tag), then applies about a hundred exceptions
("ain't", "gonna", "I" as a subject, ...). spaCy runs all of them through a Matcher, which
tries every pattern at every token, and sets every match in Python: about a tenth of the
whole model's time on news text.

:class:`FastAttributes` applies the tag map as one array lookup per Doc. The exceptions keep
spaCy's own rule list and attribute setter, in their original order (later rules still win),
but are matched by :class:`RuleIndex`, which looks up, for each token, only the rules whose
first token could match it (by its lower-case form, tag, dependency or whitespace).
:func:`speed_up` swaps it in when the model's rules have that shape (the tag map first) and
leaves the model alone otherwise; rules with pattern features the index does not know are
matched by spaCy's Matcher as before.

The rule lemmatizer caches only the words that are not already base forms, so most tokens
go through its Python rules every time (another tenth of the model's time).
:class:`FastLemmas` keeps the model's own lemmatizer and calls it once per (word, part of
speech, morphology), which is all its answer depends on, then sets lemmas by array.

``tests/test_attributes.py`` checks that tags, parts of speech, morphology and lemmas are
identical to the original pipeline's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens._retokenize import set_token_attrs

if TYPE_CHECKING:
    from spacy.strings import StringStore
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

NAME = "eventwire_attributes"
LEMMAS = "eventwire_lemmatizer"
_FIELDS = {"LOWER": LOWER, "TAG": TAG, "DEP": DEP, "IS_SPACE": IS_SPACE}
_COLUMN = {"LOWER": 0, "TAG": 1, "DEP": 2, "IS_SPACE": 3}
_INDEXED = ("LOWER", "TAG", "DEP", "IS_SPACE")  # most selective first
Check = Callable[[int], bool]
TokenChecks = list[tuple[int, Check]]  # (column, condition) for one token of a pattern


class FastAttributes:
    """Tag map by array lookup, then the remaining rules, indexed by their first token."""

    def __init__(self, vocab: Vocab, name: str = NAME) -> None:
        self.vocab, self.name = vocab, name
        self.table: dict[int, tuple[int, int]] = {}
        self.exceptions = AttributeRuler(vocab, name=f"{name}_exceptions")
        self.index: RuleIndex | None = None

    def copy_rules(self, patterns: list[dict[str, Any]]) -> None:
        """Takes the leading tag-map rules into the table and the rest as exceptions."""
        n = tag_map_length(patterns)
        for rule in patterns[:n]:
            tag = self.vocab.strings.add(rule["patterns"][0][0]["TAG"])
            attrs = rule["attrs"]
            self.table[tag] = (POS_IDS[attrs["POS"]], self.vocab.morphology.add(attrs["MORPH"]))
        self.exceptions.add_patterns(patterns[n:])
        self.index = RuleIndex.build(self.vocab.strings, patterns[n:])

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        tags = doc.to_array(TAG)
        values = doc.to_array([POS, MORPH])
        for i, tag in enumerate(tags.tolist()):
            hit = self.table.get(tag)
            if hit is not None:
                values[i] = hit
        doc.from_array([POS, MORPH], values.astype(np.uint64))  # type: ignore[arg-type]
        if self.index is None:
            return self.exceptions(doc)
        ruler = self.exceptions
        for rule, target in self.index.matches(doc, ruler.indices):
            set_token_attrs(doc[target], ruler.attrs[rule])
        return doc

    def pipe(self, docs: Any, batch_size: int = 128) -> Any:
        for doc in docs:
            yield self(doc)


class RuleIndex:
    """Matches fixed-length token patterns whose token conditions are on LOWER, TAG, DEP and
    IS_SPACE (a value, or IN / NOT_IN / REGEX): each pattern is filed under one value of its
    first token, so a token is checked only against the patterns that could start there."""

    def __init__(self, strings: StringStore) -> None:
        self.strings = strings
        self.filed: list[dict[int, list[tuple[int, list[TokenChecks]]]]] = [{}, {}, {}, {}]
        self.unfiled: list[tuple[int, list[TokenChecks]]] = []

    @classmethod
    def build(cls, strings: StringStore, rules: list[dict[str, Any]]) -> RuleIndex | None:
        """The index of ``rules`` (AttributeRuler pattern dicts, in order), or None when a
        pattern uses something it does not handle (operators, other attributes)."""
        index = cls(strings)
        for number, rule in enumerate(rules):
            for pattern in rule["patterns"]:
                compiled = [index._token(spec) for spec in pattern]
                if not pattern or any(c is None for c in compiled):
                    return None
                index._file(number, pattern[0], cast(list[TokenChecks], compiled))
        return index

    def matches(self, doc: Doc, indices: list[int]) -> Iterator[tuple[int, int]]:
        """(rule number, target token) of every match, rules in ascending order."""
        cols = doc.to_array([LOWER, TAG, DEP, IS_SPACE]).T.tolist()
        n = len(cols[0])
        found: list[tuple[int, int, int]] = []
        for start in range(n):
            for column, filed in enumerate(self.filed):
                for number, checks in filed.get(cols[column][start], ()):
                    self._try(number, checks, cols, start, n, found)
            for number, checks in self.unfiled:
                self._try(number, checks, cols, start, n, found)
        found.sort()
        for number, start, end in found:
            index = indices[number]
            target = start + index if index >= 0 else end + index
            if not start <= target < end:
                raise ValueError(f"attribute rule {number}: index {index} outside its match")
            yield number, target

    @staticmethod
    def _try(number: int, checks: list[TokenChecks], cols: list[list[int]], start: int, n: int,
             found: list[tuple[int, int, int]]) -> None:
        end = start + len(checks)
        if end > n:
            return
        for offset, token_checks in enumerate(checks):
            i = start + offset
            for column, check in token_checks:
                if not check(cols[column][i]):
                    return
        found.append((number, start, end))

    def _file(self, number: int, first: dict[str, Any], checks: list[TokenChecks]) -> None:
        for name in _INDEXED:
            value = first.get(name)
            if isinstance(value, (str, bool)):
                keys = [self._key(name, value)]
            elif isinstance(value, dict) and set(value) == {"IN"}:
                keys = [self._key(name, v) for v in value["IN"]]
            else:
                continue
            for key in keys:
                self.filed[_COLUMN[name]].setdefault(key, []).append((number, checks))
            return
        self.unfiled.append((number, checks))

    def _key(self, name: str, value: str | bool) -> int:
        if name == "IS_SPACE":
            return int(bool(value))
        return self.strings.add(str(value)) if value != "" else 0

    def _token(self, spec: dict[str, Any]) -> TokenChecks | None:
        checks: TokenChecks = []
        for name, value in spec.items():
            check = self._condition(name, value)
            if check is None:
                return None
            checks.append((_COLUMN[name], check))
        return checks

    def _condition(self, name: str, value: Any) -> Check | None:
        if name not in _FIELDS:
            return None
        if isinstance(value, (str, bool)):
            key = self._key(name, value)
            return lambda v: v == key
        if not isinstance(value, dict) or len(value) != 1:
            return None
        (op, arg), = value.items()
        if op in ("IN", "NOT_IN") and isinstance(arg, list):
            keys = frozenset(self._key(name, a) for a in arg)
            return (lambda v: v in keys) if op == "IN" else (lambda v: v not in keys)
        if op == "REGEX" and isinstance(arg, str) and name != "IS_SPACE":
            search, strings = re.compile(arg).search, self.strings
            memo: dict[int, bool] = {}

            def regex(v: int) -> bool:
                hit = memo.get(v)
                if hit is None:
                    hit = memo[v] = search(strings[v]) is not None
                return hit
            return regex
        return None


class FastLemmas:
    """The model's rule lemmatizer, asked once per (word, part of speech, morphology)."""

    def __init__(self, vocab: Vocab, name: str = LEMMAS) -> None:
        self.vocab, self.name = vocab, name
        self.lemmatizer: Lemmatizer | None = None
        self.memo: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        lemmatizer = self.lemmatizer
        if lemmatizer is None or not len(doc):
            return doc
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        overwrite = lemmatizer.overwrite
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma and not overwrite:
                continue
            key = (orth, pos, morph)
            hit = self.memo.get(key)
            if hit is None:
                hit = self.memo[key] = self.vocab.strings.add(lemmatizer.lemmatize(doc[i])[0])
            lemmas[i] = hit
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))  # type: ignore[arg-type]
        return doc

    def pipe(self, docs: Any, batch_size: int = 128) -> Any:
        for doc in docs:
            yield self(doc)


def tag_map_length(patterns: list[dict[str, Any]]) -> int:
    """How many leading rules are plain tag-map entries: one token, matched on its tag only,
    setting part of speech and morphology."""
    n = 0
    for rule in patterns:
        pats = rule["patterns"]
        if not (len(pats) == 1 and len(pats[0]) == 1 and set(pats[0][0]) == {"TAG"}
                and isinstance(pats[0][0]["TAG"], str) and set(rule["attrs"]) == {"POS", "MORPH"}
                and rule.get("index", 0) == 0 and rule["attrs"]["POS"] in POS_IDS):
            break
        n += 1
    return n


@Language.factory(NAME)
def _make(nlp: Language, name: str) -> FastAttributes:
    return FastAttributes(nlp.vocab, name)


@Language.factory(LEMMAS)
def _make_lemmas(nlp: Language, name: str) -> FastLemmas:
    return FastLemmas(nlp.vocab, name)


def speed_up(nlp: Language) -> Language:
    """Replaces ``attribute_ruler`` by :class:`FastAttributes` and a rule ``lemmatizer`` by
    :class:`FastLemmas`, in place, where they apply."""
    _speed_up_lemmas(nlp)
    if "attribute_ruler" not in nlp.pipe_names:
        return nlp
    patterns = cast(AttributeRuler, nlp.get_pipe("attribute_ruler")).patterns
    if tag_map_length(patterns) == 0:
        return nlp
    fast = cast(FastAttributes, nlp.add_pipe(NAME, before="attribute_ruler"))
    fast.copy_rules(patterns)
    nlp.remove_pipe("attribute_ruler")
    return nlp


def _speed_up_lemmas(nlp: Language) -> None:
    if "lemmatizer" not in nlp.pipe_names:
        return
    original = nlp.get_pipe("lemmatizer")
    # only these two are known to answer from the word, part of speech and morphology alone
    if type(original) not in (Lemmatizer, EnglishLemmatizer) \
            or cast(Lemmatizer, original).mode != "rule":
        return
    fast = cast(FastLemmas, nlp.add_pipe(LEMMAS, before="lemmatizer"))
    fast.lemmatizer = cast(Lemmatizer, nlp.remove_pipe("lemmatizer")[1])
