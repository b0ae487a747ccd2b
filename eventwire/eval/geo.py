"""``eventwire eval geo FILE.xml``: toponym resolution and end-to-end geoparsing on gold.

Reads the LGL / TR-News format (``<article><text>`` + ``<toponym><start><end><phrase>
<gaztag geonameid><lat><lon>``) and GeoWebNews ``GWN.xml`` (``<toponym><extractedName>
<nonLocational><start><end><latitude><longitude>``). Scored: gold toponyms with coordinates
(GWN: those marked locational). Two settings:

* gold spans: each gold toponym is resolved by the places stage's resolver, with the article
  as context; an unresolved toponym counts as wrong (error = half the Earth's circumference);
* end to end: the places stage on the article (spaCy NER + gazetteer), recognition precision,
  recall and F1 against the gold spans (exact; overlap also reported), then resolution of the
  gold toponyms matched by an overlapping predicted span.

Metrics as in Gritta et al. (2018, 2019): accuracy within 161 km, mean and median error in km
and the AUC of the error curve: the area under the sorted log(1 + error) curve, normalised by
log(20039) (0 is perfect, 1 is always at the antipode).
"""

from __future__ import annotations

import math
import statistics
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventwire.errors import EventwireError
from eventwire.gazetteer import Gazetteer, haversine_km, open_gazetteer
from eventwire.model import Article, Place, Sentence, span_of
from eventwire.stages import Work
from eventwire.stages.places import build as build_places
from eventwire.stages.places import mention_of, resolve, text_countries

if TYPE_CHECKING:
    from rich.console import Console

    from eventwire.resources import Resources

MAX_KM = 20039.0
ACC_KM = 161.0


@dataclass(slots=True)
class GoldToponym:
    start: int
    end: int
    text: str
    lat: float
    lon: float
    geonameid: int | None = None


@dataclass(slots=True)
class GoldArticle:
    id: str
    text: str
    toponyms: list[GoldToponym] = field(default_factory=list)


# --------------------------------------------------------------------------- readers


