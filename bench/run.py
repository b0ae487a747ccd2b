"""``make bench``: throughput, memory, cheap-pass keep rate, Ray vs local, API latency, the
false-alarm figure (events per 1,000 sentences, ``eventwire eval negatives``) and each stage's
time per 1,000 characters on one-line texts of 10k, 100k and 1M characters.

    python bench/run.py            quick run (a sample; a few minutes on 2 cores)
    python bench/run.py --full     the issue's measurement: every corpus in ../shared/corpora
    python bench/run.py --corpus gigaword --limit 500 --workers 2 --skip ray,api

Each step runs in its own process; peak RSS is sampled over that process and all its
descendants (worker processes, Ray's daemons) and summed. End to end = reading, coding
(default configuration: cheap pass, then the full model on candidate sentences) and writing
into a fresh SQLite store, start-up included. Bare spaCy = ``nlp.pipe`` with every
component of the same model, as spaCy ships it (blis for matrix products), over the same
article texts with the same worker count: the issue's reference. eventwire builds the model
on numpy's BLAS instead (``pipeline.matmul``), so the step ``bare_numpy`` also measures bare
spaCy on numpy's BLAS, to show how much of the ratio that choice alone gives.
The full run takes over 20 minutes on this 2-core machine, so the default is the quick run;
the output says which one ran.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
SHARED = Path(os.environ.get("EVENTWIRE_SHARED", ROOT.parent / "shared"))
CORPORA = {"reuters": "reuters21578.jsonl", "gigaword": "gigaword-afp-xinhua.jsonl",
           "bbc": "bbc-news.jsonl"}
QUICK_LIMIT = 1500
QUICK_RAY_LIMIT = 400
STEPS = ("e2e", "bare", "bare_numpy", "keep", "long", "ray", "api", "negatives")


# ------------------------------------------------------------------- memory of a tree


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        kids.setdefault(ppid, []).append(int(name))
    return kids


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants, summed (psutil if installed)."""
    try:
        import psutil  # type: ignore[import-untyped]

        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
        total = 0
        for p in procs:
            with contextlib.suppress(psutil.Error):
                total += p.memory_info().rss
        return total
    except ImportError:
        pass
    kids, todo, total = _children(), [pid], 0
    while todo:
        p = todo.pop()
        todo += kids.get(p, [])
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            continue
    return total


