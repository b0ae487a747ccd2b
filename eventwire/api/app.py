"""The FastAPI app: the JSON API under /api, the web UI at /, the spec at /openapi.json.

``create_app(cfg)`` holds everything it needs on ``app.state`` (store, tokens, the lazily
built pipeline); nothing is global, so several apps can live in one process.
"""

from __future__ import annotations

import threading
import tomllib
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from eventwire import __version__, ontology
from eventwire import config as config_mod
from eventwire.api import errors, ingest, routes
from eventwire.api.security import RequestGuard, SecurityHeaders, Tokens
from eventwire.store import Store

STATIC = Path(__file__).parent / "static"

DESCRIPTION = """\
Query events coded from news in the PLOVER ontology, each with the sentence it was coded
from. Events are machine-coded: check them against their evidence.

Reads are open unless the server sets `server.read_token`. Writes (POST/DELETE
`/api/articles`) need `Authorization: Bearer <token>` with the server's `server.token`.
Errors are JSON: `{"error": {"code": ..., "message": ..., "hint": ...}}`.
"""


def _type_info() -> list[dict[str, Any]]:
    raw = tomllib.loads(resources.files("eventwire").joinpath("data/plover.toml")
                        .read_text("utf-8"))
    return [{"name": name, "quad": int(t["quad"]), "score": float(t["score"]),
             "about": str(t.get("about", ""))} for name, t in raw["types"].items()]


def _default_pipeline(cfg: config_mod.Config) -> Callable[[], Any]:
    def build() -> Any:
        from eventwire.pipeline import Pipeline
        from eventwire.resources import Resources

        return Pipeline(Resources(cfg))
    return build


def build_app(cfg: config_mod.Config) -> FastAPI:
    """The app without a store (enough for the OpenAPI spec)."""
    app = FastAPI(title="eventwire", version=__version__, description=DESCRIPTION,
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json")
    errors.install(app)
    app.include_router(routes.router)
    app.include_router(ingest.router)
    _add_ui(app)
    app.add_middleware(RequestGuard, max_bytes=int(cfg["server"]["max_body_bytes"]))
    app.add_middleware(SecurityHeaders)
    app.state.cfg = cfg
    app.state.tokens = Tokens.from_config(cfg["server"])
    app.state.ontology = ontology.load()
    app.state.type_info = _type_info()
    return app


def create_app(cfg: config_mod.Config | None = None,
               pipeline_factory: Callable[[], Any] | None = None) -> FastAPI:
    """The app over the store at ``cfg["store"]["url"]``. ``pipeline_factory`` builds what
    codes posted articles (default: the full :class:`eventwire.pipeline.Pipeline`)."""
    cfg = cfg if cfg is not None else config_mod.load()
    app = build_app(cfg)
    app.state.store = Store.open(cfg["store"]["url"])
    app.state.pipeline = None
    app.state.pipeline_factory = pipeline_factory or _default_pipeline(cfg)
    app.state.pipeline_lock = threading.Lock()
    return app


def _add_ui(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(STATIC / "docs.html", headers={"Cache-Control": "no-cache"})
