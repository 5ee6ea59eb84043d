#!/usr/bin/env python3
"""Set up and run the diary with nothing but python3:

    python3 dev.py serve   # serve the diary at http://127.0.0.1:8000 with live reload
    python3 dev.py test    # run the whole test suite
    python3 dev.py setup   # only create .venv and install the locked dependencies

The virtual environment `.venv` is (re)installed from requirements.lock whenever the lock or pyproject.toml changes.
Arguments after the command are passed on (`python3 dev.py test -k build`, `python3 dev.py serve -a 0.0.0.0:8000`).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".paper-diary-installed"


def fingerprint() -> str:
    digest = hashlib.sha256()
    for name in ("requirements.lock", "pyproject.toml"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def setup() -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"dev.py: Python 3.11 or newer is needed; this is {sys.version.split()[0]}")
    python = BIN / "python"
    if not python.exists():
        print("dev.py: creating .venv", flush=True)
        try:
            import venv  # noqa: F401  (Debian ships it separately)
        except ImportError:
            sys.exit("dev.py: Python's venv module is missing; on Debian or Ubuntu: apt-get install python3-venv")
        done = subprocess.run([sys.executable, "-m", "venv", str(VENV)])
        if done.returncode != 0 or not python.exists():
            sys.exit("dev.py: could not create .venv (on Debian or Ubuntu: apt-get install python3-venv)")
    want = fingerprint()
    if STAMP.exists() and STAMP.read_text() == want:
        return
    print("dev.py: installing the locked dependencies into .venv", flush=True)
    pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    for args in (["-r", str(ROOT / "requirements.lock")], ["--no-deps", "-e", str(ROOT)]):
        if subprocess.run(pip + args).returncode != 0:
            sys.exit("dev.py: pip install failed (see above); nothing else was changed")
    STAMP.write_text(want)


def run(args: list[str]) -> int:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    try:
        return subprocess.run(args, cwd=ROOT, env=env).returncode
    except KeyboardInterrupt:
        return 130


def main(argv: list[str]) -> int:
    commands = {"serve", "test", "setup"}
    if not argv or argv[0] not in commands:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    setup()
    if command == "serve":
        return run([str(BIN / "mkdocs"), "serve", "-a", "127.0.0.1:8000", "--livereload", *rest])
    if command == "test":
        return run([str(BIN / "python"), "-m", "pytest", *rest])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
