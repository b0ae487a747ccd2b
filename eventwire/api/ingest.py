"""Write endpoints: POST /api/articles codes and stores articles; DELETE removes one.

Both need the write token. The pipeline is built on the first POST (loading the model
takes seconds) and kept on ``app.state``; a lock lets one request code at a time.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Request

from eventwire.api import models
from eventwire.api.errors import ApiError, not_found
from eventwire.api.security import require_write
from eventwire.ids import article_id
from eventwire.model import Article

router = APIRouter(prefix="/api", dependencies=[Depends(require_write)])

WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": models.ErrorBody, "description": about} for status, about in (
        (401, "No token or a wrong one: send 'Authorization: Bearer <token>'"),
        (403, "Writes are disabled: the server has no token configured"),
        (422, "The body is invalid: the error lists which fields and why"),
    )}


def _pipeline(request: Request) -> Any:
    state = request.app.state
    if state.pipeline is None:
        state.pipeline = state.pipeline_factory()
    return state.pipeline


def _article(item: models.ArticleIn, max_chars: int) -> Article:
    text = item.text
    if any("\x00" in (v or "") for v in (text, item.title, item.source, item.url,
                                          item.published)):
        raise ApiError(422, "E409", "an article contains NUL characters",
                       "remove the NUL (\\u0000) characters and send it again")
    if not text.strip():
        raise ApiError(422, "E409", "an article's text is empty", "send the article's text")
    if len(text) > max_chars:
        raise ApiError(422, "E410", f"an article has {len(text)} characters, over the "
                       f"limit of {max_chars}", "split it or raise [limits] max_article_chars")
    published = item.published[:10] if item.published else None
    return Article(id=article_id(text, item.title), text=text, title=item.title,
                   published=published, source=item.source, url=item.url, origin="api")


@router.post("/articles", response_model=models.IngestResult, summary="Code and store articles",
             responses={**WRITE_ERRORS, 413: {"model": models.ErrorBody,
                                              "description": "Body or batch too large"}})
def post_articles(
    request: Request,
    payload: Annotated[models.ArticleIn | list[models.ArticleIn], Body(
        description="One article or a list of them")],
) -> dict[str, Any]:
    """Codes each article (events, actors, dates, places) and stores it with its events.
    Articles already stored are reported as duplicates and not coded again."""
    from eventwire.pipeline import PIPELINE_VERSION

    state = request.app.state
    items = payload if isinstance(payload, list) else [payload]
    max_batch = int(state.cfg["server"]["max_batch"])
    if len(items) > max_batch:
        raise ApiError(413, "E408", f"{len(items)} articles in one request, over the limit "
                       f"of {max_batch}", "send them in smaller batches or raise [server] "
                       "max_batch")
    if not items:
        raise ApiError(422, "E409", "the list of articles is empty", "send at least one")
    articles = [_article(i, int(state.cfg["limits"]["max_article_chars"])) for i in items]
    store = state.store
    unique = {a.id: a for a in articles if not store.has_article(a.id)}
    with state.pipeline_lock:
        result = _pipeline(request).process(list(unique.values())) if unique else None
        coded = {a.id: a for a in result.articles} if result else {}
        failures = {f.record: f for f in result.failures} if result else {}
        store.write(list(coded.values()), list(failures.values()), version=PIPELINE_VERSION)
    return _summary(articles, coded, failures)


def _summary(articles: list[Article], coded: dict[str, Article],
             failures: dict[str | None, Any]) -> dict[str, Any]:
    out, seen = [], set()
    for a in articles:
        if a.id in coded and a.id not in seen:
            out.append({"id": a.id, "status": "stored", "events": len(coded[a.id].events)})
        elif a.id in failures and a.id not in seen:
            out.append({"id": a.id, "status": "failed", "reason": failures[a.id].reason})
        else:
            out.append({"id": a.id, "status": "duplicate"})
        seen.add(a.id)
    return {"articles": out,
            "stored": sum(o["status"] == "stored" for o in out),
            "duplicates": sum(o["status"] == "duplicate" for o in out),
            "failed": sum(o["status"] == "failed" for o in out),
            "events": sum(o.get("events", 0) for o in out)}


@router.delete("/articles/{article_id}", response_model=models.Deleted,
               summary="Delete an article and its events",
               responses={**WRITE_ERRORS, 404: {"model": models.ErrorBody,
                                                "description": "No such article"}})
def delete_article(request: Request,
                   article_id: Annotated[str, Path(min_length=1, max_length=64)]
                   ) -> dict[str, Any]:
    if not request.app.state.store.delete_article(article_id):
        raise not_found("article", article_id, "take ids from GET /api/events")
    return {"deleted": article_id}
