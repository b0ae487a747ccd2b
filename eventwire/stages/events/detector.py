"""The event detector: for each candidate (:mod:`.candidates`), no event or a PLOVER type.

A multinomial logistic regression over

- sparse features: the trigger lemma, its kind (verb, noun, light verb + noun), part of speech,
  dependency label and governor, voice, negation, modal and future auxiliaries, each
  dependent's label with its entity type ("nsubj:GPE", "prep:against:ORG"), the object's lemma,
  the trigger lexicon's types for the word (``lex:ASSAULT``: the lexicon is a feature here,
  not a gate), and, where the rule path made a candidate of that word, its type, whether it
  reached the stage's minimum confidence and the pair classifier's type (``rule:``, ``pair:``);
  the lemma joined with its voice, dependency label, subject and prepositions ("talks" with
  "between"); how many names the sentence holds (0, 1, 2+);
- dense features: the static word vector of the trigger and of its object
  (``data/models/word_vectors.*``).

Weights are data files (``data/models/event_detector.npz`` + ``.json``) written by
``training/train_event_detector.py``; the JSON keeps the labels, the feature vocabulary, the
acceptance threshold chosen by cross-validation and the training manifest. Prediction is
numpy only. :class:`Detection` runs it over a coded article's parsed sentences: a word the rules
already coded keeps the rules' event (they are the transparent override); every other candidate
the detector accepts is handed back to the events stage, which reads its parties.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import sparse

from eventwire.classifier import WordVectors, _models_dir, load_word_vectors
from eventwire.errors import EventwireError
from eventwire.resources import Resources
from eventwire.stages import Work
from eventwire.stages.events.candidates import Cand, CandidateWords, candidate_words, candidates
from eventwire.stages.events.lexicon import Lexicon, lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

FORMAT = "eventwire.event_detector.v1"
MODEL_NAME = "event_detector"
RESOURCE = "events.detector"
NONE = "NONE"
MODALS = frozenset({"will", "would", "may", "might", "could", "should", "must", "can", "shall"})
NAMED = frozenset({"GPE", "NORP", "ORG", "PERSON", "LOC", "FAC"})
ENTITY_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "agent", "poss", "pobj", "attr",
                         "dative", "npadvmod", "appos", "compound"})


@dataclass(frozen=True)
class RuleHint:
    """What the rule path said about a candidate's word: its type, the pair classifier's type
    (None where no pair was classified) and whether its confidence reached the stage's
    minimum."""

    type: str
    pair: str | None = None
    kept: bool = False


def features(cand: Cand, lex: Lexicon, hint: RuleHint | None = None,
             sentence: list[str] | None = None) -> list[str]:
    """The sparse features of one candidate (strings; see the module docstring);
    ``sentence``: :func:`sentence_features` of its doc, where the caller has them already."""
    tok = cand.token
    feats = [f"lemma={cand.lemma}", f"kind={cand.kind}", f"pos={tok.pos_}", f"dep={tok.dep_}",
             f"head={tok.head.lemma_.lower()}", f"head_dep={tok.head.dep_}"]
    if cand.light is not None:
        feats += ["kind=light", f"light={cand.light.lemma_.lower()}"]
    voice = _voice_and_modality(cand)
    feats += voice
    feats += _dependents(tok)
    feats += _conjoined(cand, "passive" in voice)
    feats += sentence if sentence is not None else sentence_features(tok.doc)
    feats += _lexicon_hits(tok, lex)
    if hint is not None:
        feats += [f"rule:{hint.type}", f"rule_kept={hint.kept}"]
        feats += [f"pair:{hint.pair}"] if hint.pair else []
    return feats


def _voice_and_modality(cand: Cand) -> list[str]:
    verb = cand.light if cand.light is not None else cand.token
    kids = list(verb.children)
    out = []
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in kids):
        out.append("passive")
    if any(c.dep_ == "neg" for c in kids) or any(c.dep_ == "neg" for c in verb.head.children
                                                 if verb.dep_ == "xcomp"):
        out.append("negated")
    out += [f"modal={c.lower_}" for c in kids if c.dep_ == "aux" and c.lower_ in MODALS]
    if verb.tag_ in ("VBG", "VBN") and not any(c.dep_.startswith("aux") for c in kids):
        out.append(f"bare_{verb.tag_}")  # reduced relatives, participles
    return out


def _dependents(tok: Token) -> list[str]:
    out = []
    for c in tok.children:
        out.append(f"ch:{c.dep_}")
        if c.dep_ in ENTITY_DEPS and c.ent_type_:
            out.append(f"ch:{c.dep_}:{c.ent_type_}")
        if c.dep_ == "dobj":
            out.append(f"obj={c.lemma_.lower()}")
        if c.dep_ in ("prep", "agent"):
            for g in c.children:
                if g.dep_ == "pobj":
                    out.append(f"prep:{c.lower_}:{g.ent_type_ or g.pos_}")
    return out


def _conjoined(cand: Cand, passive: bool) -> list[str]:
    """The trigger's lemma joined with its voice, its dependency label, its subject's head word
    and each preposition it takes ("attack+on", "talks+between", "kill+passive")."""
    tok, lemma = cand.token, cand.lemma
    out = [f"lemma_dep={lemma}:{tok.dep_}", f"lemma_voice={lemma}:{int(passive)}"]
    for c in tok.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            out.append(f"subj={c.ent_type_ or c.lemma_.lower()}")
            out.append(f"lemma_subj={lemma}:{c.ent_type_ or c.pos_}")
        elif c.dep_ in ("prep", "agent"):
            out.append(f"lemma_prep={lemma}:{c.lower_}")
    return out


def sentence_features(doc: Doc) -> list[str]:
    """How many names of states, groups, organisations and people the sentence (the parsed
    doc) holds: 0, 1 or 2+; and whether it is a question."""
    names = sum(1 for e in doc.ents if e.label_ in NAMED)
    out = [f"names={min(names, 2)}"]
    if doc.text.rstrip().endswith("?"):
        out.append("question")
    return out


def _lexicon_hits(tok: Token, lex: Lexicon) -> list[str]:
    pos = "VERB" if tok.pos_ == "VERB" else "NOUN"
    senses = lex.senses(pos, tok.lower_, lex.lemma(tok))
    if not senses:
        return ["lex:none"]
    return sorted({f"lex:{t}" for s in senses for t in s.types} | {f"lex1:{senses[0].type}"})


def dense(cand: Cand, vectors: WordVectors) -> np.ndarray:
    """The trigger's word vector beside its object's (zeros where a word is unknown)."""
    tok = cand.token
    obj = next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")), None)
    return np.concatenate([_vector(tok, vectors), _vector(obj, vectors)])


def _vector(tok: Token | None, vectors: WordVectors) -> np.ndarray:
    """The word's vector, its lemma's where the word is not in the table (zeros where neither
    is)."""
    if tok is None:
        return np.zeros(vectors.dim, np.float32)
    return vectors.word(tok.lower_, tok.lemma_.lower())


@dataclass
class Detector:
    """Trained weights: ``coef`` (labels x features), ``intercept``, the sparse vocabulary
    (its dense block follows it), the labels (``NONE`` first) and the acceptance threshold."""

    labels: list[str]
    vocab: dict[str, int]
    coef: np.ndarray
    intercept: np.ndarray
    threshold: float
    vectors: WordVectors
    manifest: dict[str, Any] = field(default_factory=dict)

    def design(self, rows: Sequence[Sequence[str]],
               dense_rows: Sequence[np.ndarray]) -> sparse.csr_matrix:
        return design(rows, dense_rows, self.vocab)

    def probs(self, rows: Sequence[Sequence[str]], dense_rows: Sequence[np.ndarray]) -> np.ndarray:
        if not rows:
            return np.zeros((0, len(self.labels)), np.float32)
        logits = np.asarray(self.design(rows, dense_rows) @ self.coef.T) + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        return np.asarray(e / e.sum(axis=1, keepdims=True))

    def decide(self, probs: np.ndarray) -> list[tuple[str, float]]:
        """(type, probability) per row where the row is accepted, else (NONE, P(NONE))."""
        return [decision(p, self.labels, self.threshold) for p in probs]


def decision(p: np.ndarray, labels: Sequence[str], threshold: float) -> tuple[str, float]:
    """The most probable type when the probability of some event is at least ``threshold``."""
    none = labels.index(NONE)
    event = 1.0 - float(p[none])
    masked = p.copy()
    masked[none] = -1.0
    best = int(np.argmax(masked))
    return (labels[best], event) if event >= threshold else (NONE, float(p[none]))


def design(rows: Sequence[Sequence[str]], dense_rows: Sequence[np.ndarray],
           vocab: dict[str, int]) -> sparse.csr_matrix:
    """Binary sparse block (known features only) beside the dense block."""
    indices: list[int] = []
    indptr = [0]
    for feats in rows:
        indices += sorted({vocab[f] for f in feats if f in vocab})
        indptr.append(len(indices))
    onehot = sparse.csr_matrix((np.ones(len(indices), np.float32), indices, indptr),
                               shape=(len(rows), len(vocab)))
    return sparse.hstack([onehot, sparse.csr_matrix(np.vstack(dense_rows))], format="csr")


def build_vocab(rows: Iterable[Sequence[str]], min_count: int) -> dict[str, int]:
    """Features seen at least ``min_count`` times, in sorted order (deterministic)."""
    counts: dict[str, int] = {}
    for feats in rows:
        for f in set(feats):
            counts[f] = counts.get(f, 0) + 1
    return {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= min_count))}


def save(det: Detector, directory: str | Path, name: str = MODEL_NAME) -> list[Path]:
    """Writes ``<name>.npz`` (weights) and ``<name>.json`` (labels, vocabulary, threshold,
    manifest); no pickle."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    npz, meta = folder / f"{name}.npz", folder / f"{name}.json"
    np.savez_compressed(npz, coef=det.coef.astype(np.float32),
                        intercept=det.intercept.astype(np.float32))
    doc = {"format": FORMAT, "labels": det.labels, "threshold": det.threshold,
           "vocab": sorted(det.vocab, key=det.vocab.__getitem__),
           "word_vectors_sha256": det.vectors.digest,
           "npz_sha256": hashlib.sha256(npz.read_bytes()).hexdigest(), "manifest": det.manifest}
    meta.write_text(json.dumps(doc, ensure_ascii=False, indent=0), "utf-8")
    return [npz, meta]


