"""Ingest readers, one format at a time, on small files written here (our own words)."""

from __future__ import annotations

import codecs
import gzip
import http.server
import io
import json
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from eventwire.ids import article_id
from eventwire.ingest import CODES, FORMATS, ReadOptions, read
from eventwire.ingest.article import iso_date
from eventwire.ingest.lang import detect
from eventwire.ingest.sniff import sniff
from eventwire.model import Article, Failure

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

TALKS = ("Foreign ministers of Chile and Peru met in Lima on Tuesday to discuss fishing rights "
         "off the coast, officials said.\n\nChilean Foreign Minister Rosa Fuentes said the "
         "talks had been useful and that a second round would follow in Santiago in June.")
PROTEST = ("Hundreds of farmers drove tractors into the centre of Warsaw on Friday to protest "
           "against grain imports, blocking traffic for several hours.\n\nPolice said the "
           "protest was peaceful and that no one had been detained.")


def items(*paths: str | Path, **options: object) -> list[tuple[str, int, Article | Failure]]:
    return list(read([str(p) for p in paths], ReadOptions(**options)))  # type: ignore[arg-type]


def articles(*paths: str | Path, **options: object) -> list[Article]:
    found = [item for _, _, item in items(*paths, **options)]
    assert all(isinstance(i, Article) for i in found), [i for i in found if isinstance(i, Failure)]
    return found  # type: ignore[return-value]


def failures(*paths: str | Path, **options: object) -> list[Failure]:
    return [i for _, _, i in items(*paths, **options) if isinstance(i, Failure)]


def write(path: Path, data: str | bytes) -> Path:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# --- reference format -------------------------------------------------------------------

def test_reference_article(shared: Path) -> None:
    (article,) = articles(shared / "examples" / "000_0177d3a5025271f0.txt")
    assert article.published == "2021-08-11"
    assert article.author == "Elvira Kadyrova"
    assert article.source == "nCa"
    assert article.text.startswith("Russia positively assesses the cooperation")
    assert article.text.endswith("in a closed mode.")
    assert "///" not in article.text and "nCa" not in article.text
    assert article.lang == "en"
    assert article.id == article_id(article.text, None)
    assert "\n\n" in article.text and "\n\n\n" not in article.text


@pytest.mark.parametrize("ending", [
    "stay in Lima. /// Andes Wire, 5 March 2024",
    "stay in Lima.\n\n/// Andes Wire, 5 March 2024\n",
    "stay in Lima.   ///Andes Wire\n\n",
])
def test_reference_signature(tmp_path: Path, ending: str) -> None:
    text = f"   date 2024-03-05 Marta Ruiz\n\n{TALKS} The envoy will {ending}"
    path = write(tmp_path / "a.txt", text)
    (article,) = articles(path)
    assert article.text.endswith("The envoy will stay in Lima.")
    assert article.source == "Andes Wire"
    assert (article.published, article.author) == ("2024-03-05", "Marta Ruiz")


def test_reference_without_signature_or_author(tmp_path: Path) -> None:
    (article,) = articles(write(tmp_path / "a.txt", f"date 2024-03-05\n{TALKS}\n"))
    assert article.author is None and article.source is None
    assert article.text == TALKS


# --- plain text -------------------------------------------------------------------------

def test_plain_text_normalises_newlines(tmp_path: Path) -> None:
    raw = TALKS.replace("\n\n", "  \r\n\r\n\r\n\r\n").replace(". ", ".\t \r\n", 1)
    (article,) = articles(write(tmp_path / "talks.txt", "\n\n" + raw + "\n\n"))
    assert "\r" not in article.text
    assert article.text.split("\n\n")[1] == TALKS.split("\n\n")[1]
    assert article.title is None and article.published is None
    assert article.origin == str(tmp_path / "talks.txt")


