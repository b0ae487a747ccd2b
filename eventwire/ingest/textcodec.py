"""Bytes to clean text: binary refusal by content, encoding detection and repair.

UTF-8 is tried first (the fast path); other encodings are detected with charset-normalizer
and refused when it finds none that decodes cleanly. Mojibake (UTF-8 read as cp1252 and
saved again) is repaired by ftfy, with settings that keep quotes, ligatures and widths as
written, so evidence quotes stay verbatim.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import charset_normalizer
import ftfy

from eventwire.ingest.failures import ReadFailure

# (magic bytes, offset, what it is). Checked on the (decompressed) head of every input.
_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\x1f\x8b", 0, "gzip data inside gzip"),
    (b"%PDF-", 0, "PDF document"),
    (b"\x89PNG\r\n\x1a\n", 0, "PNG image"),
    (b"\xff\xd8\xff", 0, "JPEG image"),
    (b"GIF87a", 0, "GIF image"),
    (b"GIF89a", 0, "GIF image"),
    (b"PK\x03\x04", 0, "ZIP archive (or docx/xlsx/epub)"),
    (b"PK\x05\x06", 0, "empty ZIP archive"),
    (b"7z\xbc\xaf\x27\x1c", 0, "7-Zip archive"),
    (b"Rar!\x1a\x07", 0, "RAR archive"),
    (b"BZh", 0, "bzip2 data"),
    (b"\xfd7zXZ\x00", 0, "xz data"),
    (b"\x28\xb5\x2f\xfd", 0, "zstd data"),
    (b"\x7fELF", 0, "ELF executable"),
    (b"MZ", 0, "Windows executable"),
    (b"\xca\xfe\xba\xbe", 0, "Java class or Mach-O binary"),
    (b"\xcf\xfa\xed\xfe", 0, "Mach-O binary"),
    (b"SQLite format 3\x00", 0, "SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "MS Office (OLE) document"),
    (b"OggS", 0, "Ogg media"),
    (b"RIFF", 0, "RIFF media (WAV/AVI/WebP)"),
    (b"ID3", 0, "MP3 audio"),
    (b"fLaC", 0, "FLAC audio"),
    (b"ftyp", 4, "MP4/QuickTime media"),
    (b"\x00asm", 0, "WebAssembly binary"),
    (b"PAR1", 0, "Parquet file"),
    (b"ARROW1", 0, "Arrow file"),
    (b"{\\rtf", 0, "RTF document"),
)
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_CONTROL_TABLE = bytes.maketrans(_CONTROL, b"\x00" * len(_CONTROL))
_MAX_CONTROL_SHARE = 0.02


def refuse_binary(head: bytes) -> None:
    """Raises E103 when ``head`` is a known binary format or holds NUL/control bytes."""
    for magic, offset, what in _MAGIC:
        if head[offset: offset + len(magic)] == magic and (magic != b"MZ" or b"\x00" in head):
            raise ReadFailure("E103", what)
    sample = head[:8192]
    if b"\x00" in sample:
        raise ReadFailure("E103", "NUL bytes in the content")
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    if sample and controls > _MAX_CONTROL_SHARE * len(sample):
        raise ReadFailure("E103", f"{controls} control bytes in the first {len(sample)}")


def decode(data: bytes, declared: str | None = None) -> str:
    """Decodes ``data``: UTF-8, else ``declared`` (an HTTP/HTML charset), else detected."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    encoding = detect_encoding(data)
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise ReadFailure("E106", f"detected {encoding} but it does not decode") from exc


# Encodings news is actually published in, Western first. Among encodings that fit a text
# equally well, these win over rare code pages (hp_roman8, mac_iceland, cp850...), and
# cp1252 wins over cp1250 unless the language fit clearly says otherwise: short texts with a
# few accents fit many code pages.
_COMMON = ("cp1252", "iso8859_1", "iso8859_15", "cp1250", "iso8859_2", "cp1251", "koi8_r",
           "iso8859_5", "cp1253", "iso8859_7", "cp1254", "iso8859_9", "cp1255", "iso8859_8",
           "cp1256", "iso8859_6", "cp1257", "iso8859_13", "cp1258", "cp874", "tis_620",
           "cp932", "shift_jis", "euc_jp", "iso2022_jp", "gb18030", "gbk", "gb2312", "big5",
           "cp949", "euc_kr", "utf_16", "utf_32")
_TIE_CHAOS = 0.01
_TIE_COHERENCE = 0.05


