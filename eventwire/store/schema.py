"""The store's tables (SQLAlchemy Core), the same on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

ID = String(40)

meta = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

articles = Table(
    "articles", metadata,
    Column("id", ID, primary_key=True),
    Column("title", Text),
    Column("text", Text, nullable=False),
    Column("published", String(10), index=True),
    Column("author", Text),
    Column("source", Text),
    Column("url", Text),
    Column("lang", String(16)),
    Column("origin", Text),
    Column("annotations", Text, nullable=False, default="{}"),
    Column("pipeline_version", String(64), nullable=False),
    Column("ingested_at", String(32), nullable=False),
)

article_copies = Table(
    "article_copies", metadata,
    Column("copy_id", ID, primary_key=True),
    Column("article_id", ID, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("origin", Text),
    Column("similarity", Float, nullable=False),
)

actors = Table(
    "actors", metadata,
    Column("key", ID, primary_key=True),
    Column("name", Text, nullable=False),
    Column("code", String(32), index=True),
    Column("country", String(3), index=True),
    Column("sector", String(8)),
    Column("kind", String(16), nullable=False),
    Column("office", Text),
    Column("wikidata", String(32)),
    # an agent the text does not name ("were arrested"); added by migration 3
    Column("unknown", Boolean, nullable=False, default=False, server_default="0"),
)

events = Table(
    "events", metadata,
    Column("id", ID, primary_key=True),
    Column("article_id", ID, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("type", String(16), nullable=False),
    Column("mode", String(32)),
    Column("modality", String(16), nullable=False),
    Column("context", Text, nullable=False, default=""),
    Column("date_value", String(10)),
    Column("date_precision", String(8)),
    Column("date_basis", String(16)),
    Column("date_timex", String(32)),
    Column("date_refused", String(16)),  # reason a found date was refused (migration 3)
    Column("place_name", Text),
    Column("place_geonames_id", Integer),
    Column("place_country", String(3)),
    Column("place_admin1", Text),
    Column("place_lat", Float),
    Column("place_lon", Float),
    Column("place_precision", String(8)),
    Column("place_feature_class", String(4)),
    Column("place_feature_code", String(10)),
    Column("claimed_by", ID, ForeignKey("actors.key")),
    Column("claimed_by_text", Text),
    Column("confidence", Float, nullable=False),
    Column("intensity", Float),
    Column("quad", Integer),
    Column("cameo", String(4)),
    Column("cluster_id", ID, index=True),
    Column("actor_codes", Text, nullable=False, default=""),
    Column("recipient_codes", Text, nullable=False, default=""),
    Column("pipeline_version", String(64), nullable=False),
    Index("ix_events_type_date", "type", "date_value"),
    Index("ix_events_date", "date_value"),
    Index("ix_events_place_country", "place_country"),
)

participants = Table(
    "event_participants", metadata,
    Column("event_id", ID, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("role", String(10), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("actor_key", ID, ForeignKey("actors.key"), nullable=False),
    Column("mention_text", Text),
    Column("mention_start", Integer),
    Column("mention_end", Integer),
    Index("ix_participants_actor", "actor_key", "role", "event_id"),
)

evidence = Table(
    "evidence", metadata,
    Column("event_id", ID, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", ID, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("sentence", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("quote", Text, nullable=False),
    Column("trigger_start", Integer),
    Column("trigger_end", Integer),
)

quotes = Table(
    "quotes", metadata,
    Column("id", ID, primary_key=True),
    Column("article_id", ID, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("speaker_key", ID, ForeignKey("actors.key")),
    Column("speaker_text", Text),
    Column("speaker_start", Integer),
    Column("speaker_end", Integer),
    Column("cue", Text),
    Column("content_start", Integer, nullable=False),
    Column("content_end", Integer, nullable=False),
    Column("content", Text, nullable=False),
    Column("direct", Boolean, nullable=False),
)

runs = Table(
    "runs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", String(32), nullable=False),
    Column("finished_at", String(32)),
    Column("status", String(16), nullable=False),
    Column("args", Text, nullable=False, default=""),
)

progress = Table(
    "progress", metadata,
    Column("path", Text, primary_key=True),
    Column("records_done", Integer, nullable=False),
    Column("size", Integer),
    Column("mtime", Float),
    Column("run_id", Integer, ForeignKey("runs.id")),
)

failures = Table(
    "failures", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id"), index=True),
    Column("path", Text, nullable=False),
    Column("record", Text),
    Column("stage", String(16), nullable=False),
    Column("code", String(8), nullable=False),
    Column("reason", Text, nullable=False),
    Column("hint", Text, nullable=False, default=""),
    Column("created_at", String(32), nullable=False),
)