def test_same_text_same_id_across_formats(tmp_path: Path) -> None:
    txt = write(tmp_path / "a.txt", TALKS)
    jsonl = write(tmp_path / "b.jsonl", json.dumps({"text": TALKS}) + "\n")
    csv_ = write(tmp_path / "c.csv", f'text\n"{TALKS}"\n')
    ids = {a.id for a in articles(txt, jsonl, csv_)}
    assert ids == {article_id(TALKS)}


# --- JSON Lines and JSON ----------------------------------------------------------------

def _record(text: str = TALKS, **fields: object) -> str:
    return json.dumps({"id": "x1", "title": "Talks in Lima", "text": text,
                       "published": "2024-03-05T09:30:00Z", "source": "Andes Wire",
                       "url": "https://example.org/lima", **fields})


def test_jsonl_fields(tmp_path: Path) -> None:
    (article,) = articles(write(tmp_path / "a.jsonl", _record(author=["Ana Paz", "Luis Rey"])))
    assert (article.title, article.published, article.source) == (
        "Talks in Lima", "2024-03-05", "Andes Wire")
    assert article.url == "https://example.org/lima"
    assert article.author == "Ana Paz; Luis Rey"
    assert article.meta["source_id"] == "x1"
    assert article.text == TALKS
    assert article.origin == f"{tmp_path / 'a.jsonl'}:1"


def test_jsonl_field_map_and_nested_names(tmp_path: Path) -> None:
    line = json.dumps({"story": {"body": PROTEST}, "headline": "Farmers protest",
                       "when": "7 June 2024"})
    path = write(tmp_path / "a.jsonl", line)
    (article,) = articles(path, field_map={"text": "story.body", "published": "when"})
    assert article.text == PROTEST
    assert article.title == "Farmers protest"
    assert article.published == "2024-06-07"


def test_jsonl_bad_lines_do_not_stop_the_file(tmp_path: Path) -> None:
    lines = [_record(), "", '{"text": "unfinished', "[1, 2]", '{"title": "no text"}',
             _record(PROTEST), _record(PROTEST)[:40]]
    found = items(write(tmp_path / "a.jsonl", "\n".join(lines)))
    summary = [(n, i.code if isinstance(i, Failure) else "ok") for _, n, i in found]
    assert summary == [(1, "ok"), (3, "E108"), (4, "E109"), (5, "E110"), (6, "ok"), (7, "E108")]
    last = found[-1][2]
    assert isinstance(last, Failure) and "truncated" in last.reason and last.record == "line 7"
    assert all(f.hint for _, _, f in found if isinstance(f, Failure))