def detect_encoding(data: bytes) -> str:
    """charset-normalizer's choice, with near-ties settled by :data:`_COMMON`."""
    matches = list(charset_normalizer.from_bytes(data))
    if not matches or matches[0].encoding is None:
        raise ReadFailure("E106", "no encoding decodes it cleanly")
    best = matches[0]
    tied = [m for m in matches if m.chaos <= best.chaos + _TIE_CHAOS]
    if best.encoding in _COMMON:
        tied = [m for m in tied if m.coherence >= best.coherence - _TIE_COHERENCE]
    names = [e for e in _COMMON if e in {m.encoding for m in tied}]
    if len(names) > 1:
        return _best_fit(data, names)
    return names[0] if names else best.encoding


def _best_fit(data: bytes, names: list[str]) -> str:
    """The encoding whose letters best fit the text's language; :data:`_COMMON` order
    among equals (so cp1252 when the accents say nothing)."""
    from eventwire.ingest.lang import letter_fit

    decoded: dict[str, str] = {}
    for name in names:
        try:
            decoded.setdefault(data.decode(name), name)
        except UnicodeDecodeError:
            continue
    if len(decoded) <= 1:
        return next(iter(decoded.values()), names[0])
    texts = list(decoded)
    scores = letter_fit(texts)
    return decoded[texts[max(range(len(texts)), key=lambda i: (scores[i], -i))]]


class LineDecoder:
    """Decodes the lines of one file: UTF-8, else the last encoding detected for a line of
    this file, else a fresh detection (so a cp1252 file is detected once, not per line)."""

    def __init__(self) -> None:
        self.fallback: str | None = None

    def __call__(self, data: bytes) -> str:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        if self.fallback:
            try:
                return data.decode(self.fallback)
            except UnicodeDecodeError:
                pass
        encoding = detect_encoding(data)
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ReadFailure("E106", f"detected {encoding} but it does not decode") from exc
        self.fallback = encoding
        return text


_BAD_CATEGORIES = frozenset({"Cc", "Co", "Cn", "Cs"})
_SYMBOL_CATEGORIES = frozenset({"So", "Sm", "Sk", "Sc"})
_MAX_BAD_SHARE = 0.01
_MAX_SYMBOL_SHARE = 0.2
_ORDINARY = re.compile(r"[\sA-Za-z0-9.,;:!?'\"()\-]+")


def garbage_reason(text: str) -> str | None:
    """Why ``text`` does not look like language (control, private-use, unassigned or
    replacement characters, or mostly symbols), or None when it looks fine."""
    rest = _ORDINARY.sub("", text)
    if not rest:
        return None
    visible = len(text) - sum(1 for c in text if c.isspace())
    if visible == 0:
        return None
    bad = symbols = 0
    for char in rest:
        category = unicodedata.category(char)
        if category in _BAD_CATEGORIES and char not in "\t\n\r" or char == "\ufffd":
            bad += 1
        elif category in _SYMBOL_CATEGORIES:
            symbols += 1
    if bad > _MAX_BAD_SHARE * visible:
        return f"{bad} control/unassigned/replacement characters in {visible}"
    if bad + symbols > _MAX_SYMBOL_SHARE * visible:
        return f"{bad + symbols} symbol characters in {visible}"
    return None


@lru_cache(maxsize=1)
def _fixer_config() -> ftfy.TextFixerConfig:
    return ftfy.TextFixerConfig(unescape_html="auto", uncurl_quotes=False,
                                fix_latin_ligatures=False, fix_character_width=False,
                                explain=False, normalization="NFC")


_SURROGATE = re.compile("[\ud800-\udfff]")
_TRAILING_SPACE = re.compile(r"[ \t\u00a0]+\n")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"\s+")


_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def repair(text: str) -> str:
    """ftfy repair (mojibake, line breaks, control characters, NFC); lone surrogates
    become U+FFFD so the text can always be encoded. Plain ASCII without entities needs
    none of it but the control characters removed (the fast path for English news)."""
    if text.isascii() and "&" not in text:
        return _ASCII_CONTROL.sub("", text)
    return _SURROGATE.sub("\ufffd", ftfy.fix_text(text, _fixer_config()))


def normalise_body(text: str) -> str:
    """Repaired text with ``\\n`` newlines, no trailing spaces and paragraphs separated by
    exactly one blank line."""
    text = _TRAILING_SPACE.sub("\n", repair(text).replace("\r", "\n"))
    return _MANY_NEWLINES.sub("\n\n", text).strip()


def clean_line(text: str) -> str:
    """A one-line field (title, author): repaired, whitespace collapsed."""
    return _SPACES.sub(" ", repair(text)).strip()
