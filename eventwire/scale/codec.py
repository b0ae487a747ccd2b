"""Articles and failures to and from JSON, for the rows of the Parquet partitions.

``article_from_json(article_to_json(a)) == a`` for every coded article: the dataclasses of
:mod:`eventwire.model` are rebuilt field by field from their type hints.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from functools import cache
from typing import Any, TypeVar, Union

from eventwire import model
from eventwire.model import Article, Failure

T = TypeVar("T")


def article_to_json(article: Article) -> str:
    return json.dumps(model.plain(article), ensure_ascii=False, separators=(",", ":"))


def article_from_json(raw: str) -> Article:
    return from_dict(Article, json.loads(raw))


def failure_to_json(failure: Failure) -> str:
    return json.dumps(model.plain(failure), ensure_ascii=False)


def failure_from_json(raw: str) -> Failure:
    return from_dict(Failure, json.loads(raw))


@cache
def _hints(cls: Any) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(model))


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """Rebuilds dataclass ``cls`` (and the dataclasses inside it) from ``asdict`` output."""
    hints = _hints(cls)  # type: ignore[arg-type]
    values = {f.name: _value(hints[f.name], data[f.name])
              for f in dataclasses.fields(cls) if f.name in data}  # type: ignore[arg-type]
    return cls(**values)


def _value(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _value(inner[0], value) if len(inner) == 1 else value
    if origin is list:
        (item,) = typing.get_args(tp)
        return [_value(item, v) for v in value]
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return from_dict(tp, value)
    return value