def test_jsonl_skip_passes_over_done_records(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", "\n".join([_record(), "not json", _record(PROTEST)]))
    numbers = [n for _, n, _ in items(path, skip={str(path): 2})]
    assert numbers == [3]


def test_json_array_object_and_wrapper(tmp_path: Path) -> None:
    array = write(tmp_path / "a.json", "[" + _record() + ",\n " + _record(PROTEST) + "]")
    single = write(tmp_path / "b.json", json.dumps({"text": TALKS, "title": "T"}, indent=2))
    wrapper = write(tmp_path / "c.json", json.dumps({"status": "ok", "articles": [
        {"content": PROTEST, "source": {"id": "w", "name": "Warsaw Daily"}}]}))
    found = articles(array, single, wrapper)
    assert [a.text for a in found] == [TALKS, PROTEST, TALKS, PROTEST]
    assert found[3].source == "Warsaw Daily"


def test_json_array_elements_fail_alone(tmp_path: Path) -> None:
    path = write(tmp_path / "a.json", "[" + _record() + ', 7, {"text": ""}, ' + _record(PROTEST))
    summary = [(n, i.code if isinstance(i, Failure) else "ok") for _, n, i in items(path)]
    assert summary == [(1, "ok"), (2, "E109"), (3, "E110"), (4, "E108")]


def test_json_file_holding_json_lines(tmp_path: Path) -> None:
    path = write(tmp_path / "a.json", _record() + "\n" + _record(PROTEST) + "\n")
    assert [a.text for a in articles(path)] == [TALKS, PROTEST]


def test_json_array_splitter_handles_strings_and_chunks(tmp_path: Path) -> None:
    tricky = TALKS + ' He said: "[a], {b}" \\ and left.' + " pad" * 20000
    path = write(tmp_path / "a.json", json.dumps([{"text": tricky}, {"text": PROTEST}]))
    found = articles(path)
    assert found[0].text.startswith(TALKS) and found[1].text == PROTEST


# --- HTML -------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head><title>Farmers block Warsaw | Vistula News</title>
<meta name="author" content="Piotr Nowak">
<meta property="article:published_time" content="2024-06-07T18:00:00+02:00">
</head><body><nav><a href="/">Home</a> <a href="/sport">Sport</a></nav>
<article><h1>Farmers block Warsaw</h1>
<p>Hundreds of farmers drove tractors into the centre of Warsaw on Friday to protest
against grain imports, blocking traffic for several hours.</p>
<p>Police said the protest was peaceful and that no one had been detained.</p>
<p>Agriculture Minister Adam Lis said he would meet farmers' leaders on Monday.</p>
</article><footer>Copyright Vistula News</footer><script>var tracker = 1;</script>
</body></html>"""


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    (article,) = articles(write(tmp_path / "page.html", PAGE))
    assert article.title == "Farmers block Warsaw"
    assert article.author == "Piotr Nowak"
    assert article.published == "2024-06-07"
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("Hundreds of farmers drove tractors")
    assert "Home" not in article.text and "Copyright" not in article.text
    assert "tracker" not in article.text


def test_html_in_other_encoding(tmp_path: Path) -> None:
    page = PAGE.replace("<head>", '<head><meta charset="windows-1250">').replace(
        "Adam Lis", "Adam Łęcki")
    (article,) = articles(write(tmp_path / "page.html", page.encode("cp1250")))
    assert "Adam Łęcki" in article.text


# --- feeds ------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Vistula News</title>
<item><title>Farmers block Warsaw</title><link>https://example.org/farmers</link>
<pubDate>Fri, 07 Jun 2024 16:00:00 GMT</pubDate>
<description>Short summary only.</description>
<content:encoded><![CDATA[<p>Hundreds of farmers drove tractors into the centre of Warsaw
on Friday.</p><p>Police said the protest was <b>peaceful</b>.</p><script>bad()</script>]]>
</content:encoded></item>
<item><title>Empty entry</title><link>https://example.org/empty</link></item>
<item><title>Talks in Lima</title><description>Foreign ministers of Chile and Peru met in
Lima on Tuesday &amp; discussed fishing rights.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Andes Wire</title>
<entry><title>Talks in Lima</title><link href="https://example.org/lima"/>
<id>tag:example.org,2024:lima</id><updated>2024-03-05T10:00:00Z</updated>
<author><name>Marta Ruiz</name></author>
<content type="html">&lt;p&gt;Foreign ministers of Chile and Peru met in Lima on Tuesday.&lt;/p&gt;
&lt;p&gt;A second round will follow in June.&lt;/p&gt;</content></entry></feed>"""


def test_rss_entries(tmp_path: Path) -> None:
    found = items(write(tmp_path / "feed.xml", RSS))
    kinds = [(n, type(i).__name__) for _, n, i in found]
    assert kinds == [(1, "Article"), (2, "Failure"), (3, "Article")]
    first, empty, third = (i for _, _, i in found)
    assert isinstance(first, Article) and isinstance(third, Article)
    assert first.text == ("Hundreds of farmers drove tractors into the centre of Warsaw on "
                          "Friday.\n\nPolice said the protest was peaceful.")
    assert (first.title, first.published, first.source) == (
        "Farmers block Warsaw", "2024-06-07", "Vistula News")
    assert first.url == "https://example.org/farmers"
    assert isinstance(empty, Failure) and empty.code == "E110" and empty.record == "entry 2"
    assert "& discussed" in third.text


def test_atom_entry(tmp_path: Path) -> None:
    (article,) = articles(write(tmp_path / "feed.atom", ATOM))
    assert article.author == "Marta Ruiz" and article.published == "2024-03-05"
    assert article.text.split("\n\n")[1] == "A second round will follow in June."
    assert article.meta["source_id"] == "tag:example.org,2024:lima"


@pytest.fixture()
def feed_server(tmp_path: Path) -> Iterator[str]:
    write(tmp_path / "feed.xml", RSS)
    write(tmp_path / "page.html", PAGE)

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(tmp_path), **kwargs)  # type: ignore[arg-type]

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_feed_url(feed_server: str) -> None:
    found = items(f"{feed_server}/feed.xml")
    assert [type(i).__name__ for _, _, i in found] == ["Article", "Failure", "Article"]


