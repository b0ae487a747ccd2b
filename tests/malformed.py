"""Generates a corpus of malformed inputs for the ingest readers (and the ingest CLI).

``generate(dir, seed)`` writes well over 200 files: zero-byte files, random bytes, binaries
named as text, truncated and corrupt gzip, gzip bombs, invalid and truncated JSON, XML/HTML
entity bombs and deep nesting, broken WARC archives, huge single lines, wrong and
unrepairable encodings, broken CSV. Each file name says what reading it must give:

    ``<n>-<kind>-ok<k>[-fail].<ext>``

``ok<k>``: exactly k good articles (``okx``: any number, for damage whose position decides
how much is readable); ``-fail``: at least one Failure. Files without ``-fail`` are
*repairable* inputs (wrong encodings, mojibake) that must give their articles and no
Failure. Read them with :data:`LIMITS`, which the bombs and huge lines are sized against.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import random
import re
import zlib
from collections.abc import Callable
from pathlib import Path

#: Limits the corpus is sized for (small, so bombs and huge lines stay quick to refuse).
LIMITS = {
    "max_file_bytes": 50_000_000,
    "max_decompressed_bytes": 4_000_000,
    "max_article_chars": 200_000,
    "max_html_depth": 400,
    "max_line_bytes": 1_000_000,
}

_NAME = re.compile(r"-ok(\d+|x)(-fail|-any)?\.")

_OFFICIALS = ("Foreign Minister Anna Keller", "Defence Minister Omar Haddad",
              "Prime Minister Lena Varga", "Interior Minister Tomas Novak",
              "President Amina Diallo", "UN envoy Pedro Alves", "General Yusuf Kaya")
_VERBS = ("met", "criticised", "welcomed", "accused", "praised", "warned", "thanked")
_OTHERS = ("the visiting delegation", "opposition leaders", "the neighbouring government",
           "aid agencies", "rebel commanders", "the central bank", "local officials")
_PLACES = ("Vienna", "Nairobi", "Baku", "Lima", "Hanoi", "Rabat", "Tallinn", "Accra")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def expected(path: Path) -> tuple[int | None, bool | None]:
    """(number of good articles or None for any, whether a Failure must appear: None when
    it may or may not, for the ``-any`` mutations)."""
    match = _NAME.search(path.name)
    if match is None:
        raise ValueError(f"not a generated file name: {path.name}")
    count = None if match.group(1) == "x" else int(match.group(1))
    return count, None if match.group(2) == "-any" else bool(match.group(2))


def sentence(rng: random.Random) -> str:
    return (f"{rng.choice(_OFFICIALS)} {rng.choice(_VERBS)} {rng.choice(_OTHERS)} in "
            f"{rng.choice(_PLACES)} on {rng.choice(_DAYS)}, officials said.")


def article_text(rng: random.Random, sentences: int = 6) -> str:
    paragraphs = [" ".join(sentence(rng) for _ in range(2)) for _ in range(sentences // 2)]
    return "\n\n".join(paragraphs)


def good_line(rng: random.Random) -> bytes:
    record = {"id": f"g{rng.randrange(10**9)}", "title": sentence(rng)[:60],
              "text": article_text(rng), "published": "2024-05-06"}
    return json.dumps(record).encode("utf-8") + b"\n"


class _Writer:
    """Numbers and writes the files of one corpus."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.paths: list[Path] = []

    def add(self, kind: str, ok: int | str, fail: bool, ext: str, data: bytes) -> None:
        name = f"{len(self.paths):03d}-{kind}-ok{ok}{'-fail' if fail else ''}{ext}"
        path = self.folder / name
        path.write_bytes(data)
        self.paths.append(path)