def load(directory: str | Path | None = None, name: str = MODEL_NAME) -> Detector:
    """Reads weights written by :func:`save` (default: those shipped in the package)."""
    folder = Path(directory) if directory else _models_dir()
    npz, meta = folder / f"{name}.npz", folder / f"{name}.json"
    if not npz.is_file() or not meta.is_file():
        raise EventwireError("E046", f"event detector {name!r} not found in {folder}",
                             "run training/train_event_detector.py, or set "
                             "[events] detector = \"off\"")
    doc = json.loads(meta.read_text("utf-8"))
    if doc.get("format") != FORMAT:
        raise EventwireError("E047", f"{meta} has format {doc.get('format')!r}, not {FORMAT}",
                             "retrain with training/train_event_detector.py")
    vectors = load_word_vectors()
    if doc.get("word_vectors_sha256") not in (None, vectors.digest):
        raise EventwireError("E047", f"{meta} was trained with other word vectors",
                             "retrain with training/train_event_detector.py")
    with np.load(npz, allow_pickle=False) as arrays:
        coef, intercept = arrays["coef"], arrays["intercept"]
    vocab = {f: i for i, f in enumerate(doc["vocab"])}
    return Detector(list(doc["labels"]), vocab, coef, intercept, float(doc["threshold"]),
                    vectors, dict(doc.get("manifest", {})))