def test_url_that_is_not_a_feed(feed_server: str) -> None:
    (problem,) = failures(f"{feed_server}/page.html")
    assert problem.code == "E120"
    (missing,) = failures(f"{feed_server}/nothing.xml")
    assert missing.code == "E120"


# --- WARC -------------------------------------------------------------------------------

def _warc(path: Path, pages: list[tuple[str, bytes, str]], compress: bool) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=compress)
        for url, body, content_type in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers))
    return path


@pytest.mark.parametrize("compress", [False, True])
def test_warc_html_responses(tmp_path: Path, compress: bool) -> None:
    pages = [("https://example.org/a", PAGE.encode(), "text/html; charset=utf-8"),
             ("https://example.org/logo.png", b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
             ("https://example.org/b", PAGE.replace("Adam Lis", "Ewa Kot").encode("cp1250"),
              "text/html; charset=windows-1250")]
    path = _warc(tmp_path / ("a.warc.gz" if compress else "a.warc"), pages, compress)
    found = items(path)
    assert [n for _, n, _ in found] == [1, 3]
    first, second = (i for _, _, i in found)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.url == "https://example.org/a" and first.title == "Farmers block Warsaw"
    assert "Ewa Kot" in second.text
    assert first.meta["crawled"]


def test_warc_truncated(tmp_path: Path) -> None:
    pages = [(f"https://example.org/{n}", PAGE.encode(), "text/html") for n in range(3)]
    data = _warc(tmp_path / "full.warc", pages, False).read_bytes()
    cut = write(tmp_path / "cut.warc", data[: int(len(data) * 0.75)])
    found = items(cut)
    assert isinstance(found[0][2], Article)
    assert isinstance(found[-1][2], Failure)


# --- CSV --------------------------------------------------------------------------------

def test_csv_rows(tmp_path: Path) -> None:
    rows = ("title,published,text,source\n"
            f'Talks in Lima,2024-03-05,"{TALKS}",Andes Wire\n'
            "Empty,2024-03-06,,Andes Wire\n"
            f'Farmers protest,07/06/2024,"{PROTEST}",Vistula News\n')
    found = items(write(tmp_path / "a.csv", rows))
    assert [(n, type(i).__name__) for _, n, i in found] == [
        (1, "Article"), (2, "Failure"), (3, "Article")]
    first = found[0][2]
    assert isinstance(first, Article) and first.text == TALKS and first.source == "Andes Wire"
    assert first.origin == f"{tmp_path / 'a.csv'}:1"


def test_csv_text_column_and_delimiters(tmp_path: Path) -> None:
    semicolon = write(tmp_path / "a.csv", f'headline;story\nTalks;"{TALKS}"\n')
    tsv = write(tmp_path / "b.tsv", "headline\tbody\nProtest\t" + PROTEST.replace("\n", " ") + "\n")
    (first,) = articles(semicolon, text_column="story")
    (second,) = articles(tsv)
    assert first.text == TALKS and first.title == "Talks"
    assert second.text.startswith("Hundreds of farmers")


def test_csv_without_text_column(tmp_path: Path) -> None:
    (problem,) = failures(write(tmp_path / "a.csv", "headline,summary\nTalks,Short\n"))
    assert problem.code == "E117" and "headline" in problem.reason


# --- paths: folders, gzip, stdin, sniffing ----------------------------------------------

def test_folder_recursive_sorted(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    write(tmp_path / "b" / "2.txt", PROTEST)
    write(tmp_path / "a.txt", TALKS)
    write(tmp_path / ".hidden" / "x.txt", TALKS)
    write(tmp_path / "notes.py", "print('not news')")
    write(tmp_path / "c.jsonl.gz", gzip.compress((_record(PROTEST) + "\n").encode()))
    paths = [p for p, _, _ in items(tmp_path)]
    assert paths == [str(tmp_path / "a.txt"), str(tmp_path / "b" / "2.txt"),
                     str(tmp_path / "c.jsonl.gz")]


def test_gzip_is_transparent(tmp_path: Path) -> None:
    path = write(tmp_path / "talks.txt.gz", gzip.compress(TALKS.encode()))
    (article,) = articles(path)
    assert article.text == TALKS


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (_record() + "\n" + _record(PROTEST) + "\n").encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    found = items("-")
    assert [(p, n) for p, n, _ in found] == [("-", 1), ("-", 2)]


@pytest.mark.parametrize(("name", "head", "forced", "expected"), [
    ("x.txt", b"WARC/1.0\r\n", None, "warc"),
    ("x.txt", b'{"text": "a"}\n{"text": "b"}\n', None, "jsonl"),
    ("x.json", b'{"text": "a"}\n{"text": "b"}\n', None, "jsonl"),
    ("x.json", b'{\n  "text": "a"\n}', None, "json"),
    ("x.jsonl", b"<html><body><p>x</p></body></html>", None, "html"),
    ("x.html", b"Just words, no markup.", None, "txt"),
    ("x.xml", b"<?xml version='1.0'?><rss version='2.0'>", None, "feed"),
    ("x", b"<?xml version='1.0'?>\n<feed xmlns='http://www.w3.org/2005/Atom'>", None, "feed"),
    ("x.txt", b" date 2021-08-11 A B\n\nText", None, "reference"),
    ("x.csv", b"title,text\n", None, "csv"),
    ("x.txt", b"plain words", "csv", "csv"),
    ("", b"plain words", None, "txt"),
])
def test_sniff(name: str, head: bytes, forced: str | None, expected: str) -> None:
    assert sniff(head, name, forced) == expected


def test_unknown_forced_format(tmp_path: Path) -> None:
    (problem,) = failures(write(tmp_path / "a.txt", TALKS), format="pdf")
    assert problem.code == "E119"


def test_missing_path() -> None:
    (problem,) = failures("/nonexistent/eventwire/input.jsonl")
    assert problem.code == "E100" and problem.hint


# --- limits, bad input, encodings -------------------------------------------------------

def test_limits(tmp_path: Path) -> None:
    long_text = write(tmp_path / "long.txt", "Ministers met. " * 1000)
    assert failures(long_text, limits={"max_article_chars": 5000})[0].code == "E111"
    assert failures(long_text, limits={"max_line_bytes": 5000})[0].code == "E107"
    assert failures(long_text, limits={"max_file_bytes": 5000})[0].code == "E101"
    bomb = write(tmp_path / "bomb.jsonl.gz", gzip.compress(b"\n" * 3_000_000))
    assert failures(bomb, limits={"max_decompressed_bytes": 1_000_000})[0].code == "E105"
    deep = write(tmp_path / "deep.html", "<html><body>" + "<div>" * 50 + TALKS + "</body></html>")
    assert failures(deep, limits={"max_html_depth": 20})[0].code == "E112"
    assert articles(deep, limits={"max_html_depth": 400})


def test_entity_declarations_refused(tmp_path: Path) -> None:
    bomb = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
            "<rss><channel><item><description>&b;</description></item></channel></rss>")
    (problem,) = failures(write(tmp_path / "bomb.xml", bomb))
    assert problem.code == "E113"


def test_binary_refused_by_content(tmp_path: Path) -> None:
    png = write(tmp_path / "photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    nul = write(tmp_path / "data.jsonl", b'{"text": "a"}\x00\x00\x01')
    assert [f.code for f in failures(png, nul)] == ["E103", "E103"]
    assert "PNG" in failures(png)[0].reason


def test_empty_file(tmp_path: Path) -> None:
    assert failures(write(tmp_path / "empty.txt", b""))[0].code == "E102"


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-16", "utf-16-le", "utf-8-sig"])
def test_encodings_detected(tmp_path: Path, encoding: str) -> None:
    text = TALKS.replace("Rosa Fuentes", "Rosa Fuentes Muñoz").replace("useful", "“useful”"
                                                                       if encoding != "latin-1"
                                                                       else "useful")
    (article,) = articles(write(tmp_path / "a.txt", text.encode(encoding)))
    assert article.text == text


def test_mojibake_repaired(tmp_path: Path) -> None:
    text = TALKS.replace("Rosa Fuentes", "Rosa Fuentes Muñoz")
    broken = text.encode("utf-8").decode("cp1252").encode("utf-8")
    (article,) = articles(write(tmp_path / "a.txt", broken))
    assert "Muñoz" in article.text


def test_unrepairable_encoding_refused(tmp_path: Path) -> None:
    soup = bytes(range(0x80, 0xC0)) * 20
    assert failures(write(tmp_path / "a.txt", soup))[0].code in {"E106", "E118"}


def test_non_english_marked_not_dropped(tmp_path: Path) -> None:
    french = ("Les ministres des affaires étrangères du Chili et du Pérou se sont réunis mardi à "
              "Lima pour discuter des droits de pêche, ont indiqué des responsables.")
    lines = [json.dumps({"text": french}), json.dumps({"text": TALKS})]
    found = articles(write(tmp_path / "a.jsonl", "\n".join(lines)))
    assert [a.lang for a in found] == ["fr", "en"]


@pytest.mark.parametrize(("text", "lang"), [
    ("DEMOCRATS WIN CONTROL OF SENATE IN MIDTERM VOTE", "en"),
    ("Der Außenminister traf am Dienstag seinen Amtskollegen in Berlin.", "de"),
    ("El ministro de Asuntos Exteriores se reunió el martes con su homólogo.", "es"),
    ("Министр иностранных дел встретился во вторник со своим коллегой.", "ru"),
    ("外交部长周二在北京会见了他的同行。", "zh-cn"),
    ("Shr 45 cts vs 58 cts\nNet 1.1 mln vs 829,000\nRevs 7.9 mln vs 9.4 mln", None),
    ("Yes.", None),
])
def test_language(text: str, lang: str | None) -> None:
    assert detect(text) == lang


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-03-05", "2024-03-05"),
    ("2024-03-05T23:30:00-05:00", "2024-03-05"),
    ("20240305", "2024-03-05"),
    ("Tue, 05 Mar 2024 10:00:00 GMT", "2024-03-05"),
    ("5 March 2024", "2024-03-05"),
    (1709632800, "2024-03-05"),
    (1709632800000, "2024-03-05"),
    (time.struct_time((2024, 3, 5, 0, 0, 0, 1, 65, 0)), "2024-03-05"),
    ("March 2024", None),
    ("Tuesday", None),
    ("2024-02-30", None),
    ("0001-01-01", None),
    ("soon", None),
    (None, None),
])
def test_iso_date(value: object, expected: str | None) -> None:
    assert iso_date(value) == expected


