"""Event rows (from :mod:`eventwire.query`) to files: JSON, CSV, PLOVER JSONL, POLECAT TSV,
Parquet. Dates are the period's first day plus ``date_precision`` and ``date_basis``;
list cells in CSV/TSV are joined with ``;``."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import IO, Any

from eventwire.pipeline import PIPELINE_VERSION

FORMATS = ("table", "json", "jsonl", "csv", "plover", "polecat", "parquet")

POLECAT_COLUMNS = [
    "Event ID", "Event Date", "Event Type", "Event Mode", "Event Intensity", "Quad Code",
    "Contexts", "Actor Name", "Actor Country", "Actor COW", "Primary Actor Sector",
    "Actor Sectors", "Actor Title", "Actor Name Raw", "Wikipedia Actor ID", "Recipient Name",
    "Recipient Country", "Recipient COW", "Primary Recipient Sector", "Recipient Sectors",
    "Recipient Title", "Recipient Name Raw", "Wikipedia Recipient ID", "Placename", "City",
    "District", "Province", "Country", "Latitude", "Longitude", "GeoNames ID", "Raw Placename",
    "Feature Type", "Source", "Publication Date", "Story People", "Story Organizations",
    "Story Locations", "Language", "Version",
]
EXTRA_COLUMNS = ["Date Precision", "Date Basis", "Modality", "Confidence", "Claimed By",
                 "Article ID", "Evidence"]

UNKNOWN_NAME = "Unknown"  # POLECAT's actor name for an agent the text does not name

FLAT_COLUMNS = [
    "id", "date", "date_precision", "date_basis", "type", "mode", "modality", "context",
    "intensity", "quad", "cameo", "actor_codes", "actor_names", "actor_sectors",
    "recipient_codes", "recipient_names", "recipient_sectors", "place", "place_country",
    "lat", "lon", "geonames_id", "claimed_by", "confidence", "reports", "article_id",
    "published", "source", "quote", "evidence_start", "evidence_end",
]


def _join(values: Iterable[Any]) -> str:
    return ";".join("" if v is None else str(v) for v in values)


def flat(row: dict[str, Any]) -> dict[str, Any]:
    """One event as a flat record (CSV, Parquet, table)."""
    ev = row.get("evidence") or {}
    art = row.get("article") or {}
    acts, recs = row["actors"], row["recipients"]
    return {
        "id": row["id"], "date": row["date_value"], "date_precision": row["date_precision"],
        "date_basis": row["date_basis"], "type": row["type"], "mode": row["mode"],
        "modality": row["modality"], "context": _join(row["context"]),
        "intensity": row["intensity"], "quad": row["quad"], "cameo": row["cameo"],
        "actor_codes": _join(a["code"] for a in acts),
        "actor_names": _join(a["name"] for a in acts),
        "actor_sectors": _join(a["sector"] for a in acts),
        "recipient_codes": _join(a["code"] for a in recs),
        "recipient_names": _join(a["name"] for a in recs),
        "recipient_sectors": _join(a["sector"] for a in recs),
        "place": row["place_name"], "place_country": row["place_country"],
        "lat": row["place_lat"], "lon": row["place_lon"],
        "geonames_id": row["place_geonames_id"], "claimed_by": row["claimed_by_text"],
        "confidence": row["confidence"], "reports": row.get("reports", 1),
        "article_id": row["article_id"], "published": art.get("published"),
        "source": art.get("source"), "quote": ev.get("quote"),
        "evidence_start": ev.get("start"), "evidence_end": ev.get("end"),
    }


def _entity(a: dict[str, Any]) -> dict[str, Any]:
    """A PLOVER actor/recipient; an agent the text does not name is ``{"unknown": true,
    "code": null, ...}`` (an event's actor list is never empty)."""
    if a.get("unknown"):
        return {"unknown": True, "code": None, "sector": None, "entity_text": None,
                "name": UNKNOWN_NAME, "kind": a["kind"]}
    out = {"code": a["code"], "sector": a["sector"], "entity_text": a["mention_text"],
           "name": a["name"], "kind": a["kind"]}
    if a.get("office"):
        out["office"] = a["office"]
    return out


def plover_record(row: dict[str, Any], coded: str) -> dict[str, Any]:
    """A PLOVER JSON record (field names as the PLOVER specification defines them)."""
    ev = row.get("evidence") or {}
    art = row.get("article") or {}
    rec: dict[str, Any] = {
        "id": row["id"], "date": row["date_value"],
        "date_precision": row["date_precision"], "date_basis": row["date_basis"],
        "actor": [_entity(a) for a in row["actors"]],
        "recipient": [_entity(a) for a in row["recipients"]],
        "event": row["type"], "mode": row["mode"] or "", "context": row["context"],
        "quad_code": row["quad"], "event_scale": row["intensity"],
        "modality": row["modality"], "confidence": row["confidence"],
        "event_text": ev.get("quote"), "text": ev.get("quote"),
        "text_info": {"sequence": ev.get("sentence"), "start": ev.get("start"),
                      "end": ev.get("end"), "text_story": row["article_id"]},
        "cite_info": {"corpus": art.get("source"), "title": art.get("title"),
                      "url": art.get("url"), "language": art.get("lang"),
                      "publication": art.get("published"), "coder": "eventwire",
                      "codebook": "PLOVER", "version": PIPELINE_VERSION},
        "coder": "eventwire", "coded_date": coded, "version": PIPELINE_VERSION,
        "reports": row.get("reports", 1),
    }
    if row["claimed_by_text"]:
        rec["claimed_by"] = row["claimed_by_text"]
    if row["place_name"]:
        rec["event_loc"] = {
            "extracted_place": row["place_name"], "resolved_place": row["place_name"],
            "geonameid": row["place_geonames_id"], "lat": row["place_lat"],
            "lon": row["place_lon"], "province": row["place_admin1"],
            "country_code": row["place_country"],
            "feature_class": row["place_feature_class"],
            "feature_code": row["place_feature_code"],
            "resolution": {"point": 4, "admin1": 2, "country": 1}.get(row["place_precision"] or ""),
        }
    return rec


def _name(a: dict[str, Any]) -> str:
    return UNKNOWN_NAME if a.get("unknown") else str(a["name"])


def _country(a: dict[str, Any]) -> str | None:
    """POLECAT's actor country: empty for an agent the text does not name."""
    return None if a.get("unknown") else (a["country"] or a["code"])


def polecat_record(row: dict[str, Any]) -> list[Any]:
    """One POLECAT TSV row in POLECAT's column order, then eventwire's extra columns."""
    art = row.get("article") or {}
    ev = row.get("evidence") or {}
    acts, recs = row["actors"], row["recipients"]

    def first(group: list[dict[str, Any]], key: str) -> Any:
        return group[0][key] if group else ""

    precision = row["place_precision"]
    values = [
        row["id"], row["date_value"] or "", row["type"], row["mode"] or "",
        row["intensity"], row["quad"], _join(row["context"]),
        _join(_name(a) for a in acts), _join(_country(a) for a in acts), "",
        first(acts, "sector") or "", _join(a["sector"] for a in acts),
        _join(a["office"] for a in acts), _join(a["mention_text"] for a in acts), "",
        _join(_name(a) for a in recs), _join(_country(a) for a in recs), "",
        first(recs, "sector") or "", _join(a["sector"] for a in recs),
        _join(a["office"] for a in recs), _join(a["mention_text"] for a in recs), "",
        row["place_name"] or "", row["place_name"] if precision == "point" else "", "",
        row["place_admin1"] or "", row["place_country"] or "", row["place_lat"],
        row["place_lon"], row["place_geonames_id"], row["place_name"] or "",
        row["place_feature_code"] or "", art.get("source") or "", art.get("published") or "",
        "", "", "", art.get("lang") or "", PIPELINE_VERSION,
        row["date_precision"] or "", row["date_basis"] or "", row["modality"],
        row["confidence"], row["claimed_by_text"] or "", row["article_id"], ev.get("quote"),
    ]
    return ["" if v is None else v for v in values]


def write(rows: Sequence[dict[str, Any]], fmt: str, out: IO[Any]) -> dict[str, int]:
    """Writes rows in ``fmt`` to a text stream (binary for parquet). Returns counts:
    ``written`` and ``skipped`` (PLOVER records need a date)."""
    if fmt == "json":
        json.dump(list(rows), out, ensure_ascii=False, indent=2, default=str)
        out.write("\n")
    elif fmt == "jsonl":
        for r in rows:
            out.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
    elif fmt == "csv":
        w = csv.DictWriter(out, FLAT_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(flat(r) for r in rows)
    elif fmt == "plover":
        coded = datetime.now(UTC).date().isoformat()
        dated = [r for r in rows if r["date_value"]]
        for r in dated:
            out.write(json.dumps(plover_record(r, coded), ensure_ascii=False) + "\n")
        return {"written": len(dated), "skipped": len(rows) - len(dated)}
    elif fmt == "polecat":
        tsv = csv.writer(out, delimiter="\t", lineterminator="\n")
        tsv.writerow(POLECAT_COLUMNS + EXTRA_COLUMNS)
        tsv.writerows(polecat_record(r) for r in rows)
    elif fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pylist([flat(r) for r in rows])
        pq.write_table(table, out)
    else:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return {"written": len(rows), "skipped": 0}


def to_string(rows: Sequence[dict[str, Any]], fmt: str) -> str:
    buf = io.StringIO()
    write(rows, fmt, buf)
    return buf.getvalue()
