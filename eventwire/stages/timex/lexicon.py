"""The time-expression lexicon (eventwire/data/timex/lexicon.toml) and the regex fragments
built from it, plus the parsing of number words ("twenty-four", "a couple of", "2 1/2")."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from eventwire.errors import EventwireError

LEXICON_FILE = "timex/lexicon.toml"
CASED_MONTHS = ("may", "march")


@dataclass(frozen=True)
class Lexicon:
    """Word tables (lower case) and the regex fragments the grammar is written with."""

    tables: dict[str, dict[str, Any]]
    fragments: dict[str, str]
    tense: dict[str, frozenset[str]]

    def lookup(self, table: str, word: str) -> Any:
        return self.tables[table].get(_key(word))


def _key(word: str) -> str:
    return re.sub(r"\s+", " ", word.lower().replace("\u2019", "'")).strip(" .")


def load() -> Lexicon:
    """Reads the shipped lexicon and builds the fragments."""
    try:
        text = resources.files("eventwire.data").joinpath(LEXICON_FILE).read_text("utf-8")
        tables = tomllib.loads(text)
    except (FileNotFoundError, tomllib.TOMLDecodeError) as exc:
        raise EventwireError("E020", f"time lexicon {LEXICON_FILE} cannot be read: {exc}",
                             "reinstall eventwire or restore eventwire/data/timex/") from exc
    tense = {name: frozenset(words) for name, words in tables["tense"].items()}
    return Lexicon(tables, build_fragments(tables), tense)


def alt(words: list[str] | Any) -> str:
    """A non-capturing alternation, longest first, spaces matching any whitespace."""
    ordered = sorted(words, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered) + ")"


def capitalised(words: list[str] | Any) -> str:
    """Case-sensitive alternation of ``Word`` and ``WORD`` forms."""
    forms = [f for w in words for f in (w.capitalize(), w.upper())]
    return "(?-i:" + alt(forms)[3:]


def _title(phrase: str) -> str:
    """"new year's day" -> "New Year's Day"."""
    return " ".join(w[:1].upper() + w[1:] for w in phrase.split())


def build_fragments(t: dict[str, dict[str, Any]]) -> dict[str, str]:
    full = [m for m in t["month"] if len(m) > 4 or m in ("may", "june", "july")]
    abbrev = [m for m in t["month"] if m not in full]
    ones = [w for w, v in t["number"].items() if v < 20 and w not in ("dozen", "couple")]
    tens = [w for w, v in t["number"].items() if 20 <= v < 100]
    ordinals = [w for w in t["ordinal"] if t["ordinal"][w] > 0]
    word_num = (f"(?:{alt(tens)}(?:[\\s-]+{alt(ones)})?|{alt(ones)})"
                f"(?:[\\s-]+(?:hundred|thousand)(?:\\s+(?:and\\s+)?{alt(tens + ones)}"
                f"(?:[\\s-]+{alt(ones)})?)?)?")
    digits = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"
    f = {
        "MONTH_FULL": capitalised([m for m in full if m not in CASED_MONTHS])
        + "|" + capitalised(CASED_MONTHS),
        "MONTH_ABBR": capitalised(abbrev) + r"\.?",
        "WEEKDAY": capitalised(list(t["weekday"])),
        "WEEKDAY_ABBR": capitalised(list(t["weekday_abbrev"])) + r"\.",
        "SEASON": alt(list(t["season"])),
        "POD": alt([w for w in t["part_of_day"] if w not in ("midday", "overnight")]),
        "UNIT": alt(list(t["unit"])),
        "UNIT_SG": alt([u for u in t["unit"] if not u.endswith("s") and u != "millennia"]),
        "WORD_NUM": word_num,
        "DIGITS": digits,
        "ORD_WORD": alt(ordinals),
        "ORD_WORD_DAY": f"(?:(?:twenty|thirty)[\\s-]+{alt(ordinals)}|{alt(ordinals)})",
        "HOLIDAY": "(?-i:" + alt([_title(h) for h in t["holiday"]] +
                                 [h.upper() for h in t["holiday"]])[3:],
        "REF": alt(list(t["ref"])),
        "SET_WORD": alt(list(t["set_word"])),
        "TZ": alt(list(t["timezone"]["zones"])),
        "VAGUE": alt(list(t["vague_amount"])),
    }
    f["MONTH"] = f"(?:{f['MONTH_FULL']}|{f['MONTH_ABBR']})"
    teens = [w for w, v in t["number"].items() if 1 <= v < 20 and w not in ("dozen", "couple")]
    f["SPOKEN_YEAR"] = (f"(?:nineteen|eighteen)(?:\\s+hundred(?:\\s+and)?)?[\\s-]+"
                        f"(?:{alt(tens)}(?:[\\s-]+{alt(ones)})?|{alt(teens)})"
                        f"|two\\s+thousand(?:\\s+and)?(?:[\\s-]+{alt(teens)})?")
    f["NUM"] = (f"(?:{digits}|{word_num}|an?|a\\s+couple\\s+of|couple\\s+of|a\\s+dozen"
                f"|(?:a\\s+)?half(?:\\s+a)?|a\\s+few|{f['VAGUE']})")
    return f


def expand(pattern: str, fragments: dict[str, str]) -> str:
    """Replaces ``<NAME>`` placeholders with the named fragment (wrapped in a group); an
    apostrophe also matches the typographic one ("New Year’s Day", "the ’90s")."""
    def sub(m: re.Match[str]) -> str:
        return "(?:" + fragments[m.group(1)] + ")"
    return re.sub(r"(?<!\?P)<([A-Z_]+)>", sub, pattern).replace("'", "['\u2019]")


def parse_number(text: str, lex: Lexicon) -> float | None:
    """The value of a number phrase; ``None`` for vague amounts ("several", "a few")."""
    s = _key(text).replace(",", "")
    s = re.sub(r"^(?:a|an)\s+(?=couple|dozen|few|half)", "", s)
    s = re.sub(r"\s+of$", "", s)
    if s in ("a", "an", "one"):
        return 1.0
    if s.startswith("half"):
        return 0.5
    if s in lex.tables["vague_amount"] or s == "few":
        return None
    frac = re.fullmatch(r"(\d+)\s+(\d)/(\d)", s)
    if frac:
        return int(frac.group(1)) + int(frac.group(2)) / int(frac.group(3))
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return float(s)
    return _word_number(s, lex)


def _word_number(s: str, lex: Lexicon) -> float | None:
    total, current = 0, 0
    for word in re.split(r"[\s-]+", s):
        if word == "and":
            continue
        value = lex.tables["number"].get(word)
        if value is None:
            return None
        if value in (100, 1000):
            current = max(current, 1) * value
            if value == 1000:
                total, current = total + current, 0
        else:
            current += value
    return float(total + current)


def parse_spoken_year(text: str, lex: Lexicon) -> int | None:
    """1996 for "nineteen ninety-six", 2003 for "two thousand and three"."""
    s = _key(text)
    m = re.fullmatch(r"two\s+thousand(?:\s+and)?(?:[\s-]+(.+))?", s)
    if m:
        rest = _word_number(m.group(1), lex) if m.group(1) else 0.0
        return None if rest is None else 2000 + int(rest)
    m = re.fullmatch(r"(nineteen|eighteen)(?:\s+hundred(?:\s+and)?)?[\s-]+(.+)", s)
    if not m:
        return None
    rest = _word_number(m.group(2), lex)
    return None if rest is None else lex.tables["number"][m.group(1)] * 100 + int(rest)


def parse_ordinal(text: str, lex: Lexicon) -> int | None:
    """1 for "first"/"1st", 23 for "twenty-third"; -1 for "last"/"final"."""
    s = _key(text)
    m = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?", s)
    if m:
        return int(m.group(1))
    parts = re.split(r"[\s-]+", s)
    value = lex.tables["ordinal"].get(parts[-1])
    if value is None:
        return None
    return value + (lex.tables["number"].get(parts[0], 0) if len(parts) == 2 else 0)
