"""`eventwire eval quotes`: the PolNeAR reader, the matching rule, run/render and the CI gate."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from eventwire.errors import EventwireError
from eventwire.eval import quotes
from eventwire.eval.quotes import GoldAttribution, match_article, parse_ann, prf, read_split
from eventwire.model import Quote, Span

FLOORS = Path(__file__).resolve().parents[1] / "eventwire" / "eval" / "floors.json"

TEXT = ("The town will get a new school, the mayor said on Monday.\n\n"
        "Builders start in May, according to the council.\n")
ANN = """T1\tSource 32 41\tthe mayor
T2\tCue 42 46\tsaid
T3\tContent 0 30\tThe town will get a new school
T4\tAttribution 42 46\tsaid
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1
T5\tContent 59 80\tBuilders start in May
T6\tCue 82 94\taccording to
T7\tSource 95 106\tthe council
T8\tAttribution 82 94\taccording to
E2\tAttribution:T8 Content:T5 Cue:T6 Source:T7
T9\tDiscard 0 3\tThe
"""


@pytest.fixture(scope="module")
def eval_res():
    """The eval's resources: the configured pipeline (loaded once for the module)."""
    return quotes.eval_resources()


@pytest.fixture()
def split(tmp_path: Path) -> Path:
    root = tmp_path / "polnear" / "dev"
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    (root / "text" / "paper_2016-01-01_school.txt").write_text(TEXT, "utf-8")
    (root / "attributions" / "paper_2016-01-01_school_aaaa.ann").write_text(ANN, "utf-8")
    (root / "attributions" / "paper_2016-01-01_school_bbbb.ann").write_text("", "utf-8")
    return root


def test_reader_picks_the_first_annotator_and_resolves_spans(split: Path) -> None:
    (article,) = read_split(split)
    assert article.name == "paper_2016-01-01_school"
    assert len(article.attributions) == 2
    first = article.attributions[0]
    assert article.text[slice(*first.source[0])] == "the mayor"
    assert article.text[slice(*first.content[0])] == "The town will get a new school"
    assert article.text[slice(*article.attributions[1].cue[0])] == "according to"


def test_discontinuous_and_sourceless_relations() -> None:
    lines = ["T1\tContent 0 5;10 15\tabcde fghij", "T2\tCue 6 9\tsaid",
             "T3\tAttribution-no-source 6 9\tsaid",
             "E1\tAttribution-no-source:T3 Content:T1 Cue:T2"]
    (rel,) = parse_ann(lines)
    assert rel.content == ((0, 5), (10, 15)) and rel.source is None and rel.cue == ((6, 9),)


def test_not_a_split_folder_is_a_coded_error(tmp_path: Path) -> None:
    with pytest.raises(EventwireError) as err:
        read_split(tmp_path)
    assert err.value.code == "E501"


def _q(speaker: tuple[int, int] | None, content: tuple[int, int]) -> Quote:
    sp = Span(*speaker, "") if speaker else None
    return Quote(content=Span(*content, ""), speaker_span=sp)


def test_matching_is_one_to_one_and_needs_both_spans() -> None:
    gold = (GoldAttribution(((0, 5),), None, ((10, 40),)),
            GoldAttribution(((50, 55),), None, ((60, 90),)),
            GoldAttribution(None, None, ((100, 120),)))
    predicted = [_q((0, 3), (12, 95)),     # overlaps both contents; one gold only
                 _q((0, 3), (20, 30)),     # same speaker and content: the second match
                 _q((70, 75), (60, 90)),   # content right, speaker wrong
                 _q(None, (105, 110))]     # no speaker: matches the sourceless gold
    counts = match_article(gold, predicted)
    assert counts == {"gold": 3, "predicted": 4, "matched": 2, "content_matched": 3}
    assert match_article(gold[:1], [_q((0, 3), (12, 30))])["matched"] == 1


def test_prf() -> None:
    assert prf(1, 2, 4) == {"precision": 0.5, "recall": 0.25, "f1": 0.3333}
    assert prf(0, 0, 3) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_run_and_render(split: Path, eval_res) -> None:
    result = quotes.run(str(split), res=eval_res)
    assert {"precision", "recall", "f1", "gold", "predicted", "matched"} <= result.keys()
    assert result["gold"] == 2 and result["matched"] == 2, result
    json.dumps(result)
    out = io.StringIO()
    quotes.render(result, Console(file=out, width=100))
    assert "speaker + content" in out.getvalue()


# ---------------------------------------------------------------- the gate


@pytest.mark.shared
def test_quotes_gate(shared: Path, eval_res) -> None:
    """Attribution F1 on the PolNeAR dev split stays at or above the pinned floor."""
    floor = json.loads(FLOORS.read_text("utf-8"))["quotes_dev_f1"]
    result = quotes.run(str(shared / "gold" / "polnear" / "dev"), res=eval_res)
    assert result["articles"] == 84
    assert result["f1"] >= floor, (result["f1"], floor, result)
