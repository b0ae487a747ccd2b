"""schemathesis against the OpenAPI spec of a running server on localhost: generated valid
and invalid requests to every operation, the write endpoints with the token, must never
get a 5xx, and every documented answer must match its schema. Bounded: a fixed number of
examples per operation, derandomised so CI runs are repeatable."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import api_samples
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from eventwire import config
from eventwire.api.app import create_app
from eventwire.api.openapi import spec

TOKEN = "fuzz-token"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, resources: Any) -> Iterator[str]:
    from eventwire.pipeline import Pipeline

    db: Path = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    cfg = config.load(overrides={"store": {"url": f"sqlite:///{db}"},
                                 "server": {"token": TOKEN, "max_batch": 5,
                                            "max_body_bytes": 200_000}})
    app = create_app(cfg, pipeline_factory=lambda: Pipeline(resources))
    api_samples.fill(app.state.store)
    with api_samples.serving(app) as url:
        yield url


# The spec the server serves (test_api checks that the served one is this one); loaded
# from the app so each operation becomes its own test.
schema = schemathesis.openapi.from_dict(spec())


@schema.parametrize()
@settings(max_examples=30, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: Any, server: str) -> None:
    case.call_and_validate(
        base_url=server, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60,
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance])
