"""The eventwire command line: a thin Typer layer over the library.

Exit codes: 0 done; 1 an evaluation gate or check failed; 2 a usage or input error
(the message says what to do); 3 ingest completed with failures (see the summary and the
``failures`` table).
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from eventwire import config as config_mod
from eventwire.errors import EventwireError

app = typer.Typer(no_args_is_help=True, add_completion=False,
                  help="News articles in, PLOVER political event data out, with evidence.")
eval_app = typer.Typer(no_args_is_help=True, help="Measure quality on gold data.")
app.add_typer(eval_app, name="eval")


@app.callback()
def _process_setup() -> None:
    """News articles in, PLOVER political event data out, with evidence."""
    from eventwire.pipeline import one_blas_thread

    one_blas_thread()  # this process codes with the model: one BLAS thread (see stages/parse.py)

out = Console()
err = Console(stderr=True)
F = TypeVar("F", bound=Callable[..., Any])

EXIT_FAILED_RECORDS = 3

DbOpt = Annotated[str | None, typer.Option("--db", help="Store URL or SQLite file "
                                           "[default: $EVENTWIRE_DB, else store.url in "
                                           "config]")]
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="TOML file overriding "
                                                "eventwire/default_config.toml")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON")]


def friendly(fn: F) -> F:
    """Turns EventwireError into a short message with its hint and exit code 2."""
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except EventwireError as exc:
            err.print(f"[bold red]error {exc.code}[/]: {exc.message}")
            if exc.hint:
                err.print(f"[yellow]what to do[/]: {exc.hint}")
            raise typer.Exit(2) from None
    return wrapper  # type: ignore[return-value]


def _cfg(config: Path | None, db: str | None = None, workers: int | None = None
         ) -> config_mod.Config:
    over: config_mod.Config = {}
    db = db or os.environ.get("EVENTWIRE_DB")
    if db:
        over["store"] = {"url": db}
    if workers is not None:
        over["pipeline"] = {"workers": workers}
    return config_mod.load(config, over)


def _store_url(cfg: config_mod.Config) -> str:
    """The store named by --db, $EVENTWIRE_DB or store.url; E040 when none is."""
    url = str(cfg["store"]["url"] or "").strip()
    if not url:
        raise EventwireError("E040", "no store given",
                             "pass --db FILE.db, set EVENTWIRE_DB, or set store.url in the "
                             "config file")
    return url


def _store(cfg: config_mod.Config, create: bool = False):  # type: ignore[no-untyped-def]
    """The store; only commands that write articles (ingest) may create it."""
    from eventwire.store import Store

    return Store.open(_store_url(cfg), create=create)


def _require_inputs(paths: list[str]) -> None:
    """A usage error (E042, exit 2) for a local input that does not exist, found before any
    model loads; stdin ('-') and URLs are left to the readers."""
    for p in paths:
        if p == "-" or "://" in p or Path(p).exists():
            continue
        raise EventwireError("E042", f"input {p!r} does not exist",
                             "check the path; give files, folders, feed URLs or - for stdin")


def _field_map(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        if "=" not in pair:
            raise EventwireError("E020", f"--field {pair!r} is not OURS=THEIRS",
                                 "write e.g. --field text=body --field published=date")
        ours, theirs = pair.split("=", 1)
        mapping[ours.strip()] = theirs.strip()
    return mapping


# --- extract -------------------------------------------------------------------------


@app.command()
@friendly
def extract(
    files: Annotated[list[str], typer.Argument(help="Files or folders; - for stdin")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="json | jsonl | table")] = "json",
    config: ConfigOpt = None,
    field: Annotated[list[str], typer.Option(help="Map a field: OURS=THEIRS")] = [],  # noqa: B006
) -> None:
    """Code articles without a database: one JSON object per article with its metadata,
    entities, time expressions, places, quotes and events."""
    from eventwire.ingest import ReadOptions, read
    from eventwire.model import Failure
    from eventwire.pipeline import Pipeline
    from eventwire.resources import Resources
    from eventwire.serialize import article_dict

    if fmt not in ("json", "jsonl", "table"):
        raise EventwireError("E021", f"unknown format {fmt!r}", "use json, jsonl or table")
    cfg = _cfg(config)
    _require_inputs(files)
    pipe = Pipeline(Resources(cfg))
    coded = []
    for path, record, item in read(files, ReadOptions(limits=cfg["limits"],
                                                      field_map=_field_map(field))):
        if isinstance(item, Failure):
            err.print(f"[yellow]skipped[/] {path} record {record}: {item.code} {item.reason}")
            continue
        result = pipe.process([item])
        for f in result.failures:
            err.print(f"[yellow]skipped[/] {f.code} {f.reason}")
        coded += result.articles
    if fmt == "table":
        for article in coded:
            _print_article_events(article)
        return
    dicts = [article_dict(a) for a in coded]
    if fmt == "jsonl":
        for d in dicts:
            sys.stdout.write(json.dumps(d, ensure_ascii=False, default=str) + "\n")
    else:
        payload = dicts[0] if len(dicts) == 1 else dicts
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")


def _print_article_events(article) -> None:  # type: ignore[no-untyped-def]
    table = Table(title=f"{article.title or article.id} ({article.published or 'undated'})")
    for col in ("type", "mode", "actors", "recipients", "date", "place", "claimed by",
                "conf"):
        table.add_column(col)
    for e in article.events:
        table.add_row(e.type, e.mode or "", _names(e.actors), _names(e.recipients),
                      e.date.value or "", e.place.name if e.place else "",
                      e.claimed_by.name if e.claimed_by else "", f"{e.confidence:.2f}")
    out.print(table)


def _names(actors) -> str:  # type: ignore[no-untyped-def]
    return ", ".join(f"{a.name} ({a.code or '?'}{'/' + a.sector if a.sector else ''})"
                     for a in actors)


# --- ingest --------------------------------------------------------------------------


@app.command()
@friendly
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, feed URLs; - for stdin")],
    db: DbOpt = None,
    workers: Annotated[int | None, typer.Option(help="Processes; 0 = one per core")] = None,
    resume: Annotated[bool, typer.Option(help="Skip records a killed run already stored")]
    = False,
    config: ConfigOpt = None,
    field: Annotated[list[str], typer.Option(help="Map a field: OURS=THEIRS")] = [],  # noqa: B006
    text_column: Annotated[str, typer.Option(help="CSV column holding the text")] = "text",
    engine: Annotated[str, typer.Option(help="local | ray")] = "local",
) -> None:
    """Read, code and store articles; prints a summary. Re-ingesting adds nothing."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    from eventwire.jobs import IngestSummary, estimate_records
    from eventwire.jobs import ingest as run_ingest

    cfg = _cfg(config, db, workers)
    _require_inputs(paths)
    store = _store(cfg, create=True)
    options = {"field_map": _field_map(field), "text_column": text_column}
    if engine == "ray":
        summary = _ray_ingest(paths, store, cfg, options)
    elif engine != "local":
        raise EventwireError("E022", f"unknown engine {engine!r}", "use local or ray")
    else:
        total = estimate_records(paths)
        columns = [SpinnerColumn(), TextColumn("[bold]ingest"), BarColumn(),
                   MofNCompleteColumn(), TextColumn("{task.fields[note]}"), TimeElapsedColumn()]
        with Progress(*columns, console=err, transient=False) as bar:
            task = bar.add_task("ingest", total=total, note="")

            def tick(s: IngestSummary) -> None:
                bar.update(task, completed=s.read, note=f"new {s.new} events {s.events}"
                           f" failed {s.failed}",
                           total=max(total or 0, s.read) if total is not None else None)

            summary = run_ingest(paths, store, cfg, options, resume=resume, on_batch=tick)
    _print_summary(summary)
    if summary.failed:
        raise typer.Exit(EXIT_FAILED_RECORDS)


