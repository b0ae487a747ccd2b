"""Hand-made coded articles for the API and UI tests (no NLP: the events, actors, places
and dates are written here by hand, in our own words, and stored with Store.write)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from eventwire.ids import article_id, event_id
from eventwire.model import (
    Actor,
    Article,
    Event,
    EventDate,
    Evidence,
    Failure,
    Place,
    Sentence,
    Span,
    TimeExpression,
    span_of,
)
from eventwire.ontology import load as load_ontology
from eventwire.pipeline import BatchResult
from eventwire.store import Store

STATES = {
    "RUS": "Russia", "TKM": "Turkmenistan", "AFG": "Afghanistan", "CHN": "China",
    "PAK": "Pakistan", "USA": "United States", "NOR": "Norway", "CHL": "Chile",
}
PLACES = {
    "Ashgabat": (162183, "TKM", 37.95, 58.38), "Kabul": (1138958, "AFG", 34.53, 69.17),
    "Islamabad": (1176615, "PAK", 33.72, 73.04), "Washington": (4140963, "USA", 38.90, -77.04),
    "Moscow": (524901, "RUS", 55.75, 37.62), "Serhetabat": (1218612, "TKM", 35.28, 62.34),
    "Oslo": (3143244, "NOR", 59.91, 10.75),
}


def find(text: str, needle: str, after: int = 0) -> Span:
    start = text.index(needle, after)
    return span_of(text, start, start + len(needle))


def state(text: str, code: str, mention: str | None = None) -> Actor:
    name = STATES[code]
    return Actor(name, code, code, "GOV", "country",
                 span=find(text, mention) if mention else None)


def person(text: str, name: str, code: str, office: str, mention: str | None = None) -> Actor:
    return Actor(name, code, code, "GOV", "person", office=office,
                 span=find(text, mention or name))


def place(text: str, name: str) -> Place:
    gid, country, lat, lon = PLACES[name]
    return Place(name, find(text, name) if name in text else None, gid, country, lat, lon,
                 "P", "PPLC", None, "point", True)


@dataclass
class Spec:
    """One event to code by hand: the evidence sentence is found by its first words."""

    type: str
    sentence: str
    actors: list[Actor]
    recipients: list[Actor]
    date: str
    place: str | None = None
    mode: str | None = None
    confidence: float = 0.8
    cluster_of: str | None = None
    context: list[str] = field(default_factory=list)


def sentence_span(text: str, starts_with: str) -> Span:
    start = text.index(starts_with)
    end = text.find(". ", start)
    end = len(text) if end < 0 else end + 1
    return span_of(text, start, end)


def coded(text: str, title: str, published: str, source: str, specs: list[Spec],
          times: list[tuple[str, str]] = ()) -> Article:  # type: ignore[assignment]
    aid = article_id(text, title)
    onto = load_ontology()
    sentences = [sentence_span(text, s.sentence) for s in specs]
    article = Article(id=aid, text=text, title=title, published=published, source=source,
                      url=f"https://news.example.org/{aid}", lang="en")
    article.sentences = [Sentence(i, s) for i, s in enumerate(sentences)]
    for spec, sent in zip(specs, sentences, strict=True):
        codes = [a.code or "" for a in spec.actors + spec.recipients]
        eid = event_id(aid, sent.start, sent.end, spec.type, codes)
        t = onto.types[spec.type]
        pl = place(text, spec.place) if spec.place else None
        article.events.append(Event(
            id=eid, type=spec.type, mode=spec.mode, context=spec.context,
            evidence=Evidence(aid, sentences.index(sent), sent, sent.text),
            actors=spec.actors, recipients=spec.recipients,
            date=EventDate(spec.date, "day", "explicit", spec.date), place=pl,
            confidence=spec.confidence, intensity=onto.intensity(spec.type, spec.mode),
            quad=t.quad, cameo=t.cameo[0], cluster_id=spec.cluster_of))
        article.actors += [a for a in spec.actors + spec.recipients if a.span]
        if pl and pl.span:
            article.places.append(pl)
    for words, value in times:
        article.times.append(TimeExpression(find(text, words), "DATE", value, True))
    return article


def articles() -> list[Article]:
    """Seven articles, thirteen events, one event reported twice, one hostile article."""
    out = []
    t = ("Russia and Turkmenistan held talks in Ashgabat on Tuesday. Foreign Minister "
         "Sergei Lavrov met his Turkmen counterpart Rashid Meredov at the foreign ministry. "
         "The two sides agreed to widen cooperation on gas transit.")
    out.append(coded(t, "Lavrov in Ashgabat for talks on gas", "2021-08-11", "Example Wire", [
        Spec("CONSULT", "Russia and Turkmenistan held", [state(t, "RUS", "Russia")],
             [state(t, "TKM", "Turkmenistan")], "2021-08-10", "Ashgabat", "visit", 0.92),
        Spec("CONSULT", "Foreign Minister Sergei",
             [person(t, "Sergei Lavrov", "RUS", "Foreign Minister")],
             [person(t, "Rashid Meredov", "TKM", "Foreign Minister")], "2021-08-10",
             "Ashgabat", "visit", 0.88),
        Spec("AGREE", "The two sides agreed", [state(t, "RUS")], [state(t, "TKM")],
             "2021-08-10", None, None, 0.71, context=["economic"]),
    ], times=[("Tuesday", "2021-08-10")]))
    t = ("Turkmenistan accused Afghanistan of shelling a border post near Serhetabat. "
         "Officials in Ashgabat said two guards were hurt on Sunday.")
    out.append(coded(t, "Border post shelled, Ashgabat says", "2021-09-02", "Steppe Daily", [
        Spec("ACCUSE", "Turkmenistan accused", [state(t, "TKM", "Turkmenistan")],
             [state(t, "AFG", "Afghanistan")], "2021-09-02", "Serhetabat", "allege", 0.83),
        Spec("ASSAULT", "Officials in Ashgabat said", [state(t, "AFG")], [state(t, "TKM")],
             "2021-08-29", "Serhetabat", None, 0.52, context=["military"]),
    ], times=[("Sunday", "2021-08-29")]))
    t = ("Russia delivered forty tonnes of food and medicine to Afghanistan. The cargo "
         "plane landed in Kabul on Friday, the ministry in Moscow said.")
    out.append(coded(t, "Russian aid flight reaches Kabul", "2021-10-16", "Example Wire", [
        Spec("AID", "Russia delivered", [state(t, "RUS", "Russia")],
             [state(t, "AFG", "Afghanistan")], "2021-10-15", "Kabul", None, 0.9,
             context=["human_security"]),
    ], times=[("Friday", "2021-10-15")]))
    t = ("China and Pakistan signed a new road and rail agreement in Islamabad. Beijing "
         "praised the project as a model of friendship.")
    out.append(coded(t, "China and Pakistan sign transport deal", "2022-01-20",
                     "Harbour Times", [
        Spec("SUPPORT", "China and Pakistan signed", [state(t, "CHN", "China")],
             [state(t, "PAK", "Pakistan")], "2022-01-20", "Islamabad", None, 0.86),
        Spec("SUPPORT", "Beijing praised", [state(t, "CHN", "Beijing")], [state(t, "PAK")],
             "2022-01-20", None, None, 0.6),
    ]))
    t = ("The United States imposed sanctions on Russia over the border crisis. The Treasury "
         "in Washington named twelve companies.")
    sanctions = coded(t, "Washington announces new sanctions", "2022-03-05", "Example Wire", [
        Spec("SANCTION", "The United States imposed", [state(t, "USA", "United States")],
             [state(t, "RUS", "Russia")], "2022-03-05", "Washington", None, 0.95),
    ])
    out.append(sanctions)
    t = ("Washington has put sanctions on Russia, officials said. Moscow called the "
         "measures illegal and vowed to respond.")
    out.append(coded(t, "Moscow condemns US sanctions", "2022-03-06", "Steppe Daily", [
        Spec("SANCTION", "Washington has put", [state(t, "USA", "Washington")],
             [state(t, "RUS", "Russia")], "2022-03-05", "Washington", None, 0.8,
             cluster_of=sanctions.events[0].id),
        Spec("REJECT", "Moscow called", [state(t, "RUS", "Moscow")], [state(t, "USA")],
             "2022-03-06", "Moscow", None, 0.77),
    ]))
    t = ("Russia rejected a request from Turkmenistan to lower gas prices. Talks will resume "
         "in Moscow next month.")
    out.append(coded(t, "Gas price talks stall", "2022-06-10", "Steppe Daily", [
        Spec("REJECT", "Russia rejected", [state(t, "RUS", "Russia")],
             [state(t, "TKM", "Turkmenistan")], "2022-06-09", "Moscow", None, 0.74),
    ]))
    return out


HOSTILE_TEXT = ('Norway <img src=x onerror="window.__pwned=2"> hosted talks with Chile in '
                'Oslo<script>window.__pwned=1</script>. Nothing else <b>happened</b>.')


def hostile() -> Article:
    """An article whose text carries markup and script: the UI must show it as text."""
    t = HOSTILE_TEXT
    return coded(t, "<script>window.__pwned=3</script>Talks", "2023-05-01", "<i>x</i>", [
        Spec("CONSULT", "Norway <img", [state(t, "NOR", "Norway")],
             [state(t, "CHL", "Chile")], "2023-05-01", "Oslo", None, 0.9),
    ])


def fill(store: Store) -> list[Article]:
    """Writes every sample article (the hostile one included); returns them."""
    items = [*articles(), hostile()]
    store.write(items, version="test")
    return items


class HandCoder:
    """Stands in for the Pipeline in API tests: codes 'Norway hosted talks with Chile' by
    hand; a text containing 'BREAK' fails as a stage would."""

    def process(self, articles: list[Article]) -> BatchResult:
        result = BatchResult()
        for a in articles:
            if "BREAK" in a.text:
                result.failures.append(Failure(a.id, "E201", "stage events failed", record=a.id))
                continue
            if "hosted talks with" in a.text:
                talks = Spec("CONSULT", "Norway", [state(a.text, "NOR")],
                             [state(a.text, "CHL")], "2024-01-02")
                a.events = coded(a.text, a.title or "", "2024-01-01", "t", [talks]).events
            result.articles.append(a)
        return result


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """Runs ``app`` with uvicorn on a free localhost port in a background thread; yields
    its base URL and stops it afterwards."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, name="eventwire-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
