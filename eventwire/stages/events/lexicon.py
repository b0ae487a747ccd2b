"""The events stage's data: trigger lexicon and cue tables (``data/events/*.toml``).

Loaded once per process through ``Resources.get``; everything here is read-only. The
lexicon is checked against the ontology when it loads, so a typo in a type, mode or
context name fails loudly (E036) instead of silently coding nothing.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources as pkg_resources
from typing import TYPE_CHECKING, Any

from eventwire import ontology
from eventwire.errors import EventwireError
from eventwire.resources import Resources

DATA_DIR = "data/events"
RESOURCE = "events.lexicon"

if TYPE_CHECKING:
    from spacy.tokens import Token


@dataclass(frozen=True)
class Sense:
    """One reading of a trigger word (see the header of triggers.toml)."""

    lemma: str
    pos: str
    types: tuple[str, ...]
    mode: str | None = None
    context: tuple[str, ...] = ()
    sym: bool = False
    needs: frozenset[str] = frozenset()
    obj: frozenset[str] = frozenset()
    not_obj: frozenset[str] = frozenset()
    of: str = "recipient"
    rprep: frozenset[str] = frozenset()
    if_context: dict[str, str] = field(default_factory=dict)
    prior: float = 0.5
    light: bool = True
    topic_object: bool = False
    needs_recipient: bool = False
    lone_type: str | None = None
    no_clause: bool = False
    named_pair: bool = False
    reverse: bool = False
    obj_rprep: frozenset[str] = frozenset()
    obj_thing: bool = False
    poss: str = "actor"

    @property
    def type(self) -> str:
        return self.types[0]


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, tuple[Sense, ...]]
    nouns: dict[str, tuple[Sense, ...]]
    cues: dict[str, Any]
    irregular: dict[str, tuple[str, ...]]
    verb_index: dict[str, str] = field(default_factory=dict)
    verb_lemmas: frozenset[str] = frozenset()

    def senses(self, pos: str, text: str, lemma: str) -> tuple[Sense, ...]:
        """Senses of a token: verbs by lemma (see :meth:`lemma`), nouns by lower-cased text
        then lemma."""
        if pos == "VERB":
            return self.verbs.get(lemma, ())
        return self.nouns.get(text, ()) or self.nouns.get(lemma, ())

    def lemma(self, tok: Token) -> str:
        """The token's lower-cased lemma; a verb form whose spaCy lemma is unknown to the
        lexicon but that inflects exactly one known verb gets that verb ("staged" -> "stage",
        where the lemmatizer says "stag")."""
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("VERB", "AUX") and lemma not in self.verb_lemmas:
            return self.verb_index.get(tok.lower_, lemma)
        return lemma

    def words(self, *path: str) -> frozenset[str]:
        """A word list from the cue tables, e.g. ``words("modality", "future", "aux")``."""
        node: Any = self.cues
        for key in path:
            node = node.get(key, {}) if isinstance(node, dict) else {}
        return frozenset(node) if isinstance(node, list) else frozenset()


def verbal(tok: Token) -> bool:
    """A verb, or a word the tagger took for a noun although it has the infinitive "to"
    ("Hamas members tried to storm/NOUN a camp")."""
    return tok.pos_ == "VERB" or (tok.pos_ == "NOUN" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in tok.children))


def _read(name: str) -> dict[str, Any]:
    path = pkg_resources.files("eventwire").joinpath(f"{DATA_DIR}/{name}")
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise EventwireError(
            "E035", f"events data file {name} cannot be read: {exc}",
            "reinstall eventwire or fix the file in eventwire/data/events/") from exc


def _classes(raw: dict[str, Any], words: list[str]) -> frozenset[str]:
    out: set[str] = set()
    for word in words:
        out.update(raw["classes"].get(word[1:], []) if word.startswith("@") else [word])
    return frozenset(out)


def _sense(raw: dict[str, Any], lemma: str, pos: str, spec: dict[str, Any]) -> Sense:
    types = tuple(spec["types"])
    rprep = spec.get("rprep", raw["defaults"]["rprep"].get(types[0], []))
    prior = spec.get("prior", raw["defaults"]["prior_verb" if pos == "VERB" else "prior_noun"])
    return Sense(
        lemma=lemma, pos=pos, types=types, mode=spec.get("mode"),
        context=tuple(spec.get("context", ())), sym=bool(spec.get("sym", False)),
        needs=frozenset(spec.get("needs", ())), obj=_classes(raw, spec.get("obj", [])),
        not_obj=_classes(raw, spec.get("not_obj", [])),
        of=spec.get("of", "participant" if spec.get("sym") else "recipient"),
        rprep=frozenset(rprep), if_context=dict(spec.get("if_context", {})),
        prior=float(prior), light=bool(spec.get("light", True)),
        topic_object=bool(spec.get("topic_object", False)),
        needs_recipient=bool(spec.get("needs_recipient", False)),
        lone_type=spec.get("lone_type"), no_clause=bool(spec.get("no_clause", False)),
        named_pair=bool(spec.get("named_pair", False)),
        reverse=bool(spec.get("reverse", False)),
        obj_rprep=frozenset(spec.get("obj_rprep", ())),
        obj_thing=bool(spec.get("obj_thing", False)), poss=spec.get("poss", "actor"))


def _table(raw: dict[str, Any], section: str, pos: str) -> dict[str, tuple[Sense, ...]]:
    out: dict[str, tuple[Sense, ...]] = {}
    for lemma, spec in raw[section].items():
        specs = spec if isinstance(spec, list) else [spec]
        out[lemma] = tuple(_sense(raw, lemma, pos, s) for s in specs)
    return out


def _check(senses: dict[str, tuple[Sense, ...]], onto: ontology.Ontology) -> None:
    for lemma, group in senses.items():
        for s in group:
            bad = [t for t in s.types if t not in onto.types]
            bad += [c for c in s.context if c not in onto.contexts]
            bad += [t for t in s.if_context.values() if t not in onto.types]
            bad += [s.lone_type] if s.lone_type and s.lone_type not in onto.types else []
            if s.mode and not any(s.mode in onto.types[t].modes for t in s.types
                                  if t in onto.types):
                bad.append(f"mode {s.mode} of {'/'.join(s.types)}")
            if bad:
                raise EventwireError("E036", f"trigger {lemma!r}: unknown {', '.join(bad)}",
                                     "use names from eventwire/data/plover.toml")


def load_lexicon(res: Resources | None = None) -> Lexicon:
    """Reads and checks the trigger lexicon and the cue tables."""
    raw = _read("triggers.toml")
    cues = _read("cues.toml")
    verbs = _table(raw, "verb", "VERB")
    irregular = {k: tuple(v) for k, v in cues.get("irregular", {}).items()}
    lex = Lexicon(verbs=verbs, nouns=_table(raw, "noun", "NOUN"), cues=cues,
                  irregular=irregular, verb_index=_verb_index(verbs, cues, irregular),
                  verb_lemmas=frozenset(_verb_lemmas(verbs, cues)))
    onto = ontology.load()
    _check(lex.verbs, onto)
    _check(lex.nouns, onto)
    return lex


def lexicon(res: Resources) -> Lexicon:
    """The lexicon, loaded once per process."""
    return res.get(RESOURCE, load_lexicon)


# ------------------------------------------------------------------ inflections

# cue tables whose entries are verb lemmas (the reverse index of verb forms covers them)
VERB_LISTS = (("light_verbs", "lemmas"), ("hosts", "lemmas"), ("reporting", "verbs"),
              ("verb_classes", "participate"), ("verb_classes", "group"),
              ("verb_classes", "travel"))


def _verb_lemmas(verbs: dict[str, Any], cues: dict[str, Any]) -> set[str]:
    out = set(verbs) | set(cues.get("governing", {}))
    for section, key in VERB_LISTS:
        out.update(cues.get(section, {}).get(key, ()))
    for spec in cues.get("modality", {}).values():
        if isinstance(spec, dict):
            out.update(spec.get("governors", ()))
    return out


def _verb_index(verbs: dict[str, Any], cues: dict[str, Any],
                irregular: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Surface form -> verb lemma for every verb the stage knows; a form two lemmas share
    is left out (it decides nothing)."""
    index: dict[str, str] = {}
    shared: set[str] = set()
    for lemma in sorted(_verb_lemmas(verbs, cues)):
        for form in verb_forms(lemma, irregular.get(lemma, ())):
            if index.setdefault(form, lemma) != lemma:
                shared.add(form)
    return {f: lemma for f, lemma in index.items() if f not in shared}