def _ray_ingest(paths, store, cfg, options):  # type: ignore[no-untyped-def]
    try:
        scale = importlib.import_module("eventwire.scale.ray_engine")
    except ModuleNotFoundError as exc:
        raise EventwireError("E023", "the ray engine needs the optional extra",
                             "pip install 'eventwire[ray]'") from exc
    return scale.ingest(paths, store, cfg, options)


def _print_summary(s) -> None:  # type: ignore[no-untyped-def]
    table = Table(title=f"ingest {s.status}", show_header=False)
    for label, value in (("articles read", s.read), ("new", s.new),
                         ("duplicate", s.duplicate),
                         ("near-duplicate copies", s.near_duplicate),
                         ("failed", s.failed),
                         ("events stored", s.events),
                         ("skipped (resume)", s.skipped_resume)):
        table.add_row(label, str(value))
    out.print(table)
    if s.stages:
        st = Table(title="per stage")
        for col in ("stage", "seconds", "articles", "added"):
            st.add_column(col, justify="right" if col != "stage" else "left")
        for name, x in s.stages.items():
            st.add_row(name, f"{x.seconds:.2f}", str(x.articles), str(x.added))
        out.print(st)
    if s.failures:
        ft = Table(title=f"failures ({len(s.failures)}; all kept in the failures table)")
        for col in ("code", "where", "reason", "what to do"):
            ft.add_column(col, overflow="fold")
        for f in s.failures[:20]:
            ft.add_row(f.code, f"{f.path}:{f.record or ''}", f.reason, f.hint)
        out.print(ft)
        if len(s.failures) > 20:
            out.print(f"... and {len(s.failures) - 20} more")


