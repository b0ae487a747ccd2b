"""Language of an article: a cheap English stopword test first, langdetect (seeded) after.

English news passes the stopword test in microseconds; anything else goes to langdetect
with a fixed seed on the detector itself, so the answer is the same on every run.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

_SAMPLE_CHARS = 3000
_MIN_WORDS = 3
_MIN_LETTERS = 12
_FAST_MIN_WORDS = 20
_FAST_EN_SHARE = 0.15
_PROSE_LOWER_SHARE = 0.3
_CAPS_SHARE = 0.7
_GLUE_EN_SHARE = 0.08
_MIN_WORDINESS = 0.85
_WORD = re.compile(r"[^\W\d_]+")
_CJK = frozenset({"zh-cn", "zh-tw", "ja", "ko"})
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_KANA = re.compile("[\u3040-\u30ff]")
# Frequent English function words that are rare as words in other Latin-script languages
# (so "a", "in", "is", "for", "at", "we", "was", "will", "her", "over" are left out).
_EN_STOPWORDS = frozenset({
    "about", "after", "against", "and", "are", "been", "before", "between", "both", "but", "by",
    "could", "did", "does", "during", "from", "had", "has", "have", "he", "his", "if", "into", "it",
    "its", "more", "most", "not", "of", "or", "our", "said", "says", "she", "should", "since",
    "some", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
    "those", "through", "to", "until", "were", "what", "when", "where", "which", "while", "who",
    "with", "would", "you"
})


@lru_cache(maxsize=1)
def _factory() -> Any:
    from langdetect import detector_factory

    detector_factory.init_factory()
    return detector_factory._factory


def english_share(text: str) -> tuple[int, float]:
    """(number of words, share of them that are common English function words)."""
    words = _WORD.findall(text[:_SAMPLE_CHARS].lower())
    if not words:
        return 0, 0.0
    return len(words), sum(w in _EN_STOPWORDS for w in words) / len(words)


def prose(text: str, title: str | None = None) -> str:
    """The part of ``title`` + ``text`` that reads as running prose: lines where at least
    30% of the words start in lower case (tables of names and scores are left out), in
    lower case when the text is mostly capitals (headline style confuses detectors)."""
    sample = f"{title}\n{text[:_SAMPLE_CHARS]}" if title else text[:_SAMPLE_CHARS]
    kept = [line for line in sample.splitlines() if _lower_share(line) >= _PROSE_LOWER_SHARE]
    if sum(len(_WORD.findall(line)) for line in kept) >= _MIN_WORDS:
        sample = "\n".join(kept)
    words = _WORD.findall(sample)
    if words and sum(w.isupper() for w in words) > _CAPS_SHARE * len(words):
        sample = sample.lower()
    return sample


def _lower_share(line: str) -> float:
    words = _WORD.findall(line)
    return sum(w[0].islower() for w in words) / len(words) if words else 0.0


def detect(text: str, title: str | None = None) -> str | None:
    """ISO 639-1 code of the article (``"en"``, ``"fr"``, ...), or None when there is too
    little running text to say (very short texts, tables of figures or results)."""
    count, share = english_share(text)
    if count >= _FAST_MIN_WORDS and share >= _FAST_EN_SHARE:
        return "en"
    sample = prose(text, title)
    count, share = english_share(sample)
    if sum(map(len, _WORD.findall(sample))) < _MIN_LETTERS:
        return None
    if count >= _FAST_MIN_WORDS and share >= _FAST_EN_SHARE:
        return "en"
    if share >= _GLUE_EN_SHARE:
        return "en"  # before langdetect, which could only agree (tables with English glue)
    if _wordiness(sample) < _MIN_WORDINESS:
        return None  # a table of figures: too little running text, and langdetect is slow
    found = _langdetect(sample)
    if found == "en":
        return "en"
    if found is None:
        return None
    return _cjk_by_script(sample, found) if found in _CJK else found


def _cjk_by_script(sample: str, found: str) -> str:
    """langdetect confuses Chinese, Japanese and Korean on short texts; the script decides:
    Hangul is Korean, kana Japanese, Han characters alone Chinese."""
    if _HANGUL.search(sample):
        return "ko"
    if _KANA.search(sample):
        return "ja"
    return found if found.startswith("zh") else "zh-cn"


def _wordiness(sample: str) -> float:
    """Share of the visible characters that are letters (low for tables of figures)."""
    visible = [c for c in sample if not c.isspace()]
    return sum(c.isalpha() for c in visible) / len(visible) if visible else 0.0


def _langdetect(sample: str) -> str | None:
    from langdetect.lang_detect_exception import LangDetectException

    detector = _factory().create()
    detector.seed = 0
    detector.append(sample)
    try:
        found = str(detector.detect())
    except LangDetectException:
        return None
    return None if found == "unknown" else found


def letter_fit(candidates: list[str]) -> list[float]:
    """For decodings of the same bytes in different code pages: how well each one's
    non-ASCII letters fit the language of the text (mean frequency of those letters in
    langdetect's profile of it). "Ministři" beats "Ministøi" for Czech."""
    found = _langdetect(candidates[0][:_SAMPLE_CHARS]) if candidates else None
    if found is None:
        return [0.0 for _ in candidates]
    factory = _factory()
    index = factory.langlist.index(found)
    scores = []
    for text in candidates:
        letters = [c for c in text[:_SAMPLE_CHARS] if ord(c) > 127 and c.isalpha()]
        probs = [(factory.word_lang_prob_map.get(c) or [0.0] * (index + 1))[index]
                 for c in letters]
        scores.append(sum(probs) / len(probs) if probs else 0.0)
    return scores
