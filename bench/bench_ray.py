"""Ray engine vs local engine, same input, same CPU count, fresh SQLite stores:

    python bench/bench_ray.py local --db FILE --workers 2 PATH...
    python bench/bench_ray.py ray --db FILE --workers 2 PATH...

The ray step starts a local Ray instance with ``--workers`` CPUs (start-up is included in
``wall`` and also reported alone). Prints one JSON object on its last line of stdout.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("engine", choices=["local", "ray"])
    ap.add_argument("--db", required=True)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("paths", nargs="+")
    args = ap.parse_args()

    from eventwire import config
    from eventwire.store import Store

    cfg = config.load(overrides={"pipeline": {"workers": args.workers}})
    store = Store.open(args.db)
    t0 = time.perf_counter()
    startup = 0.0
    if args.engine == "local":
        from eventwire.jobs import ingest

        summary = ingest(args.paths, store, cfg)
    else:
        import ray

        from eventwire.scale import ray_engine

        ray.init(num_cpus=args.workers, include_dashboard=False, logging_level=logging.ERROR,
                 log_to_driver=False)
        startup = time.perf_counter() - t0
        summary = ray_engine.ingest(args.paths, store, cfg)
        ray.shutdown()
    wall = time.perf_counter() - t0
    print(json.dumps({"engine": args.engine, "wall": wall, "startup": startup,
                      "read": summary.read, "new": summary.new, "events": summary.events,
                      "failed": summary.failed}))


if __name__ == "__main__":
    main()