# --- events, actors, show, info ------------------------------------------------------


@app.command()
@friendly
def events(
    actor: Annotated[str | None, typer.Option(help="Actor: code (IRN), name, demonym, "
                                              "capital, person or organisation; unknown = "
                                              "agents the text does not name")] = None,
    recipient: Annotated[str | None, typer.Option(help="Recipient, as --actor")] = None,
    with_: Annotated[str | None, typer.Option(
        "--with", help="With --actor: events between the two, either direction or side by "
        "side")] = None,
    actor_scope: Annotated[str, typer.Option(help="default (state sectors and office "
                                             "holders) | state | all")] = "default",
    type: Annotated[str | None, typer.Option("--type", help="PLOVER type(s), comma-separated")]
    = None,
    modality: Annotated[str, typer.Option(help="happened (asserted, ongoing, historical) | "
                                          "all | modalities, comma-separated")] = "happened",
    since: Annotated[str | None, typer.Option(help="YYYY[-MM[-DD]]")] = None,
    until: Annotated[str | None, typer.Option(help="YYYY[-MM[-DD]]")] = None,
    place: Annotated[str | None, typer.Option(help="Place name or country code")] = None,
    text: Annotated[str | None, typer.Option(help="Words in the evidence")] = None,
    min_confidence: Annotated[float | None, typer.Option(
        help="0..1 (a percentage such as 70 is read as 0.7)")] = None,
    raw: Annotated[bool, typer.Option("--raw", help="Every report, not one row per cluster")]
    = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table | json | jsonl | csv | "
                                     "plover | polecat | parquet")] = "table",
    output: Annotated[Path | None, typer.Option("--out", help="Write to this file")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many events")] = None,
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """List or export stored events (one per cluster of reports by default); by default
    only what happened, with the count of future, hypothetical and negated events hidden."""
    from eventwire import export, query

    if fmt not in export.FORMATS:
        raise EventwireError("E021", f"unknown format {fmt!r}",
                             f"use one of {', '.join(export.FORMATS)}")
    if fmt == "parquet" and output is None:
        raise EventwireError("E024", "parquet needs a file", "add --out events.parquet")
    f = query.EventFilter(actor=actor, recipient=recipient, partner=with_,
                          actor_scope=actor_scope, type=type, modality=modality, since=since,
                          until=until, place=place, text=text, min_confidence=min_confidence,
                          clusters=not raw)
    store = _store(_cfg(config, db))
    with store.engine.connect() as conn:
        for note in query.check(conn, f):
            err.print(f"[yellow]note[/]: {note}")
        hidden = query.hidden(conn, f)
        coverage = query.coverage(conn)
    rows = list(_all_events(store, f, limit))
    _print_hidden(hidden, coverage if not rows else None)
    if fmt == "table":
        _events_table(rows)
        return
    if output is None:
        counts = export.write(rows, fmt, sys.stdout)
    else:
        if fmt == "parquet":
            with open(output, "wb") as bfh:
                counts = export.write(rows, fmt, bfh)
        else:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                counts = export.write(rows, fmt, fh)
    msg = f"{counts['written']} events written"
    if counts["skipped"]:
        msg += f"; {counts['skipped']} left out because they have no date"
    err.print(msg + (f" to {output}" if output else ""))


def _print_hidden(hidden: int, coverage: dict[str, Any] | None) -> None:
    """Says on stderr what the default filter hid and, for an empty answer, what the store
    covers, so that 0 events is never silent."""
    if hidden:
        err.print(f"{hidden} future, hypothetical or negated events hidden "
                  "(--modality all shows them)")
    if coverage is not None:
        err.print(f"0 events; the store holds {coverage['articles']} articles published "
                  f"{coverage['first_published'] or '?'} to {coverage['last_published'] or '?'}")


def _all_events(store, f, limit):  # type: ignore[no-untyped-def]
    from eventwire import query

    left = limit
    with store.engine.connect() as conn:
        while True:
            f.limit = min(left, query.MAX_LIMIT) if left is not None else query.MAX_LIMIT
            page = query.events(conn, f)
            yield from page.events
            if left is not None:
                left -= len(page.events)
            if not page.next_cursor or (left is not None and left <= 0):
                return
            f.cursor = page.next_cursor


def _events_table(rows) -> None:  # type: ignore[no-untyped-def]
    table = Table(title=f"{len(rows)} events (machine-coded; evidence quoted)")
    for col in ("date", "type", "mode", "modality", "actors", "recipients", "place",
                "reports", "evidence"):
        table.add_column(col, overflow="fold")
    for r in rows:
        quote = (r["evidence"] or {}).get("quote", "")
        table.add_row(
            f"{r['date_value'] or 'undated'} {r['date_precision'] or ''}", r["type"],
            r["mode"] or "", r["modality"], _party_names(r["actors"]),
            _party_names(r["recipients"]), r["place_name"] or "", str(r["reports"]),
            quote[:160] + ("..." if len(quote) > 160 else ""))
    out.print(table)


def _party_names(parties: list[dict[str, Any]]) -> str:
    return ", ".join(
        f"{a['name']} ({a['code'] or '?'}{'/' + a['sector'] if a['sector'] else ''})"
        for a in parties)


@app.command()
@friendly
def actors(
    search: Annotated[str | None, typer.Argument(help="Code or part of a name")] = None,
    limit: int = 50, db: DbOpt = None, config: ConfigOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List actors, most active first."""
    from eventwire import query

    store = _store(_cfg(config, db))
    with store.engine.connect() as conn:
        rows = query.actors(conn, search, limit)
    if as_json:
        out.print_json(json.dumps(rows, default=str))
        return
    table = Table(title=f"{len(rows)} actors")
    for col in ("name", "code", "sector", "kind", "office", "events", "as actor",
                "as recipient"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["name"], r["code"] or "", r["sector"] or "", r["kind"],
                      r["office"] or "", str(r["events"]), str(r["as_actor"]),
                      str(r["as_recipient"]))
    out.print(table)


@app.command()
@friendly
def show(article_id: str, db: DbOpt = None, config: ConfigOpt = None) -> None:
    """Print an article with event evidence, actors, places and dates highlighted."""
    from eventwire import query
    from eventwire.highlight import highlighted_text

    store = _store(_cfg(config, db))
    with store.engine.connect() as conn:
        data = query.article(conn, article_id)
    if data is None:
        raise EventwireError("E402", f"no article {article_id!r} in the store",
                             "list ids with `eventwire events --format csv`")
    out.rule(f"{data['title'] or data['id']}  ({data['published'] or 'undated'}, "
             f"{data['source'] or 'unknown source'})")
    out.print(highlighted_text(data))
    out.print("[dim]legend:[/] [u]event evidence[/u]  [bold cyan]actor[/]  "
              "[green]place[/]  [magenta]date[/]")
    _events_table(data["events"])


@app.command()
@friendly
def info(db: DbOpt = None, config: ConfigOpt = None) -> None:
    """Versions, model, data files and what the store holds."""
    import platform

    import spacy

    from eventwire import __version__, ontology
    from eventwire.pipeline import PIPELINE_VERSION, build_stages
    from eventwire.resources import Resources

    cfg = _cfg(config, db)
    table = Table(show_header=False, title="eventwire")
    table.add_row("eventwire", __version__)
    table.add_row("pipeline", PIPELINE_VERSION)
    table.add_row("python", platform.python_version())
    table.add_row("spaCy", spacy.__version__)
    model = cfg["pipeline"]["model"]
    try:
        meta = spacy.util.get_package_version(model) or "?"
    except Exception:  # noqa: BLE001 - info must always print
        meta = "not installed"
    table.add_row("model", f"{model} {meta}")
    from eventwire import supply

    try:
        problems = supply.verify()
    except (ModuleNotFoundError, OSError) as exc:
        problems = [str(exc)]
    table.add_row("model files", "match the recorded sha256 and official meta" if not problems
                  else f"[red]{len(problems)} problems[/]: {problems[0]}")
    table.add_row("ontology", ontology.load().version)
    table.add_row("stages", ", ".join(s.name for s in build_stages(Resources(cfg))))
    table.add_row("store", cfg["store"]["url"] or "none given (--db, EVENTWIRE_DB)")
    try:
        store = _store(cfg)
        for name, n in store.counts().items():
            table.add_row(f"  {name}", str(n))
        from eventwire.query_views import pipeline_versions

        with store.engine.connect() as conn:
            for version, n in pipeline_versions(conn).items():
                table.add_row(f"  events by {version}", str(n))
    except EventwireError as exc:
        table.add_row("  store", f"unavailable: {exc.message}")
    out.print(table)


@app.command()
@friendly
def recode(
    db: DbOpt = None, config: ConfigOpt = None,
    batch: Annotated[int, typer.Option(help="Articles per batch", min=1, max=1000)] = 16,
) -> None:
    """Code the stored articles again with this eventwire's pipeline (after an upgrade that
    bumped PIPELINE_VERSION): each article's events, quotes and annotations are replaced in
    one transaction. Resumable: articles already coded by this version are skipped."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from eventwire.pipeline import PIPELINE_VERSION, Pipeline
    from eventwire.recode import RecodeSummary
    from eventwire.recode import recode as run_recode
    from eventwire.resources import Resources

    cfg = _cfg(config, db)
    store = _store(cfg)
    left = store.count_stale(PIPELINE_VERSION)
    if not left:
        out.print(f"every article is already coded by {PIPELINE_VERSION}")
        return
    pipe = Pipeline(Resources(cfg))
    with Progress(BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err) as bar:
        task = bar.add_task("recode", total=left)

        def tick(s: RecodeSummary) -> None:
            bar.update(task, completed=s.recoded + len(s.failures))

        summary = run_recode(store, pipe, PIPELINE_VERSION, batch, tick)
    out.print(f"recoded {summary.recoded} of {summary.total} articles with "
              f"{PIPELINE_VERSION}: {summary.events} events; {len(summary.failures)} failed")
    if summary.failures:
        raise typer.Exit(EXIT_FAILED_RECORDS)


def _counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items()) or "none"


