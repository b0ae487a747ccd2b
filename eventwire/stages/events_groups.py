"""Generic groups in events: a country for a bare group where the event's place supports it.

Runs after the places stage (it needs ``event.place``). A participant that is a bare group
(kind ``group``, no code: "police", "protesters") of a local sector
(``data/actors/groups.toml``) in an event located in a country gets that country, as code
and country, and a key made of (country, sector, noun). Armed and foreign groups keep no
country. Armed and foreign groups keep no country. A protest with no named target whose
phrase names the state's leadership ("against the government") gets the government of the
country it took place in as recipient; otherwise none. The article's mention list keeps the
bare actor.

Reads ``article.events`` (participants, place). Writes event participants.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from eventwire.data import read_toml
from eventwire.ids import actor_key, group_key
from eventwire.model import Actor, Event
from eventwire.resources import Resources
from eventwire.stages import Work

if TYPE_CHECKING:
    from spacy.tokens import Token

DATA_FILE = "data/actors/groups.toml"


@dataclass(frozen=True)
class GroupRules:
    local_sectors: frozenset[str]
    protest_types: frozenset[str]
    protest_preps: frozenset[str]
    protest_verbs: frozenset[str]
    protest_nouns: frozenset[str]

    @classmethod
    def load(cls) -> GroupRules:
        raw = read_toml(DATA_FILE, "E039")
        target = raw["protest_target"]
        return cls(frozenset(raw["local"]["sectors"]), frozenset(target["types"]),
                   frozenset(target["preps"]), frozenset(target["verbs"]),
                   frozenset(target["nouns"]))

    def targets_government(self, trigger: Token) -> bool:
        """The protest's own phrase names the state's leadership ("against the government",
        "demanding the resignation of the president")."""
        phrases = [c for c in trigger.children if self._target_phrase(c)]
        return any(t.lemma_.lower() in self.protest_nouns for c in phrases for t in c.subtree)

    def _target_phrase(self, c: Token) -> bool:
        if c.dep_ == "prep":
            return c.lower_ in self.protest_preps
        return c.dep_ in ("advcl", "xcomp", "conj") and c.lemma_.lower() in self.protest_verbs


def located(actor: Actor, country: str) -> Actor:
    """The bare group as a group of ``country``."""
    return replace(actor, code=country, country=country,
                   key=group_key(country, actor.sector, actor.name))


class EventGroups:
    name = "events_groups"

    def __init__(self, res: Resources) -> None:
        self.rules: GroupRules = res.get("events.groups", lambda _r: GroupRules.load())
        self.res = res

    def __call__(self, work: Work) -> None:
        for event in work.article.events:
            country = event.place.country if event.place and event.place.is_event_location \
                else None
            if country:
                event.actors = [self._grounded(a, country) for a in event.actors]
                event.recipients = [self._grounded(a, country) for a in event.recipients]
                _drop_repeats(event)
                self._protest_target(work, event, country)

    def _protest_target(self, work: Work, event: Event, country: str) -> None:
        """A protest with no named target, against the government of the country it took
        place in where its own phrase says so (``[protest_target]``)."""
        if event.type not in self.rules.protest_types or event.recipients:
            return
        trigger = trigger_token(work, event)
        if trigger is None or not self.rules.targets_government(trigger):
            return
        if any((a.code or a.country) == country and a.sector == "GOV" for a in event.actors):
            return
        event.recipients = [self._government(country)]

    def _government(self, country: str) -> Actor:
        """The government of ``country``, named and keyed as the actors stage does."""
        from eventwire.stages.actors import dictionary

        d = dictionary(self.res)
        name = f"{d.adjective(country)} {d.labels.get('GOV', 'government')}"
        return Actor(name, country, country, "GOV", "country",
                     key=actor_key("country", country, name))

    def _grounded(self, actor: Actor, country: str) -> Actor:
        if actor.kind != "group" or actor.code or actor.unknown \
                or actor.sector not in self.rules.local_sectors:
            return actor
        return located(actor, country)


def trigger_token(work: Work, event: Event) -> Token | None:
    """The parsed token of the event's trigger, if the sentence was parsed."""
    doc = work.docs.get(event.evidence.sentence)
    trigger = event.evidence.trigger
    if doc is None or trigger is None:
        return None
    start = trigger.start - work.offset(event.evidence.sentence)
    return next((t for t in doc if t.idx == start), None)


def _drop_repeats(event: Event) -> None:
    """A recipient that became one of the actors ("police clashed with police") stays only
    on the actor side."""
    keys = {a.key for a in event.actors}
    event.recipients = [r for r in event.recipients if r.key not in keys]



def build(res: Resources) -> EventGroups:
    return EventGroups(res)
