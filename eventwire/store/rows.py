"""Article <-> table rows. The only place that knows how the model maps onto the schema."""

from __future__ import annotations

import json
from typing import Any

from eventwire.ids import actor_key, digest
from eventwire.model import Actor, Article, Event, Quote, plain

ANNOTATED = ("sentences", "entities", "actors", "times", "places", "quotes")


def actor_row(actor: Actor) -> dict[str, Any]:
    return {
        "key": key_of(actor), "name": actor.name, "code": actor.code, "country": actor.country,
        "sector": actor.sector, "kind": actor.kind, "office": actor.office,
        "wikidata": actor.wikidata, "unknown": actor.unknown,
    }


def key_of(actor: Actor) -> str:
    return actor.key or actor_key(actor.kind, actor.code, actor.name)


def article_row(article: Article, version: str, now: str) -> dict[str, Any]:
    notes: dict[str, Any] = {name: plain(getattr(article, name)) for name in ANNOTATED}
    notes["dateline"] = plain(article.dateline) if article.dateline else None
    notes["meta"] = article.meta
    return {
        "id": article.id, "title": article.title, "text": article.text,
        "published": article.published, "author": article.author, "source": article.source,
        "url": article.url, "lang": article.lang, "origin": article.origin,
        "annotations": json.dumps(notes, ensure_ascii=False, default=str),
        "pipeline_version": version, "ingested_at": now,
    }


def _codes(actors: list[Actor]) -> str:
    return ";".join(a.code or "" for a in actors)


def event_row(event: Event, version: str) -> dict[str, Any]:
    d, p = event.date, event.place
    return {
        "id": event.id, "article_id": event.evidence.article_id, "type": event.type,
        "mode": event.mode, "modality": event.modality, "context": ";".join(event.context),
        "date_value": d.value, "date_precision": d.precision, "date_basis": d.basis,
        "date_timex": d.timex, "date_refused": d.refused,
        "place_name": p.name if p else None, "place_geonames_id": p.geonames_id if p else None,
        "place_country": p.country if p else None, "place_admin1": p.admin1 if p else None,
        "place_lat": p.lat if p else None, "place_lon": p.lon if p else None,
        "place_precision": p.precision if p else None,
        "place_feature_class": p.feature_class if p else None,
        "place_feature_code": p.feature_code if p else None,
        "claimed_by": key_of(event.claimed_by) if event.claimed_by else None,
        "claimed_by_text": event.claimed_by.name if event.claimed_by else None,
        "confidence": event.confidence, "intensity": event.intensity, "quad": event.quad,
        "cameo": event.cameo, "cluster_id": event.cluster_id or event.id,
        "actor_codes": _codes(event.actors), "recipient_codes": _codes(event.recipients),
        "pipeline_version": version,
    }


def participant_rows(event: Event) -> list[dict[str, Any]]:
    rows = []
    for role, group in (("actor", event.actors), ("recipient", event.recipients)):
        for position, actor in enumerate(group):
            span = actor.span
            rows.append({
                "event_id": event.id, "role": role, "position": position,
                "actor_key": key_of(actor), "mention_text": span.text if span else actor.name,
                "mention_start": span.start if span else None,
                "mention_end": span.end if span else None,
            })
    return rows


def evidence_row(event: Event) -> dict[str, Any]:
    ev = event.evidence
    return {
        "event_id": event.id, "article_id": ev.article_id, "sentence": ev.sentence,
        "start": ev.span.start, "end": ev.span.end, "quote": ev.quote,
        "trigger_start": ev.trigger.start if ev.trigger else None,
        "trigger_end": ev.trigger.end if ev.trigger else None,
    }


def quote_row(article_id: str, quote: Quote) -> dict[str, Any]:
    c = quote.content
    s = quote.speaker_span
    return {
        "id": "q" + digest(article_id, str(c.start), str(c.end), size=10),
        "article_id": article_id,
        "speaker_key": key_of(quote.speaker) if quote.speaker else None,
        "speaker_text": s.text if s else (quote.speaker.name if quote.speaker else None),
        "speaker_start": s.start if s else None, "speaker_end": s.end if s else None,
        "cue": quote.cue.text if quote.cue else None,
        "content_start": c.start, "content_end": c.end, "content": c.text,
        "direct": quote.direct,
    }


def article_actors(article: Article) -> list[Actor]:
    """Every distinct actor of the article: mentions, event participants, claimants, speakers."""
    found: dict[str, Actor] = {}
    pools: list[list[Actor]] = [article.actors]
    for e in article.events:
        pools += [e.actors, e.recipients, [e.claimed_by] if e.claimed_by else []]
    pools += [[q.speaker] for q in article.quotes if q.speaker]
    for pool in pools:
        for actor in pool:
            found.setdefault(key_of(actor), actor)
    return list(found.values())