def generate(folder: Path, seed: int) -> list[Path]:
    """Writes the corpus into ``folder`` (created if needed); returns the file paths."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    out = _Writer(folder)
    for part in _PARTS:
        part(out, rng)
    return out.paths


# --- the parts of the corpus ---------------------------------------------------------

_EXTS = (".txt", ".jsonl", ".json", ".html", ".xml", ".csv", ".warc", ".gz")


def _zero_bytes(out: _Writer, rng: random.Random) -> None:
    for ext in (*_EXTS, ".warc.gz"):
        out.add("zero-bytes", 0, True, ext, b"")


def _random_bytes(out: _Writer, rng: random.Random) -> None:
    for ext in _EXTS:
        for _ in range(4):
            data = bytearray(rng.randbytes(rng.randrange(64, 4096)))
            data[rng.randrange(len(data))] = 0
            if data[:2] == b"\x1f\x8b":
                data[0] = 0
            out.add("random-bytes", 0, True, ext, bytes(data))


_MAGICS = {
    "png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-1.7\n", "zip": b"PK\x03\x04",
    "elf": b"\x7fELF\x02\x01\x01", "jpeg": b"\xff\xd8\xff\xe0", "gif": b"GIF89a",
    "sqlite": b"SQLite format 3\x00", "ole": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    "mp3": b"ID3\x03\x00", "7z": b"7z\xbc\xaf\x27\x1c",
}


def _binaries(out: _Writer, rng: random.Random) -> None:
    for kind, magic in _MAGICS.items():
        for ext in (".txt", ".html", ".jsonl"):
            out.add(f"binary-{kind}", 0, True, ext, magic + rng.randbytes(512))


def _gzip(out: _Writer, rng: random.Random) -> None:
    body = b"".join(good_line(rng) for _ in range(40))
    packed = gzip.compress(body, mtime=0)
    for share in (0.3, 0.6, 0.9):
        for _ in range(3):
            cut = int(len(packed) * share) + rng.randrange(-20, 20)
            out.add("gzip-truncated", "x", True, ".jsonl.gz", packed[:cut])
    for _ in range(5):
        damaged = bytearray(packed)
        for _ in range(8):
            damaged[rng.randrange(20, len(damaged) - 10)] ^= 0xFF
        out.add("gzip-corrupt", "x", True, ".jsonl.gz", bytes(damaged))
    for _ in range(3):
        out.add("gzip-bad-header", 0, True, ".txt.gz", b"\x1f\x8b\x09" + rng.randbytes(200))
    bomb = _bomb(LIMITS["max_decompressed_bytes"] * 3)
    out.add("gzip-bomb-newlines", 0, True, ".jsonl.gz", bomb)
    out.add("gzip-bomb-newlines", 0, True, ".txt.gz", bomb)
    out.add("gzip-bomb-spaces", 0, True, ".csv.gz", _bomb(LIMITS["max_decompressed_bytes"] * 3,
                                                          b" " * 1023 + b"\n"))
    inner = gzip.compress(body, mtime=0)
    out.add("gzip-nested", 0, True, ".jsonl.gz", gzip.compress(inner, mtime=0))
    out.add("gzip-nested", 0, True, ".txt.gz", gzip.compress(inner, mtime=0))
    out.add("gzip-of-png", 0, True, ".txt.gz",
            gzip.compress(_MAGICS["png"] + rng.randbytes(300), mtime=0))


def _bomb(size: int, unit: bytes = b"\n" * 1024) -> bytes:
    """A gzip stream of ``size`` bytes made of ``unit``, compressed in chunks."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = unit * max((1 << 20) // len(unit), 1)
    parts = [compressor.compress(chunk) for _ in range(size // len(chunk) + 1)]
    return b"".join(parts) + compressor.flush()


def _jsonl_lines(rng: random.Random) -> dict[str, bytes]:
    """One bad JSON line per kind."""
    text = article_text(rng)
    good = json.dumps({"text": text})
    return {
        "missing-brace": good[:-1].encode(),
        "trailing-comma": b'{"text": "Ministers met.", }',
        "single-quotes": b"{'text': 'Ministers met in Vienna.'}",
        "unquoted-key": b'{text: "Ministers met in Vienna."}',
        "nan-text": b'{"text": NaN}',
        "array": b'["Ministers met in Vienna."]',
        "number": b"42",
        "string": b'"Ministers met in Vienna."',
        "null": b"null",
        "text-number": b'{"text": 12345}',
        "text-null": b'{"text": null}',
        "text-missing": b'{"title": "Ministers meet", "body_html": "<p>x</p>"}',
        "text-empty": b'{"text": ""}',
        "text-blank": b'{"text": "   \\n\\t  "}',
        "text-object": b'{"text": {"p": "Ministers met."}}',
        "deep-nesting": b"[" * 100_000 + b"]" * 100_000,
        "huge-int": b'{"text": "Ministers met.", "n": ' + b"9" * 5000 + b"}",
        "bad-escape": b'{"text": "Ministers \\x met."}',
        "control-text": json.dumps({"text": "".join(chr(rng.randrange(1, 31)) for _ in range(300))
                                    }).encode(),
        "lone-surrogate": b'{"text": "\\ud800"}',
        "huge-line": b'{"text": "' + b"word " * (LIMITS["max_line_bytes"] // 4) + b'"}',
        "too-long-text": json.dumps({"text": "Ministers met. " * 15_000}).encode(),
    }


def _jsonl(out: _Writer, rng: random.Random) -> None:
    for _ in range(2):
        for kind, bad in _jsonl_lines(rng).items():
            data = good_line(rng) + bad + b"\n" + good_line(rng)
            out.add(f"jsonl-{kind}", 2, True, ".jsonl", data)
    for _ in range(3):
        line = good_line(rng)
        out.add("jsonl-truncated-last", 2, True, ".jsonl",
                good_line(rng) + good_line(rng) + line[: rng.randrange(5, len(line) - 5)])


def _json(out: _Writer, rng: random.Random) -> None:
    one = json.dumps({"title": "Talks", "text": article_text(rng)}).encode()
    cases: dict[str, tuple[int, bytes]] = {
        "truncated-array": (1, b"[" + one + b", " + one[: len(one) // 2]),
        "array-of-numbers": (0, b"[1, 2, 3]"),
        "array-mixed": (1, b"[" + one + b', "text", null]'),
        "object-without-text": (0, b'{"title": "Talks in Vienna", "summary": 3}'),
        "invalid": (0, b'{"text": "Talks" "title": }'),
        "empty-array": (0, b"[]"),
        "empty-object": (0, b"{}"),
        "oversized-element": (1, b"[" + one + b', {"text": "' + b"a " * LIMITS["max_line_bytes"]
                                 + b'"}]'),
        "unclosed-string": (0, b'[{"text": "Ministers met in Vienna'),
        "deep-object": (0, b'{"a":' * 50_000 + b"1" + b"}" * 50_000),
        "null": (0, b"null"),
        "number": (0, b"42"),
    }
    for kind, (ok, data) in cases.items():
        out.add(f"json-{kind}", ok, True, ".json", data)


_LAUGHS = ("<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
           + "".join(f"<!ENTITY lol{i} \"{('&lol' + str(i - 1) + ';') * 10}\">"
                     for i in range(1, 10)).replace("&lol0;", "&lol;") + "]>")


def _xml_bombs(out: _Writer, rng: random.Random) -> None:
    feed_body = "<rss version=\"2.0\"><channel><title>&lol9;</title><item><title>x</title>" \
                "<description>&lol9;</description></item></channel></rss>"
    quadratic = ("<!DOCTYPE q [<!ENTITY a \"" + "a" * 50_000 + "\">]>")
    xxe = "<!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
    for variant in range(2):
        decl = "<?xml version=\"1.0\"?>" if variant else ""
        out.add("xml-billion-laughs", 0, True, ".xml", (decl + _LAUGHS + feed_body).encode())
        out.add("html-billion-laughs", 0, True, ".html",
                (_LAUGHS + "<html><body><p>&lol9;</p></body></html>").encode())
        out.add("rss-quadratic-blowup", 0, True, ".rss",
                (decl + quadratic + feed_body.replace("&lol9;", "&a;" * 2000)).encode())
        out.add("xml-external-entity", 0, True, ".xml",
                (decl + xxe + feed_body.replace("&lol9;", "&xxe;")).encode())
        out.add("html-external-entity", 0, True, ".html",
                (xxe + "<html><body><p>&xxe;</p></body></html>").encode())


def _deep_markup(out: _Writer, rng: random.Random) -> None:
    words = article_text(rng)
    for depth in (2_000, 20_000):
        out.add("html-deep-divs", 0, True, ".html",
                ("<html><body>" + "<div>" * depth + words + "</div>" * depth
                 + "</body></html>").encode())
        out.add("xml-deep-elements", 0, True, ".xml",
                ("<rss version=\"2.0\"><channel><item><description>" + "<b>" * depth + "</b>"
                 * depth + "</description></item></channel></rss>").encode())
        out.add("html-deep-unclosed-spans", 0, True, ".html",
                ("<html><body><p>" + "<span>x" * depth + "</p></body></html>").encode())


def _bad_html(out: _Writer, rng: random.Random) -> None:
    for _ in range(2):
        script = "<script>" + "var x = 1;\n" * rng.randrange(40_000, 60_000) + "</script>"
        out.add("html-script-only", 0, True, ".html",
                f"<html><head>{script}</head><body>{script}</body></html>".encode())
        page = f"<html><head><title>Talks</title><style>p {{}}</style></head><body><p>" \
               f"{article_text(rng)}</p></body></html>"
        out.add("html-truncated-in-head", 0, True, ".html", page[: page.index("<style>") + 9]
                .encode())
        out.add("html-empty-body", 0, True, ".html",
                b"<!DOCTYPE html><html><head><title>Nothing</title></head><body></body></html>")


def _feeds(out: _Writer, rng: random.Random) -> None:
    item = "<item><title>Talks</title><description>{}</description></item>"
    good = item.format(article_text(rng))
    rss = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title>{}" \
          "</channel></rss>"
    out.add("feed-no-entries", 0, True, ".xml", rss.format("").encode())
    out.add("feed-empty-descriptions", 0, True, ".xml",
            rss.format(item.format("") * 3).encode())
    out.add("feed-one-empty-entry", 1, True, ".rss", rss.format(good + item.format("")).encode())
    full = rss.format(good * 3).encode()
    out.add("feed-truncated", "x", True, ".xml", full[: int(len(full) * 0.7)])
    out.add("feed-sitemap", 0, True, ".xml",
            b"<?xml version=\"1.0\"?><urlset><url><loc>https://example.org/a</loc></url>"
            b"</urlset>")
    out.add("feed-not-xml", 0, True, ".rss", b"<rss <<< this is not XML at all >>>")
    out.add("feed-binary-entity", 0, True, ".xml",
            rss.format(item.format("&#0;&#1;&#2;" * 50)).encode())
    out.add("atom-truncated-root", 0, True, ".atom",
            b"<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><ti")


def _warc_headers(rng: random.Random) -> dict[str, str]:
    """Fixed record id and date, so the corpus is the same on every run."""
    return {"WARC-Record-ID": f"<urn:uuid:{rng.randrange(16**32):032x}>",
            "WARC-Date": "2024-05-06T07:08:09Z"}


def _warc_bytes(rng: random.Random, pages: int, html: Callable[[int], str] | None = None) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    stream = io.BytesIO()
    writer = WARCWriter(stream, gzip=False)
    for number in range(pages):
        body = (html(number) if html else f"<html><head><title>Page {number}</title></head>"
                f"<body><article><p>{article_text(rng)}</p></article></body></html>").encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(f"https://example.org/{number}", "response",
                                           payload=io.BytesIO(body), http_headers=headers,
                                           warc_headers_dict=_warc_headers(rng))
        writer.write_record(record)
    return stream.getvalue()


def _warc(out: _Writer, rng: random.Random) -> None:
    three = _warc_bytes(rng, 3)
    packed = gzip.compress(three, mtime=0)
    for share in (0.4, 0.8):
        out.add("warc-gz-truncated", "x", True, ".warc.gz", packed[: int(len(packed) * share)])
    first_end = three.index(b"WARC/1.0", 10)
    out.add("warc-bad-header", 1, True, ".warc",
            three[:first_end] + b"WARC/1.0\r\nthis is : not\r\na header\r\n\r\ngarbage\r\n\r\n")
    out.add("warc-garbage-after-record", 1, True, ".warc",
            three[:first_end] + rng.randbytes(2000).replace(b"\n", b" "))
    out.add("warc-no-html", 0, True, ".warc", _image_only_warc(rng))
    out.add("warc-plain-text", 0, True, ".warc", b"This is not a web archive.\n" * 20)
    out.add("warc-empty-pages", 0, True, ".warc",
            _warc_bytes(rng, 2, lambda n: "<html><body><nav>Home</nav></body></html>"))
    out.add("warc-wrong-version", 0, True, ".warc", three.replace(b"WARC/1.0", b"WARC/9.9", 1)
            .replace(b"WARC/1.0", b"WARC/9.9"))


def _image_only_warc(rng: random.Random) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    stream = io.BytesIO()
    writer = WARCWriter(stream, gzip=False)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
    record = writer.create_warc_record("https://example.org/a.png", "response",
                                       payload=io.BytesIO(_MAGICS["png"] + b"\x00" * 64),
                                       http_headers=headers, warc_headers_dict=_warc_headers(rng))
    writer.write_record(record)
    return stream.getvalue()


def _huge_lines(out: _Writer, rng: random.Random) -> None:
    limit = LIMITS["max_line_bytes"]
    out.add("txt-huge-line", 0, True, ".txt", b"word " * (limit // 3))
    out.add("txt-too-many-chars", 0, True, ".txt", b"Ministers met. " * 20_000)
    out.add("html-huge", 0, True, ".html",
            b"<html><body><p>" + b"word " * (limit // 3) + b"</p></body></html>")
    good = article_text(rng).encode()
    out.add("csv-huge-row", 1, True, ".csv", b'title,text\nOne,"' + good + b'"\nTwo,'
            + b"x" * (limit + 10) + b"\n")
    out.add("reference-huge", 0, True, ".txt", b"date 2024-01-02 Reporter\n\n"
            + b"word " * (limit // 3))


def _encodings(out: _Writer, rng: random.Random) -> None:
    for _ in range(2):
        soup = bytes(rng.randrange(0x80, 0xC0) for _ in range(3000))
        out.add("encoding-symbol-soup", 0, True, ".txt", soup)
        text = article_text(rng)
        utf16 = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
        out.add("encoding-utf16-cut", 0, True, ".txt", utf16[:-1])
        out.add("encoding-utf32-garbage", 0, True, ".txt", codecs.BOM_UTF32_LE
                + rng.randbytes(400))
    for _ in range(2):
        text = article_text(rng)
        accented = text.replace("Keller", "Kéller").replace("Haddad", "Haddâd") + " Café, naïve."
        out.add("encoding-cp1252", 1, False, ".txt", accented.encode("cp1252"))
        out.add("encoding-latin1-jsonl", 1, False, ".jsonl",
                json.dumps({"text": accented}, ensure_ascii=False).encode("latin-1") + b"\n")
        out.add("encoding-utf16-no-bom", 1, False, ".txt", text.encode("utf-16-le"))
        out.add("encoding-utf16-bom-html", 1, False, ".html", codecs.BOM_UTF16_LE
                + f"<html><body><p>{text}</p></body></html>".encode("utf-16-le"))
        out.add("encoding-mojibake", 1, False, ".txt",
                accented.encode("utf-8").decode("cp1252", "replace").encode("utf-8"))


def _csv(out: _Writer, rng: random.Random) -> None:
    for _ in range(2):
        good = article_text(rng).replace('"', "")
        out.add("csv-no-text-column", 0, True, ".csv", f'title,body_html\nA,"{good}"\n'.encode())
        out.add("csv-truncated-quote", 1, True, ".csv",
                f'title,text\nA,"{good}"\nB,"{good[:40]}'.encode())
        out.add("csv-bad-quoting", 1, True, ".csv",
                f'title,text\nA,"{good}"\nB,"x"y\n'.encode())
        out.add("csv-header-only", 0, True, ".csv", b"title,text\n")
        out.add("csv-empty-cell", 1, True, ".csv", f'title,text\nA,"{good}"\nB,\n'.encode())
        garbage = "".join(chr(rng.randrange(0xE000, 0xF8FF)) for _ in range(99))
        out.add("csv-garbage-cell", 1, True, ".csv",
                f'title,text\nA,"{good}"\nB,"{garbage}"\n'.encode())


def _plain(out: _Writer, rng: random.Random) -> None:
    for _ in range(2):
        out.add("txt-whitespace", 0, True, ".txt", b" \n\t\r\n  " * rng.randrange(1, 50))
        out.add("txt-control-chars", 0, True, ".txt",
                bytes(rng.randrange(1, 9) for _ in range(500)))
        out.add("txt-nul-inside", 0, True, ".txt",
                article_text(rng).encode() + b"\x00" + article_text(rng).encode())
        out.add("reference-header-only", 0, True, ".txt", b"date 2024-03-04 Jana Novak\n\n")
        out.add("reference-signature-only", 0, True, ".txt",
                b" date 2024-03-04 Jana Novak\n\n/// Wire, 4 March 2024")


_PARTS: tuple[Callable[[_Writer, random.Random], None], ...] = (
    _zero_bytes, _random_bytes, _binaries, _gzip, _jsonl, _json, _xml_bombs, _deep_markup,
    _bad_html, _feeds, _warc, _huge_lines, _encodings, _csv, _plain,
)


# --- mutations of real articles (issue 18) -----------------------------------------------
#
# ``generate_mutations(dir, seed, records)`` writes MUTATION_FILES files made from real news
# records (dicts with id, title, text, published: Gigaword lines, read from ../shared at
# test time, never stored in the repository): byte flips and cuts of every container, wrong
# and mixed encodings, control, invisible and astral characters, huge words, markup soup,
# and texts with their paragraphs joined into one line, up to LONG_CHARS characters. Their
# names end in ``-any`` where what survives depends on the damage: any number of articles,
# failures or none; what matters then is that every record ends up stored or in failures.

MUTATION_FILES = 800
LONG_CHARS = (20_000, 60_000, 150_000)
_NAME_ANY = "-any"


def generate_mutations(folder: Path, seed: int, records: list[dict[str, str]]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    out = _Writer(folder)
    for size in LONG_CHARS:
        out.add("txt-one-line-long", "x", False, ".txt", _one_line(records, rng, size).encode())
    while len(out.paths) < MUTATION_FILES:
        kind, make = _MUTATIONS[len(out.paths) % len(_MUTATIONS)]
        ext, data = make(rng, rng.sample(records, 3))
        out.add(kind, "x", False, _NAME_ANY + ext, data)
    return out.paths


def _one_line(records: list[dict[str, str]], rng: random.Random, size: int) -> str:
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < size:
        parts.append(" ".join(rng.choice(records)["text"].split()))
    return " ".join(parts)[:size]


def _line(record: dict[str, str]) -> bytes:
    return json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"


def _flip(data: bytes, rng: random.Random, flips: int) -> bytes:
    damaged = bytearray(data)
    for _ in range(flips):
        damaged[rng.randrange(len(damaged))] = rng.randrange(256)
    return bytes(damaged)


def _html(record: dict[str, str]) -> str:
    paras = "".join(f"<p>{p}</p>" for p in record["text"].split("\n\n"))
    return (f"<html><head><title>{record['title']}</title></head><body><article>"
            f"<h1>{record['title']}</h1>{paras}</article></body></html>")


def _rss(records: list[dict[str, str]]) -> str:
    items = "".join(f"<item><title>{r['title']}</title><description><![CDATA[{r['text']}]]>"
                    f"</description><pubDate>Tue, 01 Apr 1997 00:00:00 GMT</pubDate></item>"
                    for r in records)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>{items}' \
           f"</channel></rss>"


def _sprinkle(text: str, rng: random.Random, chars: str, every: int) -> str:
    return "".join(c + (rng.choice(chars) if rng.randrange(every) == 0 else "") for c in text)


Mutation = Callable[[random.Random, list[dict[str, str]]], tuple[str, bytes]]

_MUTATIONS: tuple[tuple[str, Mutation], ...] = (
    ("jsonl-byte-flips", lambda rng, rs: (".jsonl", _flip(b"".join(map(_line, rs)), rng, 6))),
    ("jsonl-cut", lambda rng, rs: (".jsonl", (lambda d: d[: rng.randrange(1, len(d))])(
        b"".join(map(_line, rs))))),
    ("jsonl-gz-cut", lambda rng, rs: (".jsonl.gz", (lambda d: d[: rng.randrange(10, len(d))])(
        gzip.compress(b"".join(map(_line, rs)), mtime=0)))),
    ("jsonl-gz-flips", lambda rng, rs: (".jsonl.gz", _flip(
        gzip.compress(b"".join(map(_line, rs)), mtime=0), rng, 3))),
    ("txt-byte-flips", lambda rng, rs: (".txt", _flip(rs[0]["text"].encode(), rng, 12))),
    ("txt-one-line", lambda rng, rs: (".txt", " ".join(rs[0]["text"].split()).encode())),
    ("txt-control-chars", lambda rng, rs: (".txt", _sprinkle(
        rs[0]["text"], rng, "".join(map(chr, range(1, 32))), 40).encode())),
    ("txt-invisible-chars", lambda rng, rs: (".txt", _sprinkle(
        rs[0]["text"], rng, "\u200b\u200e\u202e\u2066\ufeff\u00ad", 15).encode())),
    ("txt-astral-chars", lambda rng, rs: (".txt", _sprinkle(
        rs[0]["text"], rng, "\U0001F600\U0001D400\U00020000\U0001F1FA", 25).encode())),
    ("txt-huge-word", lambda rng, rs: (".txt", (rs[0]["text"] + " "
                                                + "x" * rng.randrange(20_000, 60_000)).encode())),
    ("txt-no-spaces", lambda rng, rs: (".txt", rs[0]["text"].replace(" ", "").encode())),
    ("txt-every-sentence-a-paragraph", lambda rng, rs: (".txt", rs[0]["text"].replace(
        ". ", ".\n\n").encode())),
    ("txt-quote-storm", lambda rng, rs: (".txt", _sprinkle(
        rs[0]["text"], rng, "\"\u201c\u201d''", 8).encode())),
    ("txt-cr-only", lambda rng, rs: (".txt", rs[0]["text"].replace("\n", "\r").encode())),
    ("txt-cp1252", lambda rng, rs: (".txt", (rs[0]["text"] + " Caf\u00e9 na\u00efve.").encode(
        "cp1252", "replace"))),
    ("txt-mixed-encodings", lambda rng, rs: (".txt", rs[0]["text"].encode() + "\n\nCaf\u00e9 "
                                             "d\u00e9j\u00e0 vu".encode("cp1252")
                                             + rs[1]["text"].encode())),
    ("txt-utf16", lambda rng, rs: (".txt", codecs.BOM_UTF16_LE
                                   + rs[0]["text"].encode("utf-16-le"))),
    ("txt-utf16-cut-odd", lambda rng, rs: (".txt", (codecs.BOM_UTF16_LE + rs[0]["text"].encode(
        "utf-16-le"))[: rng.randrange(3, 2000) | 1])),
    ("html-page", lambda rng, rs: (".html", _html(rs[0]).encode())),
    ("html-cut", lambda rng, rs: (".html", (lambda d: d[: rng.randrange(1, len(d))])(
        _html(rs[0]).encode()))),
    ("html-byte-flips", lambda rng, rs: (".html", _flip(_html(rs[0]).encode(), rng, 20))),
    ("html-entities-only", lambda rng, rs: (".html", ("<html><body><p>" + "".join(
        f"&#{ord(c)};" for c in rs[0]["text"][:3000]) + "</p></body></html>").encode())),
    ("html-tag-soup", lambda rng, rs: (".html", _sprinkle(_html(rs[0]), rng, "<>&/!-", 30)
                                       .encode())),
    ("rss-items", lambda rng, rs: (".xml", _rss(rs).encode())),
    ("rss-cut", lambda rng, rs: (".xml", (lambda d: d[: rng.randrange(1, len(d))])(
        _rss(rs).encode()))),
    ("rss-byte-flips", lambda rng, rs: (".xml", _flip(_rss(rs).encode(), rng, 10))),
    ("warc-pages", lambda rng, rs: (".warc", _warc_bytes(rng, 2, lambda n: _html(rs[n])))),
    ("warc-cut", lambda rng, rs: (".warc", (lambda d: d[: rng.randrange(1, len(d))])(
        _warc_bytes(rng, 2, lambda n: _html(rs[n]))))),
    ("csv-rows", lambda rng, rs: (".csv", ("title,text\n" + "".join(
        f'"{r["title"]}","{r["text"].replace(chr(34), chr(39))}"\n' for r in rs)).encode())),
    ("csv-byte-flips", lambda rng, rs: (".csv", _flip(("title,text\n" + "".join(
        f'"{r["title"]}","{r["text"].replace(chr(34), chr(39))}"\n' for r in rs)).encode(),
        rng, 8))),
    ("json-array-cut", lambda rng, rs: (".json", (lambda d: d[: rng.randrange(1, len(d))])(
        json.dumps(rs).encode()))),
)