def test_bad_date_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    (article,) = articles(write(tmp_path / "a.jsonl", _record(published="next week")))
    assert article.published is None
    assert any("published" in w for w in article.meta["warnings"])


def test_every_code_has_a_hint() -> None:
    assert all(code.startswith("E1") and reason and hint for code, (reason, hint) in CODES.items()
               if code != "E199")
    assert set(FORMATS) == {"reference", "txt", "jsonl", "json", "html", "feed", "warc", "csv"}


# --- demo articles and the shared corpus ------------------------------------------------

def test_demo_examples_one_article_per_format() -> None:
    found = articles(EXAMPLES)
    suffixes = sorted(Path(a.origin or "").name.split(":")[0].split(".", 1)[1] for a in found)
    assert suffixes == ["csv", "html", "jsonl", "txt", "warc.gz", "xml"]
    for article in found:
        assert article.published and article.published.startswith("2025-")
        assert article.lang == "en" and article.source
        assert len(article.text) > 500 and "\n\n" in article.text


def test_demo_warc_is_reproducible(tmp_path: Path) -> None:
    sys.path.insert(0, str(EXAMPLES))
    try:
        import make_warc
    finally:
        sys.path.remove(str(EXAMPLES))
    rebuilt = make_warc.build(tmp_path / "aid.warc.gz")
    assert rebuilt.read_bytes() == (EXAMPLES / "aid_delivery.warc.gz").read_bytes()


