"""Property tests (hypothesis) on every reader: arbitrary bytes or text in, no exception out;
every Article is valid (non-empty normalised text, id from its content, ISO date)."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventwire.ids import article_id
from eventwire.ingest import CODES, FORMATS, ReadOptions, read
from eventwire.model import Article, Failure

LIMITS = {"max_article_chars": 20_000, "max_line_bytes": 200_000, "max_html_depth": 100,
          "max_decompressed_bytes": 1_000_000, "max_file_bytes": 5_000_000}
ISO = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
SETTINGS = settings(max_examples=int(__import__("os").environ.get("EW_HYP", "40")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

EXTENSIONS = {"reference": ".txt", "txt": ".txt", "jsonl": ".jsonl", "json": ".json",
              "html": ".html", "feed": ".xml", "warc": ".warc", "csv": ".csv"}


def read_bytes(data: bytes, name: str, fmt: str | None = None) -> list[Article | Failure]:
    """Writes ``data`` to a file called ``name`` and reads it, checking every invariant."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        found = list(read([str(path)], ReadOptions(limits=LIMITS, format=fmt)))
    numbers = [n for _, n, _ in found]
    assert numbers == sorted(numbers)
    assert all(p == str(path) for p, _, _ in found)
    items = [item for _, _, item in found]
    assert items, "every input gives at least one Article or Failure"
    for item in items:
        check(item)
    return items


def check(item: Article | Failure) -> None:
    if isinstance(item, Failure):
        assert item.code in CODES and item.reason and item.hint
        return
    assert isinstance(item, Article)
    text = item.text
    assert text and text == text.strip() and text.strip()
    assert "\r" not in text and "\n\n\n" not in text
    assert len(text) <= LIMITS["max_article_chars"]
    text.encode("utf-8")
    assert item.id == article_id(text, item.title)
    assert item.published is None or ISO.match(item.published)
    for value in (item.title, item.author, item.source, item.url):
        assert value is None or (value.strip() == value and value and "\n" not in value)


# --- arbitrary bytes into every reader, by extension and forced -------------------------

@SETTINGS
@given(data=st.binary(max_size=3000), fmt=st.sampled_from(FORMATS), forced=st.booleans())
def test_arbitrary_bytes(data: bytes, fmt: str, forced: bool) -> None:
    read_bytes(data, "input" + EXTENSIONS[fmt], fmt if forced else None)


@SETTINGS
@given(text=st.text(max_size=2000), fmt=st.sampled_from(FORMATS))
def test_arbitrary_text(text: str, fmt: str) -> None:
    read_bytes(text.encode("utf-8", "surrogatepass"), "input" + EXTENSIONS[fmt])


@SETTINGS
@given(data=st.binary(min_size=1, max_size=3000), cut=st.integers(min_value=0, max_value=4000))
def test_gzip_of_anything_cut_anywhere(data: bytes, cut: int) -> None:
    packed = gzip.compress(data, mtime=0)
    read_bytes(packed[: cut or len(packed)], "input.jsonl.gz")


# --- structured inputs with arbitrary content -------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=200),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=20)
records = st.fixed_dictionaries(
    {"text": st.one_of(st.text(max_size=1500), json_values)},
    optional={"title": json_values, "published": json_values, "author": json_values,
              "source": json_values, "url": json_values, "id": json_values})


@SETTINGS
@given(rows=st.lists(records, max_size=6))
def test_jsonl_records(rows: list[dict[str, object]]) -> None:
    lines = "\n".join(json.dumps(r) for r in rows).encode("utf-8", "surrogatepass")
    items = read_bytes(lines, "input.jsonl")
    if rows:
        assert len(items) == len(rows)


@SETTINGS
@given(rows=st.lists(records, max_size=6))
def test_json_arrays(rows: list[dict[str, object]]) -> None:
    items = read_bytes(json.dumps(rows).encode("utf-8", "surrogatepass"), "input.json")
    if rows:
        assert len(items) == len(rows)


@SETTINGS
@given(cells=st.lists(st.tuples(st.text(max_size=80), st.text(max_size=1500)), max_size=5))
def test_csv_rows(cells: list[tuple[str, str]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["title", "text"])
    writer.writerows(cells)
    read_bytes(out.getvalue().encode("utf-8", "surrogatepass"), "input.csv")


@SETTINGS
@given(paragraphs=st.lists(st.text(max_size=400), max_size=6), title=st.text(max_size=80),
       raw=st.booleans())
def test_html_pages(paragraphs: list[str], title: str, raw: bool) -> None:
    body = "".join(f"<p>{p if raw else escape(p)}</p>" for p in paragraphs)
    page = f"<html><head><title>{escape(title)}</title></head><body>{body}</body></html>"
    read_bytes(page.encode("utf-8", "surrogatepass"), "input.html")


@SETTINGS
@given(entries=st.lists(st.tuples(st.text(max_size=80), st.text(max_size=800)), max_size=4),
       date=st.text(max_size=40))
def test_rss_feeds(entries: list[tuple[str, str]], date: str) -> None:
    items = "".join(f"<item><title>{escape(t)}</title><pubDate>{escape(date)}</pubDate>"
                    f"<description>{escape(d)}</description></item>" for t, d in entries)
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>{items}' \
           f"</channel></rss>"
    read_bytes(feed.encode("utf-8", "surrogatepass"), "input.xml")


@SETTINGS
@given(body=st.text(max_size=1500), author=st.text(max_size=40), signed=st.booleans(),
       signature=st.text(max_size=40))
def test_reference_documents(body: str, author: str, signed: bool, signature: str) -> None:
    text = f" date 2024-02-03 {author}\n\n{body}" + (f" /// {signature}" if signed else "")
    read_bytes(text.encode("utf-8", "surrogatepass"), "input.txt")


@SETTINGS
@given(payload=st.binary(max_size=2000), content_type=st.sampled_from(
    ["text/html", "text/html; charset=latin-1", "image/png", "", "text/html; charset=nonsense"]),
    cut=st.integers(min_value=0, max_value=3000))
def test_warc_records(payload: bytes, content_type: str, cut: int) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    stream = io.BytesIO()
    writer = WARCWriter(stream, gzip=False)
    headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(
        "https://example.org/a", "response", payload=io.BytesIO(payload), http_headers=headers))
    data = stream.getvalue()
    read_bytes(data[: cut or len(data)], "input.warc")


@SETTINGS
@given(text=st.text(min_size=1, max_size=1500))
def test_reading_twice_gives_the_same_ids(text: str) -> None:
    data = json.dumps({"text": text, "title": text[:20]}).encode("utf-8", "surrogatepass")
    first = read_bytes(data, "input.jsonl")
    second = read_bytes(data, "input.jsonl")
    assert [getattr(i, "id", i.code if isinstance(i, Failure) else None) for i in first] == \
           [getattr(i, "id", i.code if isinstance(i, Failure) else None) for i in second]