def read(path: str | Path) -> list[GoldArticle]:
    """Gold articles of an LGL/TR-News or GeoWebNews XML file (format detected)."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise EventwireError("E501", f"cannot read gold file {path}: {exc}",
                             "give an LGL/TR-News or GeoWebNews (GWN.xml) XML file") from exc
    articles = [_article(node, i) for i, node in enumerate(root.iter("article"))]
    if not articles:
        raise EventwireError("E502", f"no <article> elements in {path}",
                             "give an LGL/TR-News or GeoWebNews (GWN.xml) XML file")
    return articles


def _article(node: ET.Element, index: int) -> GoldArticle:
    text = node.findtext("text") or ""
    ident = node.get("docid") or node.get("file") or str(index)
    article = GoldArticle(ident, text)
    for top in node.iter("toponym"):
        gold = _lgl_toponym(top, text) if top.find("gaztag") is not None or top.find(
            "phrase") is not None else _gwn_toponym(top, text)
        if gold is not None:
            article.toponyms.append(gold)
    return article


def _lgl_toponym(node: ET.Element, text: str) -> GoldToponym | None:
    gaz = node.find("gaztag")
    if gaz is None or not (gaz.findtext("lat") or "").strip():
        return None
    lat, lon = float(gaz.findtext("lat") or 0), float(gaz.findtext("lon") or 0)
    ident = gaz.get("geonameid")
    return _aligned(text, node, "phrase", lat, lon, int(ident) if ident else None)


def _gwn_toponym(node: ET.Element, text: str) -> GoldToponym | None:
    if (node.findtext("nonLocational") or "").strip().lower() == "yes":
        return None
    lat, lon = (node.findtext("latitude") or "").strip(), (node.findtext("longitude") or "").strip()
    if not lat or not lon:
        return None
    ident = (node.findtext("geonamesID") or "").strip()
    return _aligned(text, node, "extractedName", float(lat), float(lon),
                    int(ident) if ident.isdigit() else None)


def _aligned(text: str, node: ET.Element, tag: str, lat: float, lon: float,
             geonameid: int | None) -> GoldToponym | None:
    """The toponym at its offsets, or the nearest occurrence of its phrase (a few are off)."""
    start, end = int(node.findtext("start") or 0), int(node.findtext("end") or 0)
    phrase = node.findtext(tag) or text[start:end]
    if text[start:end] != phrase:
        found = text.find(phrase, max(0, start - 60))
        if found < 0 or abs(found - start) > 120:
            return None
        start, end = found, found + len(phrase)
    return GoldToponym(start, end, phrase, lat, lon, geonameid)


# --------------------------------------------------------------------------- metrics


def error_km(place: Place | None, gold: GoldToponym) -> float:
    if place is None or place.lat is None or place.lon is None:
        return MAX_KM
    return haversine_km(place.lat, place.lon, gold.lat, gold.lon)


def summary(errors: list[float]) -> dict[str, Any]:
    if not errors:
        return {"n": 0, "acc_at_161km": 0.0, "mean_km": 0.0, "median_km": 0.0, "auc": 1.0}
    return {"n": len(errors),
            "acc_at_161km": round(sum(e <= ACC_KM for e in errors) / len(errors), 4),
            "mean_km": round(statistics.fmean(errors), 1),
            "median_km": round(statistics.median(errors), 1),
            "auc": round(auc(errors), 4)}


def auc(errors: list[float]) -> float:
    """Area under the sorted log-error curve, normalised to [0, 1] (Gritta et al.)."""
    logs = sorted(math.log(1 + min(e, MAX_KM)) for e in errors)
    if len(logs) == 1:
        return logs[0] / math.log(MAX_KM)
    area = sum((a + b) / 2 for a, b in zip(logs, logs[1:], strict=False))
    return area / (math.log(MAX_KM) * (len(logs) - 1))


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


# --------------------------------------------------------------------------- settings


def gold_span_errors(gaz: Gazetteer, articles: list[GoldArticle]) -> list[float]:
    """Resolution with the gold spans given: one error per gold toponym."""
    errors: list[float] = []
    for art in articles:
        mentions = [mention_of(art.text, t.start, t.end) for t in art.toponyms]
        places = resolve(gaz, art.text, mentions, text_countries(gaz, art.text))
        errors.extend(error_km(p, t) for p, t in zip(places, art.toponyms, strict=True))
    return errors


def end_to_end(res: Resources, articles: list[GoldArticle]) -> dict[str, Any]:
    """The places stage on each article (all sentences parsed), scored against gold."""
    stage = build_places(res)
    works = list(_parsed_works(res, articles))
    started = time.perf_counter()
    for work in works:
        stage(work)
    stage_seconds = time.perf_counter() - started
    exact = overlap = n_pred = n_gold = 0
    errors: list[float] = []
    for art, work in zip(articles, works, strict=True):
        pred = [p for p in work.article.places if p.span is not None]
        n_pred += len(pred)
        n_gold += len(art.toponyms)
        spans = {(p.span.start, p.span.end) for p in pred if p.span}
        exact += sum((t.start, t.end) in spans for t in art.toponyms)
        matched = _match_overlap(pred, art.toponyms)
        overlap += len(matched)
        errors.extend(error_km(p, t) for p, t in matched)
    return {"recognition": prf(exact, n_pred, n_gold),
            "recognition_overlap": prf(overlap, n_pred, n_gold),
            "resolution": summary(errors),
            "stage_ms_per_article": round(1000 * stage_seconds / max(1, len(works)), 2)}


def _match_overlap(pred: list[Place], gold: list[GoldToponym]) -> list[tuple[Place, GoldToponym]]:
    """One-to-one pairs of overlapping predicted and gold spans, in text order."""
    pairs: list[tuple[Place, GoldToponym]] = []
    used: set[int] = set()
    for t in gold:
        for i, p in enumerate(pred):
            if i not in used and p.span and p.span.start < t.end and t.start < p.span.end:
                pairs.append((p, t))
                used.add(i)
                break
    return pairs


def _parsed_works(res: Resources, articles: list[GoldArticle]) -> list[Work]:
    """Works with every sentence segmented and parsed (NER only, batched with nlp.pipe)."""
    works = [_segmented(res, art) for art in articles]
    items = [(w, s) for w in works for s in w.article.sentences]
    nlp = res.nlp
    disable = [n for n in nlp.pipe_names if n not in ("tok2vec", "ner")]
    texts = (s.span.text for _, s in items)
    for (work, sentence), doc in zip(items, nlp.pipe(texts, batch_size=256, disable=disable),
                                     strict=True):
        work.docs[sentence.index] = doc
    return works


def _segmented(res: Resources, art: GoldArticle) -> Work:
    article = Article(id=art.id, text=art.text)
    doc = res.segmenter(art.text)
    for sent in doc.sents:
        text = sent.text.rstrip()
        start = sent.start_char
        if text.strip():
            article.sentences.append(Sentence(len(article.sentences),
                                              span_of(art.text, start, start + len(text))))
    return Work(article)


# --------------------------------------------------------------------------- entry points


def run(path: str | Path, e2e: bool = True, res: Resources | None = None) -> dict[str, Any]:
    """Scores ``path`` in both settings; JSON-serialisable."""
    from eventwire.resources import Resources

    res = res or Resources()
    articles = read(path)
    gaz = open_gazetteer(res)
    started = time.perf_counter()
    gold = summary(gold_span_errors(gaz, articles))
    resolve_seconds = time.perf_counter() - started
    result: dict[str, Any] = {
        "file": str(path), "articles": len(articles),
        "toponyms": sum(len(a.toponyms) for a in articles),
        **gold, "resolve_ms_per_article": round(1000 * resolve_seconds / len(articles), 2)}
    if e2e:
        both = end_to_end(res, articles)
        result.update({
            "e2e_acc_at_161km": both["resolution"]["acc_at_161km"],
            "e2e_mean_km": both["resolution"]["mean_km"],
            "e2e_median_km": both["resolution"]["median_km"],
            "e2e_auc": both["resolution"]["auc"],
            "e2e_matched": both["resolution"]["n"],
            "recognition_precision": both["recognition"]["precision"],
            "recognition_recall": both["recognition"]["recall"],
            "recognition_f1": both["recognition"]["f1"],
            "recognition_overlap_f1": both["recognition_overlap"]["f1"],
            "stage_ms_per_article": both["stage_ms_per_article"]})
    return result


def render(result: dict[str, Any], console: Console) -> None:
    from rich.table import Table

    table = Table(title=f"geo: {result['file']} ({result['articles']} articles, "
                        f"{result['toponyms']} scored toponyms)")
    for column in ("setting", "n", "acc@161km", "mean km", "median km", "AUC"):
        table.add_column(column, justify="right" if column != "setting" else "left")
    table.add_row("gold spans", str(result["n"]), f"{result['acc_at_161km']:.3f}",
                  f"{result['mean_km']:.0f}", f"{result['median_km']:.0f}",
                  f"{result['auc']:.3f}")
    if "e2e_acc_at_161km" in result:
        table.add_row("end to end (matched)", str(result["e2e_matched"]),
                      f"{result['e2e_acc_at_161km']:.3f}", f"{result['e2e_mean_km']:.0f}",
                      f"{result['e2e_median_km']:.0f}", f"{result['e2e_auc']:.3f}")
    console.print(table)
    if "recognition_f1" in result:
        console.print(f"recognition (exact spans): P {result['recognition_precision']:.3f}  "
                      f"R {result['recognition_recall']:.3f}  F1 {result['recognition_f1']:.3f}"
                      f"  (overlap F1 {result['recognition_overlap_f1']:.3f})")
        console.print(f"places stage: {result['stage_ms_per_article']:.1f} ms/article")