@pytest.mark.slow
def test_gigaword_corpus(shared: Path) -> None:
    path = shared / "corpora" / "gigaword-afp-xinhua.jsonl"
    start = time.perf_counter()
    first = articles(path)
    seconds = time.perf_counter() - start
    second = articles(path)
    assert len(first) == 2452
    assert [a.id for a in first] == [a.id for a in second]
    assert len({a.id for a in first}) == 2452
    assert all(a.published for a in first)
    print(f"gigaword: {len(first) / seconds:,.0f} articles/s")


def test_utf16_bom_detection_is_not_fooled_by_text(tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_BE + TALKS.encode("utf-16-be")
    (article,) = articles(write(tmp_path / "a.txt", data))
    assert article.text == TALKS


def _peak_bytes(path: Path, limit: int) -> int:
    import tracemalloc

    tracemalloc.start()
    try:
        count = 0
        for _, _, item in read([str(path)], ReadOptions()):
            count += isinstance(item, Article)
            if count >= limit:
                break
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("suffix", [".jsonl", ".json", ".csv"])
def test_memory_does_not_grow_with_articles(tmp_path: Path, suffix: str) -> None:
    """Streaming: the peak after 1,000 articles (a 3.4 MB file) is about the peak after 200."""
    padding = " ".join([TALKS.replace("\n\n", " ")] * 14)
    rows = [{"title": f"Report {n}", "text": f"{padding} Report {n}."} for n in range(1000)]
    path = tmp_path / f"many{suffix}"
    if suffix == ".jsonl":
        path.write_text("\n".join(json.dumps(r) for r in rows))
    elif suffix == ".json":
        path.write_text(json.dumps(rows))
    else:
        path.write_text("title,text\n" + "".join(f'{r["title"]},"{r["text"]}"\n' for r in rows))
    few, many = _peak_bytes(path, 200), _peak_bytes(path, 1000)
    assert path.stat().st_size > 3_000_000
    assert many < few * 1.3 + 200_000 < 2_000_000, (few, many)


def test_a_reader_bug_costs_one_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from eventwire.ingest import warc

    real = warc.page_fields
    calls: list[str | None] = []

    def flaky(markup: str, limits: object, url: str | None = None) -> object:
        calls.append(url)
        if len(calls) == 1:
            raise RuntimeError("simulated bug")
        return real(markup, limits, url)  # type: ignore[arg-type]

    monkeypatch.setattr(warc, "page_fields", flaky)
    pages = [(f"https://example.org/{n}", PAGE.encode(), "text/html") for n in range(2)]
    found = items(_warc(tmp_path / "a.warc", pages, False))
    first, second = (i for _, _, i in found)
    assert isinstance(first, Failure) and first.code == "E199" and "simulated" in first.reason
    assert isinstance(second, Article)
