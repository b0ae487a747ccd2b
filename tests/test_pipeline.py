"""The pipeline: stage order, failure isolation, counts, non-English articles."""

from __future__ import annotations

from eventwire.ids import article_id
from eventwire.model import Article
from eventwire.pipeline import STAGE_ORDER, Pipeline


def _article(text: str, lang: str | None = "en") -> Article:
    return Article(id=article_id(text), text=text, published="2024-05-02", lang=lang)


def test_stages_run_in_order(resources) -> None:
    names = Pipeline(resources).stage_names
    assert names == [n for n in STAGE_ORDER if n in names]
    assert names[:2] == ["segment", "parse"]


def test_one_bad_article_is_reported_and_skipped(resources) -> None:
    pipe = Pipeline(resources)

    class Boom:
        name = "boom"

        def __call__(self, work) -> None:
            if "explode" in work.article.text:
                raise ValueError("synthetic failure")

    pipe.stages.append(Boom())
    good = _article("Kenya and Uganda signed a trade agreement in Nairobi on Monday.")
    bad = _article("This one will explode.")
    result = pipe.process([good, bad])
    assert [a.id for a in result.articles] == [good.id]
    assert len(result.failures) == 1
    failure = result.failures[0]
    assert failure.code == "E201" and failure.stage == "boom" and bad.id in failure.reason
    assert result.stats["segment"].articles == 2 and result.stats["boom"].articles == 2


def test_non_english_article_is_stored_uncoded(resources) -> None:
    text = "Le ministre russe a rencontré son homologue turkmène à Moscou lundi."
    result = Pipeline(resources).process([_article(text, lang="fr")])
    article = result.articles[0]
    assert article.lang == "fr" and not article.sentences and not article.events


def test_stage_counts_what_it_added(resources) -> None:
    text = ("Kenya and Uganda signed a trade agreement in Nairobi on Monday. "
            "The deal cuts tariffs.")
    result = Pipeline(resources).process([_article(text)])
    assert result.stats["segment"].added == 2
    assert all(s.seconds >= 0 for s in result.stats.values())


def test_cheap_pass_reasons(resources) -> None:
    """Event sentences are kept for an actor or a trigger (also inside a hyphenated word, which
    the parser splits), neither needing the other; claim-only sentences for their cue, the
    rest not at all."""
    from eventwire.stages.segment import build

    lex = build(resources).lexicons
    assert lex.reason("Egypt made a counter-offer to Sudan on Monday.") == "event"
    assert lex.reason("Russian troops attacked the town.") == "event"
    assert lex.reason("\"Our position is clear,\" the Russian minister said.") == "event"
    assert lex.reason("From Albania, Ahtisaari will travel to Macedonia.") == "event"
    assert lex.reason("Dozens were killed in the night.") == "event"  # no actor named
    assert lex.reason("\"We are ready,\" he said.") == "claim"  # no actor named: still a claim
    assert lex.reason("The weather was mild.") is None


def test_plain_is_asdict_without_copies(resources) -> None:
    """``model.plain`` (the fast conversion the store and exports use) gives exactly what
    ``dataclasses.asdict`` gives on a fully coded article."""
    import dataclasses

    from eventwire.model import plain

    text = ("Kenya and Uganda signed a trade agreement in Nairobi on Monday, officials said. "
            "\"The deal cuts tariffs,\" Kenyan trade minister Moses Kuria told reporters.")
    article = Pipeline(resources).process([_article(text)]).articles[0]
    assert article.events and article.quotes
    assert plain(article) == dataclasses.asdict(article)


def test_model_matrix_products_follow_the_config(resources) -> None:
    """The default builds the model on numpy's BLAS (same annotations as blis, less time);
    an unknown backend is a clear set-up error."""
    import pytest

    from eventwire import config as config_mod
    from eventwire.errors import EventwireError
    from eventwire.resources import Resources

    ops = resources.nlp.get_pipe("tok2vec").model.ops
    assert type(ops).__name__ == "NumpyOps" and ops.use_blis is False
    bad = Resources(config_mod.load(overrides={"pipeline": {"matmul": "gpu"}}))
    with pytest.raises(EventwireError) as err:
        bad.nlp  # noqa: B018 - loading is the point
    assert err.value.code == "E015"


def test_one_blas_thread_in_a_worker() -> None:
    import subprocess
    import sys

    code = ("from eventwire.pipeline import one_blas_thread; one_blas_thread(); "
            "from threadpoolctl import threadpool_info; "
            "print(sorted({i['num_threads'] for i in threadpool_info() "
            "if i['user_api'] == 'blas'}))")
    out = subprocess.run([sys.executable, "-c", "import numpy; " + code],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[1]"


def test_parse_uses_one_blas_thread_and_restores() -> None:
    """Called from another program, the parse stage limits BLAS to one thread only while it
    parses; the caller's setting is left as it was."""
    import os
    import subprocess
    import sys

    code = (
        "import numpy\n"
        "from threadpoolctl import threadpool_info\n"
        "def n(): return sorted({i['num_threads'] for i in threadpool_info() "
        "if i['user_api'] == 'blas'})\n"
        "from threadpoolctl import threadpool_limits\n"
        "threadpool_limits(limits=2, user_api='blas')\n"
        "before = n()\n"
        "from eventwire.resources import Resources\n"
        "from eventwire.stages.parse import build\n"
        "p = build(Resources())\n"
        "with p._one_blas_thread():\n"
        "    inside = n()\n"
        "print(inside, n() == before)\n")
    # without the variable eventwire's own commands set (CLI tests run in this process)
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=env).stdout
    assert out.strip() == "[1] True"


def test_one_blas_thread_before_numpy_loads() -> None:
    import subprocess
    import sys

    code = ("from eventwire.pipeline import one_blas_thread; one_blas_thread(); import numpy; "
            "from threadpoolctl import threadpool_info; "
            "print(sorted({i['num_threads'] for i in threadpool_info() "
            "if i['user_api'] == 'blas'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[1]"
