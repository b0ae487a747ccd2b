"""The JSON Schema of `eventwire extract --format json` is generated from the model."""

from __future__ import annotations

import jsonschema
from conftest import make_article

from eventwire.serialize import article_dict, generate_schema, shipped_schema


def test_shipped_schema_is_generated_from_the_model() -> None:
    assert shipped_schema() == generate_schema(), (
        "model changed: regenerate eventwire/schema/article.schema.json with "
        "`python -m eventwire.serialize`")


def test_an_article_validates() -> None:
    doc = article_dict(make_article("Norway hosted talks with Chile. Nothing more."))
    jsonschema.validate(doc, shipped_schema())


def test_the_schema_rejects_a_broken_event() -> None:
    doc = article_dict(make_article("Norway hosted talks with Chile. Nothing more."))
    del doc["events"][0]["evidence"]
    try:
        jsonschema.validate(doc, shipped_schema())
    except jsonschema.ValidationError:
        return
    raise AssertionError("an event without evidence must not validate")