@app.command()
@friendly
def check(db: DbOpt = None, config: ConfigOpt = None) -> None:
    """Verify the store: SQLite integrity_check and foreign keys, orphan rows, and that
    every evidence quote equals the article text at its offsets. Exit 1 on a problem."""
    from eventwire.query_views import pipeline_versions, refused_dates
    from eventwire.store.check import check as run_check

    store = _store(_cfg(config, db))
    problems = run_check(store)
    counts = store.counts()
    out.print(f"checked {counts['articles']} articles, {counts['events']} events")
    with store.engine.connect() as conn:
        refused, versions = refused_dates(conn), pipeline_versions(conn)
    out.print("events by pipeline version: " + _counts_text(versions))
    out.print("refused dates by reason: time expressions " + _counts_text(refused["times"])
              + "; event dates " + _counts_text(refused["events"]))
    for p in problems:
        out.print(f"[red]problem[/] {p.check}: {p.detail}")
    if problems:
        raise typer.Exit(1)
    out.print("[green]store is sound[/]")


@app.command()
@friendly
def serve(
    db: DbOpt = None, host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None, config: ConfigOpt = None,
) -> None:
    """Serve the HTTP API and the web UI."""
    import uvicorn

    from eventwire.api.app import create_app

    cfg = _cfg(config, db)
    _store(cfg).close()  # a missing store is an error here, not a new empty one
    host = host or cfg["server"]["host"]
    port = port or int(cfg["server"]["port"])
    err.print(f"eventwire UI on http://{host}:{port}/  (API docs at /docs)")
    uvicorn.run(create_app(cfg), host=host, port=port, log_level="warning")