# ---------------------------------------------------------------------- in the pipeline

@dataclass(frozen=True)
class Found:
    """A candidate the detector accepted: sentence index, its word, type and probability."""

    sentence: int
    cand: Cand
    type: str
    probability: float


def rule_hints(found: Iterable[Any], min_confidence: float) -> dict[tuple[int, int], RuleHint]:
    """(sentence index, token index) -> RuleHint, from the rule path's classified candidates
    (objects with ``sentence``, ``trigger``, ``type``, ``confidence`` and ``basis``)."""
    out: dict[tuple[int, int], RuleHint] = {}
    for c in found:
        key = (c.sentence.index, c.trigger.i)
        hint = RuleHint(c.type, c.basis.get("classifier"), c.confidence >= min_confidence)
        if key not in out or hint.kept:
            out[key] = hint
    return out


@dataclass
class Detection:
    """The detector with what it needs at run time (built once per process)."""

    model: Detector
    lex: Lexicon
    words: CandidateWords

    def examples(self, work: Work, hints: dict[tuple[int, int], RuleHint],
                 sentences: Iterable[int]) -> list[tuple[int, Cand, list[str], np.ndarray]]:
        """(sentence index, candidate, sparse features, dense features) of each candidate."""
        out = []
        for index in sentences:
            doc = work.docs[index]
            found = candidates(doc, self.words)
            whole = sentence_features(doc) if found else []
            for cand in found:
                out.append((index, cand, features(cand, self.lex, hints.get((index, cand.token.i)),
                                                  whole), dense(cand, self.model.vectors)))
        return out

    def accepted(self, work: Work, found: Sequence[Any], min_confidence: float,
                 sentences: Iterable[int]) -> list[Found]:
        """Candidates of ``sentences`` the detector accepts, except words the rules coded."""
        hints = rule_hints(found, min_confidence)
        rows = [r for r in self.examples(work, hints, sentences)
                if not (h := hints.get((r[0], r[1].token.i))) or not h.kept]
        probs = self.model.probs([r[2] for r in rows], [r[3] for r in rows])
        out = []
        for (index, cand, _, _), (label, p) in zip(rows, self.model.decide(probs), strict=True):
            if label != NONE:
                out.append(Found(index, cand, label, p))
        return out


def _tuned(model: Detector, res: Resources) -> Detector:
    """The model with ``[events] detector_threshold`` applied ("model" keeps its own)."""
    value = res.cfg["events"].get("detector_threshold", "model")
    if value == "model":
        return model
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
        raise EventwireError("E048", f"[events] detector_threshold = {value!r} is neither "
                             "\"model\" nor a probability between 0 and 1",
                             "set it to \"model\" or a number such as 0.7")
    return replace(model, threshold=float(value))


def detection(res: Resources) -> Detection | None:
    """The configured detector, or None when ``[events] detector = "off"`` (or "default" and
    no detector is installed; "on" raises E046 then)."""
    choice = str(res.cfg["events"].get("detector", "default"))
    if choice == "off":
        return None
    try:
        return res.get(RESOURCE, lambda r: Detection(_tuned(load(), r), lexicon(r),
                                                     candidate_words(r)))
    except EventwireError as exc:
        if choice == "default" and exc.code == "E046":
            return None
        raise