_VOWELS = frozenset("aeiou")


def verb_forms(lemma: str, irregular: tuple[str, ...] = ()) -> set[str]:
    """Every plausible inflection of a verb; over-generating is harmless for the cheap pass."""
    forms = {lemma, *irregular}
    if lemma.endswith("ee"):
        forms |= {lemma + "s", lemma + "d", lemma + "ing"}
    elif lemma.endswith("e"):
        stem = lemma[:-1]
        forms |= {lemma + "s", lemma + "d", stem + "ing"}
    elif lemma.endswith("y") and lemma[-2:-1] not in _VOWELS:
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
    else:
        es = "es" if lemma.endswith(("s", "sh", "ch", "x", "z", "o")) else "s"
        forms |= {lemma + es, lemma + "ed", lemma + "ing"}
        if len(lemma) > 2 and lemma[-1] not in _VOWELS | {"w", "x", "y"} \
                and lemma[-2] in _VOWELS and lemma[-3] not in _VOWELS:
            forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms


def noun_forms(word: str) -> set[str]:
    """The word and its plural (or singular, for a plural entry like "talks")."""
    forms = {word}
    if word.endswith("y") and word[-2:-1] not in _VOWELS:
        forms.add(word[:-1] + "ies")
    elif word.endswith(("s", "sh", "ch", "x", "z")):
        forms |= {word + "es", word[:-1]}
    else:
        forms.add(word + "s")
    return forms


def forms_of(lex: Lexicon) -> frozenset[str]:
    """Lower-cased surface forms of every trigger (verbs inflected, nouns with plurals)."""
    out: set[str] = set()
    for lemma in lex.verbs:
        out |= verb_forms(lemma, lex.irregular.get(lemma, ()))
    for word in lex.nouns:
        out |= noun_forms(word)
    return frozenset(out)