# --- eval ----------------------------------------------------------------------------


def _eval(name: str, as_json: bool, *args: Any, **kwargs: Any) -> dict[str, Any]:
    module = importlib.import_module(f"eventwire.eval.{name}")
    result: dict[str, Any] = module.run(*args, **kwargs)
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2, default=str) + "\n")
    else:
        module.render(result, out)
    return result


@eval_app.command("plv")
@friendly
def eval_plv(
    path: Path, cv: Annotated[int | None, typer.Option(help="k-fold cross-validation")] = None,
    seed: int = 0, as_json: JsonOpt = False,
    mode: Annotated[str, typer.Option(help="default | accurate (needs the accurate extra)")]
    = "default",
    split: Annotated[str, typer.Option(
        help="with --cv: stratified (seeded) | grouped (no near-duplicate sentence or actor "
             "string shared across folds: the selection-free estimate)")] = "stratified",
) -> None:
    """PLOVER event types on a PLV TSV (marked_sentence -> gold_root)."""
    _eval("plv", as_json, str(path), cv=cv, seed=seed, mode=mode, split=split)


@eval_app.command("petr")
@friendly
def eval_petr(path: Path, as_json: JsonOpt = False) -> None:
    """Actor codes and event types on PETRARCH validation XML."""
    _eval("petr", as_json, str(path))


