"""Input failure codes (E1xx): what went wrong with a file or record, and what to do.

A reader raises :class:`ReadFailure` for a record (or a whole file) it cannot read;
:func:`eventwire.ingest.read` turns it into a :class:`eventwire.model.Failure` and goes on
with the next record. Every code has a fixed reason and a hint users can act on.
"""

from __future__ import annotations

from eventwire.errors import InputError
from eventwire.model import Failure

#: code -> (reason, hint). Reasons are completed with a detail at the point of failure.
CODES: dict[str, tuple[str, str]] = {
    "E100": ("cannot open input",
             "check that the path exists and is readable"),
    "E101": ("file larger than limits.max_file_bytes",
             "split the file, or raise limits.max_file_bytes in your config"),
    "E102": ("empty file (zero bytes)",
             "remove the file or re-export it; nothing was read"),
    "E103": ("not a text file (binary content)",
             "convert it to text, HTML, JSON Lines, CSV, RSS/Atom or WARC first"),
    "E104": ("corrupt or truncated compressed data",
             "re-download or re-compress the file; records before the damage were read"),
    "E105": ("decompressed size over limits.max_decompressed_bytes (possible gzip bomb)",
             "check where the file came from; raise limits.max_decompressed_bytes if it is real"),
    "E106": ("text encoding could not be detected or repaired",
             "re-save the file as UTF-8"),
    "E107": ("record larger than limits.max_line_bytes",
             "split the record, or raise limits.max_line_bytes in your config"),
    "E108": ("invalid JSON",
             "fix the syntax of this record; a truncated last line means an interrupted export"),
    "E109": ("JSON record has the wrong shape",
             "each record must be an object with a string 'text' field (see --field-map)"),
    "E110": ("no article text",
             "the record has no text: map the text field with field_map / --text-column"),
    "E111": ("article longer than limits.max_article_chars",
             "split the article, or raise limits.max_article_chars in your config"),
    "E112": ("markup nested deeper than limits.max_html_depth",
             "this is usually a broken or hostile page; raise limits.max_html_depth if it is real"),
    "E113": ("XML entity declarations refused (entity expansion attack)",
             "news feeds and pages do not need <!ENTITY>; remove the DOCTYPE internal subset"),
    "E114": ("no main text found in the HTML page",
             "the page may be an index, a login wall or script-only; save the article page itself"),
    "E115": ("not a readable RSS/Atom feed",
             "check that the file or URL is a feed (RSS 2.0, RSS 1.0 or Atom)"),
    "E116": ("corrupt WARC data",
             "re-download the archive; records before the damage were read"),
    "E117": ("unreadable CSV",
             "give the text column with --text-column (or field_map) and check the quoting"),
    "E118": ("text does not look like natural language (control or symbol characters)",
             "check the encoding and that the file holds article text"),
    "E119": ("unknown input format",
             "use one of: reference, txt, jsonl, json, html, feed, warc, csv"),
    "E120": ("URL could not be read as an RSS/Atom feed",
             "URLs are read only for feeds; save other pages to a file and pass the file"),
    "E122": ("no articles found in the input",
             "check the format and the field names (--format, --field-map, --text-column)"),
    "E199": ("internal error in the reader",
             "this is a bug in eventwire: please report it with the input file"),
}


class ReadFailure(InputError):
    """A record or file that cannot be read; ``detail`` completes the code's reason."""

    def __init__(self, code: str, detail: str = "", where: str | None = None) -> None:
        reason, hint = CODES[code]
        message = f"{reason}: {detail}" if detail else reason
        super().__init__(code, message, hint, record=where)
        self.detail = detail

    def failure(self, path: str, where: str | None = None) -> Failure:
        """The stored form of this failure for ``path`` (``where`` locates the record)."""
        return Failure(path=path, code=self.code, reason=self.message, hint=self.hint,
                       record=self.record if self.record is not None else where)


def failure(path: str, code: str, detail: str = "", where: str | None = None) -> Failure:
    """A :class:`Failure` with the reason and hint of ``code``."""
    return ReadFailure(code, detail).failure(path, where)
