"""The stored OpenAPI spec (docs/openapi.json): ``python -m eventwire.api.openapi`` writes
it from the app; ``--check`` exits 1 when the stored file differs from the served spec."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from eventwire import config

STORED = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def spec() -> dict[str, Any]:
    """The spec the server serves at /openapi.json (independent of the store and tokens)."""
    from eventwire.api.app import build_app

    return build_app(config.defaults()).openapi()


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def main(argv: list[str]) -> int:
    text = render(spec())
    if "--check" in argv:
        same = STORED.exists() and STORED.read_text("utf-8") == text
        if not same:
            print(f"{STORED} is stale: run python -m eventwire.api.openapi", file=sys.stderr)
        return 0 if same else 1
    STORED.write_text(text, "utf-8")
    print(f"wrote {STORED}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:]))
