"""Configuration: shipped defaults, a user TOML file over them, then environment variables."""

from __future__ import annotations

import copy
import os
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from eventwire.errors import EventwireError

Config = dict[str, dict[str, Any]]


def defaults() -> Config:
    text = resources.files("eventwire").joinpath("default_config.toml").read_text("utf-8")
    return tomllib.loads(text)


def load(path: str | Path | None = None, overrides: Config | None = None) -> Config:
    """Defaults, then ``path`` (or $EVENTWIRE_CONFIG), then EVENTWIRE_SECTION_KEY env vars,
    then ``overrides``; each layer replaces only the keys it sets."""
    cfg = defaults()
    path = path or os.environ.get("EVENTWIRE_CONFIG")
    if path:
        _merge(cfg, _read_user_file(Path(path)))
    _merge(cfg, _from_env(cfg))
    if overrides:
        _merge(cfg, overrides)
    return cfg


def _read_user_file(path: Path) -> Config:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError as exc:
        raise EventwireError("E010", f"config file {path} not found",
                             "check the path given to --config or EVENTWIRE_CONFIG") from exc
    except tomllib.TOMLDecodeError as exc:
        raise EventwireError("E011", f"config file {path} is not valid TOML: {exc}",
                             "fix the syntax; see eventwire/default_config.toml") from exc


def _merge(base: Config, layer: Config) -> None:
    for section, values in layer.items():
        if section not in base or not isinstance(values, dict):
            raise EventwireError("E012", f"unknown config section [{section}]",
                                 f"known sections: {', '.join(sorted(base))}")
        for key, value in values.items():
            if key not in base[section]:
                raise EventwireError("E013", f"unknown config key {section}.{key}",
                                     f"known keys: {', '.join(sorted(base[section]))}")
            base[section][key] = copy.deepcopy(value)


def _from_env(cfg: Config) -> Config:
    found: Config = {}
    for section, values in cfg.items():
        for key, default in values.items():
            raw = os.environ.get(f"EVENTWIRE_{section.upper()}_{key.upper()}")
            if raw is not None:
                found.setdefault(section, {})[key] = _coerce(raw, default)
    return found


def _coerce(raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        return raw.lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw
