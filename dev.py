#!/usr/bin/env python3
"""Set up and run the diary with nothing but python3 (3.11 or newer, with venv and pip):

    python3 dev.py serve   # serve the diary at http://127.0.0.1:8000 with live reload (Ctrl-C stops it)
    python3 dev.py test    # run the whole test suite
    python3 dev.py setup   # only create .venv and install the locked dependencies

The first run creates .venv in the repository and installs requirements.lock into it, then the diary itself
(editable); later runs reinstall only when requirements.lock or pyproject.toml has changed.
Arguments after the command are passed on: `python3 dev.py test -k build -x`, `python3 dev.py serve --dirty`.
"""

# Standard library only; annotations are strings so that an old python3 (3.6 on) gets a message, not a traceback.
import hashlib
import os
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".paper-diary-installed"  # the hash of requirements.lock and pyproject.toml last installed
DEBIAN_VENV = "on Debian or Ubuntu: sudo apt-get install python3-venv"
USAGE = "usage: python3 dev.py {serve,test,setup} [arguments passed on]"


class Failed(Exception):
    """A setup step failed; the message says which and what to do."""


def say(message: str) -> None:
    print(f"dev.py: {message}", file=sys.stderr, flush=True)


def fingerprint() -> str:
    digest = hashlib.sha256(str(ROOT).encode() + b"\0")  # a moved repository needs its editable install redone
    for path in (LOCK, ROOT / "pyproject.toml"):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def venv_works() -> bool:
    """.venv's python runs and has pip (a `python3 -m venv` that failed half-way leaves a python without pip)."""
    if not PYTHON.exists():
        return False
    try:
        return subprocess.run([str(PYTHON), "-m", "pip", "--version"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL).returncode == 0
    except OSError:  # e.g. the python it was made from is gone
        return False


def create_venv() -> None:
    try:
        import ensurepip  # noqa: F401  `python3 -m venv` needs it to put pip in .venv; Debian ships it apart
        import venv  # noqa: F401
    except ImportError:
        raise Failed(f"this python3 ({sys.executable}) cannot create virtual environments: "
                     f"its venv module (with ensurepip) is missing; {DEBIAN_VENV}") from None
    rebuild = VENV.exists()
    say(("recreating .venv (the one there does not work)" if rebuild else "creating .venv") +
        f" with {sys.executable} (Python {sys.version.split()[0]})")
    command = [sys.executable, "-m", "venv", *(["--clear"] if rebuild else []), str(VENV)]
    if subprocess.run(command).returncode != 0 or not venv_works():
        raise Failed(f"could not create .venv (see above); if pip or ensurepip is missing, {DEBIAN_VENV}; "
                     "then run this again")


def pip(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(PYTHON), "-m", "pip", "--disable-pip-version-check", "--no-input", *args],
                          **kwargs)


def locked_names() -> "set[str]":
    names = set()
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.add(canonical(re.split(r"[=<>!~\[; ]", line, 1)[0]))
    return names


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def install(fresh: bool) -> None:
    say("installing requirements.lock into .venv" + (" (about a minute)" if fresh else ""))
    # --no-deps: the lock lists every package, and `pip check` below proves it; nothing unlocked sneaks in.
    if pip("install", "-q", "--no-deps", "-r", str(LOCK)).returncode != 0:
        raise Failed("pip could not install requirements.lock (see above)")
    # The build backend is the locked setuptools, not whatever release an isolated build would fetch that day.
    if pip("install", "-q", "--no-deps", "--no-build-isolation", "-e", str(ROOT)).returncode != 0:
        raise Failed("pip could not install the diary itself (pip install -e ., see above)")
    # Packages a former lock had and this one has not (the editable diary itself is left out of freeze).
    frozen = pip("freeze", "--exclude-editable", stdout=subprocess.PIPE, text=True)
    extra = sorted({canonical(re.split(r"[=@ ]", line, 1)[0]) for line in frozen.stdout.splitlines()
                    if line and not line.startswith("#")} - locked_names() - {"paper-diary"})
    if extra:
        say(f"removing packages that requirements.lock no longer lists: {' '.join(extra)}")
        pip("uninstall", "-q", "-y", *extra)
    check = pip("check", stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if check.returncode != 0:
        raise Failed("requirements.lock does not satisfy the packages' own requirements (regenerate it: see its "
                     f"first lines):\n{check.stdout.strip()}")


def setup() -> None:
    if sys.version_info < (3, 11):
        raise Failed(f"Python 3.11 or newer is needed; {sys.executable} is {sys.version.split()[0]}")
    lock = None
    try:  # two dev.py at once (serve in one terminal, test in another) must not install over each other
        import fcntl
        key = hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]
        lock = open(Path(tempfile.gettempdir()) / f"paper-diary-dev-{key}.lock", "w")
        fcntl.flock(lock, fcntl.LOCK_EX)
    except (ImportError, OSError):
        pass
    try:
        want = fingerprint()
        if PYTHON.exists() and STAMP.exists() and STAMP.read_text(encoding="utf-8").strip() == want:
            return  # the usual case: nothing to do, and nothing run to find that out
        fresh = not venv_works()
        if fresh:
            create_venv()
        STAMP.unlink(missing_ok=True)
        install(fresh)
        STAMP.write_text(want + "\n", encoding="utf-8")
        say(".venv is up to date with requirements.lock")
    finally:
        if lock:
            lock.close()


def run(command: "list[str]") -> int:
    """Run the command in the repository with NO_MKDOCS_2_WARNING=1; return its exit code."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    try:
        child = subprocess.Popen(command, cwd=ROOT, env=env)
    except OSError as error:
        raise Failed(f"could not run {command[0]}: {error}; remove .venv and run this again") from None
    # Ctrl-C reaches the child too (same terminal): let it stop cleanly (mkdocs removes its temporary site,
    # pytest prints its summary) and hand on its exit code. A handler, not SIG_IGN, so the child does not inherit it.
    signal.signal(signal.SIGINT, lambda *_: None)
    signal.signal(signal.SIGTERM, lambda signum, _: child.send_signal(signum))
    code = child.wait()
    return 128 - code if code < 0 else code  # killed by signal N: exit 128+N, as a shell does


def main(argv: "list[str]") -> int:
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__.strip(), file=sys.stdout if argv else sys.stderr)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command not in ("serve", "test", "setup"):
        print(f"dev.py: unknown command {command!r}\n{USAGE}", file=sys.stderr)
        return 2
    try:
        setup()
        if command == "serve":
            return run([str(PYTHON), "-m", "mkdocs", "serve", "-a", "127.0.0.1:8000", "--livereload", *rest])
        if command == "test":
            return run([str(PYTHON), "-m", "pytest", *rest])
        return 0
    except Failed as failure:
        say(str(failure))
        return 1
    except KeyboardInterrupt:
        say("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
