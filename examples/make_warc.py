"""Builds aid_delivery.warc.gz, the WARC demo input, with warcio.

The archive holds what a crawler would have saved for one news page: the request, the
HTML response (the article) and a small image response that the reader passes over.
Record ids and dates are fixed, so the file is the same on every run:

    .venv/bin/python examples/make_warc.py
"""

from __future__ import annotations

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent
OUT = HERE / "aid_delivery.warc.gz"
URL = "https://example.org/world/aid-convoy-sindh"
CRAWLED = "2025-09-03T08:15:00Z"

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>UN aid convoy reaches flood-hit districts in Sindh</title>
<meta name="author" content="Sana Qureshi">
<meta property="article:published_time" content="2025-09-02T16:30:00+05:00">
<meta property="og:site_name" content="Indus Herald">
</head>
<body>
<header><a href="/">Indus Herald</a></header>
<main>
<article>
<h1>UN aid convoy reaches flood-hit districts in Sindh</h1>
<p>A convoy of forty trucks carrying food, tents and medicine reached the flooded districts
of Dadu and Jacobabad in Sindh province on Tuesday, 2 September 2025, the United Nations
said.</p>
<p>The UN Resident Coordinator in Pakistan, Henrik Solberg, said in Karachi that the convoy
delivered enough wheat flour and pulses to feed about 60,000 people for a month. "Roads are
still under water in places, so the last stretch was done by boat," he said.</p>
<p>Sindh Chief Minister Asad Memon thanked the World Food Programme and the Pakistan Army for
clearing the route and said the provincial government would open twelve more relief camps
by the end of the week.</p>
<p>The National Disaster Management Authority said on Tuesday that more than 300,000 people
had left their homes since heavy monsoon rain began on 20 August.</p>
</article>
</main>
<footer>Indus Herald, Karachi</footer>
</body>
</html>
"""

# A 1x1 transparent GIF: a non-HTML record that the reader must pass over.
PIXEL = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c"
                      "00000000010001000002024401003b")


def _record(writer: WARCWriter, kind: str, url: str, body: bytes,
            http: StatusAndHeaders, number: int) -> None:
    headers = {"WARC-Date": CRAWLED,
               "WARC-Record-ID": f"<urn:uuid:00000000-0000-4000-8000-{number:012d}>"}
    record = writer.create_warc_record(url, kind, payload=io.BytesIO(body),
                                       http_headers=http, warc_headers_dict=headers)
    writer.write_record(record)


def build(path: Path = OUT) -> Path:
    """Writes the demo archive to ``path`` and returns it."""
    page = PAGE.encode("utf-8")
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        _record(writer, "request", URL, b"",
                StatusAndHeaders("GET /world/aid-convoy-sindh HTTP/1.1",
                                 [("Host", "example.org")], is_http_request=True), 1)
        _record(writer, "response", URL, page,
                StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                            ("Content-Length", str(len(page)))],
                                 protocol="HTTP/1.1"), 2)
        _record(writer, "response", "https://example.org/pixel.gif", PIXEL,
                StatusAndHeaders("200 OK", [("Content-Type", "image/gif"),
                                            ("Content-Length", str(len(PIXEL)))],
                                 protocol="HTTP/1.1"), 3)
    return path


if __name__ == "__main__":
    print(build())
