"""Generic groups in events: a country for a bare group where the event's place supports it.

Runs after the places stage (it needs ``event.place``). A participant that is a bare group
(kind ``group``, no code: "police", "protesters") of a local sector
(``data/actors/groups.toml``) in an event located in a country gets that country, as code
and country, and a key made of (country, sector, noun). Armed and foreign groups keep no
country. Nothing else changes; the article's mention list keeps the bare actor.

Reads ``article.events`` (participants, place). Writes event participants.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from importlib import resources as pkg_resources
from typing import Any

from eventwire.errors import EventwireError
from eventwire.ids import group_key
from eventwire.model import Actor, Event
from eventwire.resources import Resources
from eventwire.stages import Work

DATA_FILE = "data/actors/groups.toml"


@dataclass(frozen=True)
class GroupRules:
    local_sectors: frozenset[str]

    @classmethod
    def load(cls) -> GroupRules:
        return cls(frozenset(_read()["local"]["sectors"]))


def located(actor: Actor, country: str) -> Actor:
    """The bare group as a group of ``country``."""
    return replace(actor, code=country, country=country,
                   key=group_key(country, actor.sector, actor.name))


class EventGroups:
    name = "events_groups"

    def __init__(self, res: Resources) -> None:
        self.rules: GroupRules = res.get("events.groups", lambda _r: GroupRules.load())

    def __call__(self, work: Work) -> None:
        for event in work.article.events:
            country = event.place.country if event.place and event.place.is_event_location \
                else None
            if country:
                event.actors = [self._grounded(a, country) for a in event.actors]
                event.recipients = [self._grounded(a, country) for a in event.recipients]
                _drop_repeats(event)

    def _grounded(self, actor: Actor, country: str) -> Actor:
        if actor.kind != "group" or actor.code or actor.unknown \
                or actor.sector not in self.rules.local_sectors:
            return actor
        return located(actor, country)


def _drop_repeats(event: Event) -> None:
    """A recipient that became one of the actors ("police clashed with police") stays only
    on the actor side."""
    keys = {a.key for a in event.actors}
    event.recipients = [r for r in event.recipients if r.key not in keys]


def _read() -> dict[str, Any]:
    path = pkg_resources.files("eventwire").joinpath(DATA_FILE)
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise EventwireError(
            "E039", f"data file {DATA_FILE} cannot be read: {exc}",
            "reinstall eventwire or fix eventwire/data/actors/groups.toml") from exc


def build(res: Resources) -> EventGroups:
    return EventGroups(res)
