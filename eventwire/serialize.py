"""The JSON form of an Article (``eventwire extract --format json``) and its JSON Schema,
generated from the dataclasses in :mod:`eventwire.model`."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from eventwire.model import Article, plain

SCHEMA_FILE = "schema/article.schema.json"


def article_dict(article: Article) -> dict[str, Any]:
    return plain(article)  # type: ignore[no-any-return]


def article_json(article: Article, indent: int | None = None) -> str:
    return json.dumps(article_dict(article), ensure_ascii=False, indent=indent, default=str)


def generate_schema() -> dict[str, Any]:
    """JSON Schema of the extract output, derived from the model (pydantic does the work)."""
    from pydantic import TypeAdapter

    schema = TypeAdapter(Article).json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "eventwire Article"
    return schema


def shipped_schema() -> dict[str, Any]:
    """The schema file stored in the package (a test keeps it equal to the generated one)."""
    text = resources.files("eventwire").joinpath(SCHEMA_FILE).read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


if __name__ == "__main__":  # regenerate the shipped schema file
    from pathlib import Path

    target = Path(__file__).parent / SCHEMA_FILE
    target.write_text(json.dumps(generate_schema(), indent=2, sort_keys=True) + "\n", "utf-8")
    print(f"wrote {target}")
