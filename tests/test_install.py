"""A fresh clone installs exactly the lock, on any day, and the built wheel works on its own.

These tests do what a new user does: clone HEAD, ``make install`` with the interpreter's own
bundled pip, no pip cache and empty home and cache folders; then build the wheel and run it
from outside the checkout. They take a few minutes (two gazetteer builds), so they run once
per ``make test``; no marker deselects them. Outside CI they skip only when the package index
cannot be reached."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import IN_CI

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = "examples/000_0177d3a5025271f0.txt"
TIMEOUT = 1200  # seconds for each test, the install included
pytestmark = pytest.mark.timeout(TIMEOUT)


def canonical(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_pins(path: Path) -> dict[str, str]:
    """{canonical name: version} of every ``name==version`` requirement in a pip lock file."""
    pins = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^ ;\\]+)", line)
        if match:
            pins[canonical(match.group(1))] = match.group(2)
    return pins


def base_python() -> Path:
    """The interpreter this venv was made from: its pip is the one a new user has."""
    exe = Path(sys.base_prefix) / "bin" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
    assert exe.exists(), f"base interpreter not found at {exe}"
    return exe


def clean_env(tmp: Path, **extra: str) -> dict[str, str]:
    """The caller's environment less any virtualenv, with empty home and cache folders."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PIP_REQUIRE_VIRTUALENV"}}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if ".venv" not in p)
    for name in ("home", "xdg-cache", "eventwire-cache"):
        (tmp / name).mkdir(exist_ok=True)
    env.update(PIP_NO_CACHE_DIR="1", HOME=str(tmp / "home"), XDG_CACHE_HOME=str(tmp / "xdg-cache"),
               EVENTWIRE_CACHE=str(tmp / "eventwire-cache"))
    env.update(extra)
    return env


def index_reachable(python: Path, env: dict[str, str]) -> bool:
    """Whether pip, as configured on this machine, can read the package index."""
    probe = subprocess.run([str(python), "-m", "pip", "index", "versions", "pip"], env=env,
                           capture_output=True, text=True, timeout=120)
    return probe.returncode == 0


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 0, (
        f"{' '.join(cmd)} exited {done.returncode}\n--- stdout\n{done.stdout[-4000:]}"
        f"\n--- stderr\n{done.stderr[-4000:]}")
    return done


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A clone of HEAD after ``make install``, and the environment it was installed with."""
    tmp = tmp_path_factory.mktemp("fresh-install")
    python = base_python()
    env = clean_env(tmp)
    if not IN_CI and not index_reachable(python, env):
        pytest.skip("the package index cannot be reached: a fresh install cannot be tried here")
    clone = tmp / "eventwire"
    run(["git", "clone", "--quiet", "--no-local", str(ROOT), str(clone)], tmp, env)
    run(["make", "install", f"PYTHON={python}"], clone, env)
    return clone, env


def test_fresh_clone_installs_exactly_the_lock(fresh: tuple[Path, dict[str, str]]) -> None:
    clone, env = fresh
    listed = run([str(clone / ".venv/bin/python"), "-m", "pip", "list", "--format=json",
                  "--disable-pip-version-check"], clone, env).stdout
    installed = {canonical(d["name"]): d["version"] for d in json.loads(listed)}
    pins = lock_pins(clone / "requirements.lock")
    missing = {n: v for n, v in pins.items() if installed.get(n) != v}
    extra = sorted(set(installed) - set(pins) - {"eventwire", "pip"})
    assert not missing, f"lock pins not installed as pinned: {missing}"
    assert not extra, f"installed but not in the lock: {extra}"


def test_fresh_install_is_consistent(fresh: tuple[Path, dict[str, str]]) -> None:
    clone, env = fresh
    run([str(clone / ".venv/bin/python"), "-m", "pip", "check"], clone, env)


def test_makefile_refuses_other_pythons(fresh: tuple[Path, dict[str, str]],
                                        tmp_path: Path) -> None:
    clone, env = fresh
    fake = tmp_path / "python3.11"
    fake.write_text("#!/bin/sh\n"  # a python3.11 on PATH that is really 3.12
                    "if [ \"$1\" = -V ]; then echo 'Python 3.12.1'; exit 0; fi\nexit 1\n")
    fake.chmod(0o755)
    for python in (str(tmp_path / "no-such-python"), str(fake)):
        done = subprocess.run(["make", "install", f"PYTHON={python}", f"VENV={tmp_path}/venv"],
                              cwd=clone, env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 2, done.stdout + done.stderr
        assert "Python 3.11" in done.stdout + done.stderr
        assert not (tmp_path / "venv").exists()


def test_built_wheel_works_on_its_own(fresh: tuple[Path, dict[str, str]], shared: Path,
                                      tmp_path: Path) -> None:
    """Runs last in this module: it swaps the clone's editable install for the wheel."""
    clone, env = fresh
    py = str(clone / ".venv/bin/python")
    dist = tmp_path / "dist"
    run([py, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), "."],
        clone, env)
    [wheel] = dist.glob("eventwire-*.whl")
    run([py, "-m", "pip", "uninstall", "-y", "-q", "eventwire"], clone, env)
    run([py, "-m", "pip", "install", "-q", "--no-index", "--no-deps", str(wheel)], clone, env)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    cache = tmp_path / "empty-cache"
    wenv = {**env, "EVENTWIRE_CACHE": str(cache)}
    where = run([py, "-c", "import eventwire; print(eventwire.__file__)"], outside, wenv).stdout
    assert "site-packages" in where and not where.startswith(str(clone / "eventwire")), where
    done = run([str(clone / ".venv/bin/eventwire"), "extract", str(shared / REFERENCE),
                "--format", "json"], outside, wenv)
    assert str(cache) in done.stderr, f"the gazetteer build should name its path: {done.stderr}"
    article = json.loads(done.stdout)
    consults = [e for e in article["events"] if e["type"] == "CONSULT"]
    codes = {a.get("code") for e in consults for a in e["actors"] + e["recipients"]}
    assert {"RUS", "TKM"} <= codes, article["events"]