@eval_app.command("quotes")
@friendly
def eval_quotes(path: Path, as_json: JsonOpt = False) -> None:
    """Who said what on PolNeAR brat files."""
    _eval("quotes", as_json, str(path))


@eval_app.command("timex")
@friendly
def eval_timex(paths: list[Path], as_json: JsonOpt = False) -> None:
    """Time expressions on TimeML (TempEval-3) folders or files."""
    _eval("timex", as_json, [str(p) for p in paths])


@eval_app.command("geo")
@friendly
def eval_geo(path: Path, as_json: JsonOpt = False) -> None:
    """Toponym resolution on LGL or GeoWebNews XML."""
    _eval("geo", as_json, str(path))


SharedOpt = Annotated[Path, typer.Option("--shared", help="The shared/ folder (corpora, gold)")]


@eval_app.command("articles")
@friendly
def eval_articles(
    paths: Annotated[list[Path], typer.Argument(help="Gold .jsonl files or folders of them "
                                                "(development or held-out format)")],
    as_json: JsonOpt = False,
    explain: Annotated[bool, typer.Option("--explain", help="List each missed gold event and "
                                          "each unmatched output, with the stage")] = False,
    shared: SharedOpt = Path("../shared"),
    config: ConfigOpt = None,
) -> None:
    """Whole articles: recall, precision, field accuracies against article-level gold.

    Codes each gold line's article from its corpus with the configured pipeline; prints key
    recall, recall, precision and actor, recipient, modality and date accuracy on matched
    events, main (alt_types accepted) and type-strict, overall and per type."""
    from eventwire.eval import articles

    items = articles.read_gold(paths, shared)
    res = articles.eval_resources(config)
    with _progress("code", len(items)) as tick:
        t0 = time.perf_counter()
        coded = articles.code(items, res, on_article=tick)
        seconds = time.perf_counter() - t0
    result = articles.result(items, coded, explain, seconds, [str(p) for p in paths])
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2, default=str) + "\n")
    else:
        articles.render(result, out)


@eval_app.command("negatives")
@friendly
def eval_negatives(
    as_json: JsonOpt = False,
    per_group: Annotated[int, typer.Option(help="Articles drawn per group")] = 60,
    show_sample: Annotated[bool, typer.Option("--sample", help="Also print the seeded draw "
                                              "of 30 events graded in docs/negatives.md")]
    = False,
    shared: SharedOpt = Path("../shared"),
    config: ConfigOpt = None,
) -> None:
    """False alarms: events per 1,000 sentences on non-political news.

    A fixed, seeded sample of BBC sport, business, entertainment and tech and Reuters
    articles (60 of each by default); docs/negatives.md grades 30 of its events."""
    from eventwire.eval import negatives
    from eventwire.eval.articles import eval_resources

    picks = negatives.sample(shared, per_group)
    res = eval_resources(config)
    with _progress("code", len(picks)) as tick:
        t0 = time.perf_counter()
        coded = negatives.code(picks, res, on_article=tick)
        seconds = time.perf_counter() - t0
    result = negatives.result(picks, coded, seconds)
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2, default=str) + "\n")
    else:
        negatives.render(result, out, show_sample)


@contextlib.contextmanager
def _progress(label: str, total: int) -> Iterator[Callable[[str], None]]:
    """A Rich progress bar on stderr; yields a function to call once per item done."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = [TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[note]}"), TimeElapsedColumn()]
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(label, total=total, note="")
        yield lambda note: bar.update(task, advance=1, note=note)


@eval_app.command("gate")
@friendly
def eval_gate(
    shared: Annotated[Path, typer.Option(help="The shared/ folder with gold/")] = Path(
        "../shared"),
    as_json: JsonOpt = False,
) -> None:
    """Run every evaluation on ../shared/gold and compare with the pinned floors.

    The held-out article split (eval/heldout/) is evaluated once an articles_heldout_* floor
    is pinned; a missing input then fails its floors."""
    from eventwire.eval.gate import render, run_gate

    result = run_gate(shared)
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
    else:
        render(result, out)
    if not result["passed"]:
        raise typer.Exit(1)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