class PeakSampler(threading.Thread):
    def __init__(self, pid: int, every: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.every, self.peak = pid, every, 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self.stopped.wait(self.every)


def step(args: list[str], timeout: float | None = None) -> tuple[dict[str, Any], int, float]:
    """Runs a step script; returns (its JSON result with ``cpu``: CPU seconds of the step's
    process tree, peak tree RSS in bytes, wall seconds)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    sampler = PeakSampler(proc.pid)
    sampler.start()
    out, err = proc.communicate(timeout=timeout)
    sampler.stopped.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"step {' '.join(args)} failed ({proc.returncode}):\n{err[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result = json.loads(out.strip().splitlines()[-1])
    result["cpu"] = cpu
    return result, sampler.peak, time.perf_counter() - t0


# ------------------------------------------------------------------------- inputs


def corpus_paths(names: list[str]) -> list[Path]:
    if names == ["all"]:
        return sorted((SHARED / "corpora").glob("*.jsonl"))
    return [SHARED / "corpora" / CORPORA.get(n, n) for n in names]


def sample(paths: list[Path], limit: int | None, folder: Path) -> list[str]:
    """The corpora as they are, or every k-th line of each (proportional) up to ``limit``."""
    if not limit:
        return [str(p) for p in paths]
    counts = [sum(1 for _ in p.open("rb")) for p in paths]
    total = sum(counts)
    out = []
    for p, n in zip(paths, counts, strict=True):
        share = max(1, round(limit * n / total))
        every = max(1, n // share)
        target = folder / f"sample-{p.stem}.jsonl"
        with p.open("rb") as src, target.open("wb") as dst:
            for i, line in enumerate(src):
                if i % every == 0 and i // every < share:
                    dst.write(line)
        out.append(str(target))
    return out


def count_words(paths: list[str]) -> tuple[int, int]:
    sys.path.insert(0, str(BENCH))
    from bench_throughput import texts, words  # type: ignore[import-not-found]

    n = w = 0
    for t in texts(paths):
        n += 1
        w += words(t)
    return n, w


# ------------------------------------------------------------------------- report


def mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB"


def run(args: argparse.Namespace) -> dict[str, Any]:
    full = args.full
    limit = None if full else (args.limit or QUICK_LIMIT)
    if full and args.limit:
        limit = args.limit
    names = args.corpus or (["all"] if full else ["reuters", "gigaword"])
    skip = set(args.skip.split(",")) if args.skip else set()
    report: dict[str, Any] = {"mode": "full" if full and not args.limit else "quick",
                              "workers": args.workers, "corpora": names, "limit": limit}
    with tempfile.TemporaryDirectory(prefix="eventwire-bench-") as tmp:
        folder = Path(tmp)
        inputs = sample(corpus_paths(names), limit, folder)
        report["articles"], report["words"] = count_words(inputs)
        print(_header(report), flush=True)
        if "e2e" not in skip:
            res, peak, wall = step([str(BENCH / "bench_throughput.py"), "ingest", "--db",
                                    str(folder / "e2e.db"), "--workers", str(args.workers),
                                    *inputs])
            report["e2e"] = {**res, "peak_rss": peak}
            print(_e2e(report), flush=True)
        if "bare" not in skip:
            res, peak, wall = step([str(BENCH / "bench_throughput.py"), "bare", "--workers",
                                    str(args.workers), *inputs])
            report["bare"] = {**res, "peak_rss": peak}
            print(_bare(report), flush=True)
        if "bare_numpy" not in skip:
            res, peak, wall = step([str(BENCH / "bench_throughput.py"), "bare", "--matmul",
                                    "numpy", "--workers", str(args.workers), *inputs])
            report["bare_numpy"] = {**res, "peak_rss": peak}
            print(_bare_numpy(report), flush=True)
        if "keep" not in skip:
            res, _, _ = step([str(BENCH / "bench_throughput.py"), "keep", "--shared",
                              str(SHARED)])
            report["keep"] = res
            print(f"cheap pass keeps {res['kept']}/{res['total']} golden event sentences "
                  f"({res['rate']:.3f}; must stay >= 0.95)", flush=True)
        if "long" not in skip:
            report["long"] = _long()
        if "ray" not in skip:
            report["ray"] = _ray(args, folder, full)
        if "api" not in skip:
            report["api"] = _api(full)
        if "negatives" not in skip:
            report["negatives"] = _negatives()
    return report


def _header(r: dict[str, Any]) -> str:
    what = ("FULL measurement (the issue's figures)" if r["mode"] == "full" else
            f"QUICK run on a sample of {r['articles']:,} articles (use --full for the issue's "
            "measurement: over 20 minutes on 2 cores)")
    return (f"eventwire bench: {what}\n  corpora {', '.join(r['corpora'])}: "
            f"{r['articles']:,} articles, {r['words']:,} words; workers {r['workers']}")


def _e2e(r: dict[str, Any]) -> str:
    e = r["e2e"]
    stages = e["stages"]
    busy = sum(s["seconds"] for s in stages.values()) or 1.0
    lines = [f"end to end into SQLite: {e['wall']:.1f} s, {r['articles'] / e['wall']:.1f} "
             f"articles/s, {r['words'] / e['wall']:,.0f} words/s; peak RSS {mb(e['peak_rss'])}"
             f" (process tree); CPU {e['cpu']:.0f} s; stored {e['new']:,} articles, "
             f"{e['events']:,} events, "
             f"{e['near_duplicate']} near-duplicates, {e['duplicate']} duplicates, "
             f"{e['failed']} failures",
             "  per stage (seconds summed over workers, share of stage time):"]
    for name, s in stages.items():
        lines.append(f"    {name:<12} {s['seconds']:8.1f} s  {s['seconds'] / busy:6.1%}")
    places = stages.get("places", {}).get("seconds", 0.0)
    lines.append(f"  places (gazetteer) share of end-to-end stage time: {places / busy:.1%} "
                 "(issue 4: < 10%)")
    return "\n".join(lines)


def _bare(r: dict[str, Any]) -> str:
    b = r["bare"]
    text = (f"bare spaCy nlp.pipe ({'+'.join(b['components'])}, n_process={b['workers']}): "
            f"{b['wall']:.1f} s, {b['words'] / b['wall']:,.0f} words/s; peak RSS "
            f"{mb(b['peak_rss'])}; CPU {b['cpu']:.0f} s")
    if "e2e" in r:
        ratio = b["wall"] / r["e2e"]["wall"]
        r["ratio"], r["cpu_ratio"] = ratio, b["cpu"] / r["e2e"]["cpu"]
        text += (f"\nend to end / bare spaCy throughput: {ratio:.2f}x (target >= 2x); by CPU "
                 f"seconds (steadier when others load the machine): {r['cpu_ratio']:.2f}x")
    return text


def _bare_numpy(r: dict[str, Any]) -> str:
    b = r["bare_numpy"]
    text = (f"bare spaCy on numpy's BLAS (the matrix products eventwire's default uses; not the "
            f"issue's reference): {b['wall']:.1f} s, {b['words'] / b['wall']:,.0f} words/s; "
            f"CPU {b['cpu']:.0f} s")
    if "e2e" in r:
        r["ratio_numpy"] = b["wall"] / r["e2e"]["wall"]
        r["cpu_ratio_numpy"] = b["cpu"] / r["e2e"]["cpu"]
        text += (f"\nend to end / bare spaCy on the same BLAS: {r['ratio_numpy']:.2f}x; by CPU "
                 f"seconds {r['cpu_ratio_numpy']:.2f}x")
    return text


def _ray(args: argparse.Namespace, folder: Path, full: bool) -> dict[str, Any]:
    giga = SHARED / "corpora" / CORPORA["gigaword"]
    sub = folder / "ray"
    sub.mkdir()
    inputs = sample([giga], None if full else QUICK_RAY_LIMIT, sub)
    out: dict[str, Any] = {}
    for engine in ("local", "ray"):
        res, peak, _ = step([str(BENCH / "bench_ray.py"), engine, "--db",
                             str(sub / f"{engine}.db"), "--workers", str(args.workers), *inputs])
        out[engine] = {**res, "peak_rss": peak}
    loc, ray = out["local"], out["ray"]
    out["ratio"] = ray["wall"] / loc["wall"]
    print(f"Ray vs local on {'the Gigaword file' if full else 'a Gigaword sample'} "
          f"({loc['read']:,} articles, {args.workers} CPUs): local {loc['wall']:.1f} s, "
          f"Ray {ray['wall']:.1f} s (Ray start-up {ray['startup']:.1f} s included) = "
          f"{out['ratio']:.2f}x (target <= 1.5x); events {loc['events']} vs {ray['events']}; "
          f"peak RSS local {mb(loc['peak_rss'])}, Ray {mb(ray['peak_rss'])}", flush=True)
    return out


def _long() -> list[dict[str, Any]]:
    sys.path.insert(0, str(BENCH))
    from bench_long_text import table

    res, _, _ = step([str(BENCH / "bench_long_text.py")])
    print(table(res["long"]) + "\n  (flat within 2x = linear in the text's length; "
          "bench/bench_long_text.py)", flush=True)
    return res["long"]  # type: ignore[no-any-return]


def _api(full: bool) -> dict[str, Any]:
    script = BENCH / "bench_api.py"
    if not script.exists():
        print("API benchmark: bench/bench_api.py not present, skipped")
        return {}
    extra = [] if full else ["--events", "100000", "--requests", "100", "--db",
                             str(ROOT / "artifacts" / "bench" / "api-bench-quick.db")]
    proc = subprocess.run([sys.executable, str(script), *extra], cwd=ROOT, text=True,
                          capture_output=True)
    print(f"API benchmark (bench/bench_api.py {' '.join(extra)}):")
    print("\n".join("  " + line for line in proc.stdout.strip().splitlines()[-12:]))
    if proc.returncode:
        print(f"  failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
    return {"returncode": proc.returncode, "output": proc.stdout[-4000:]}


def _negatives() -> dict[str, Any]:
    """Events per 1,000 sentences on the fixed non-political sample (eval/negatives.py)."""
    proc = subprocess.run([sys.executable, "-m", "eventwire.cli", "eval", "negatives", "--json",
                           "--shared", str(SHARED)], cwd=ROOT, text=True, capture_output=True)
    if proc.returncode:
        print(f"false alarms: eval negatives failed ({proc.returncode}): {proc.stderr[-500:]}")
        return {"returncode": proc.returncode}
    res = json.loads(proc.stdout)
    groups = ", ".join(f"{k} {g['per_1000_sentences']:.1f}" for k, g in res["groups"].items())
    print(f"false alarms (eventwire eval negatives, seed {res['seed']}): "
          f"{res['events_per_1000_sentences']:.1f} events per 1,000 sentences ({res['events']} "
          f"events, {res['sentences']:,} sentences, {res['articles']} articles; {groups})",
          flush=True)
    return {k: v for k, v in res.items() if k not in ("events_list", "hand_sample")}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--full", action="store_true", help="every corpus, no sampling")
    ap.add_argument("--corpus", action="append",
                    help=f"{', '.join(CORPORA)}, a file name in corpora/, or 'all' (repeatable)")
    ap.add_argument("--limit", type=int, help="articles to sample (spread over the corpora)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--skip", default="", help=f"comma list of steps to skip: {','.join(STEPS)}")
    ap.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    args = ap.parse_args()
    report = run(args)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2), "utf-8")
        print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
