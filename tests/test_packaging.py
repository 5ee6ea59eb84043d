"""The wheel holds everything the diary needs: built from the sources, installed (not editable) into a fresh virtual
environment, its `paper-diary init` makes a diary that builds strictly, before and after `paper-diary new` adds a
paper. Offline: the virtual environment gets the locked dependencies from this one's site-packages (through a
`.pth` file naming a folder of links to them, without paper_diary), and paper_diary only from the wheel."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from paper_diary import __version__

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "plugins" / "paper_diary"


def run(*command, cwd: Path, env: dict, timeout: int = 180) -> subprocess.CompletedProcess:
    done = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, (command, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def package_files() -> set[str]:
    """Every file of the package in the source tree, as the wheel names it."""
    return {p.relative_to(PACKAGE.parent).as_posix() for p in PACKAGE.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built from a copy of the sources (a build writes build/ and *.egg-info beside them)."""
    src = tmp_path_factory.mktemp("src")
    shutil.copytree(ROOT / "plugins", src / "plugins", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    stray = src / "plugins" / "paper_diary" / "site" / "templates" / "__pycache__" / "stray.cpython-311.pyc"
    stray.parent.mkdir()
    stray.write_bytes(b"")  # what running the code leaves: never packaged
    out = tmp_path_factory.mktemp("wheel")
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
        "--disable-pip-version-check", "-w", out, ".", cwd=src, env=os.environ)
    (found,) = out.glob("paper_diary-*.whl")
    return found


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> tuple[Path, dict]:
    """A fresh virtual environment with the wheel installed, and the environment variables to run it with."""
    here = Path(tmp_path_factory.mktemp("venv"))
    venv = here / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=here, env=os.environ)
    python = venv / "bin" / "python"
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=here,
                    env=os.environ).stdout.strip())
    # This environment's packages, but not paper_diary itself (an editable install names the repository).
    deps = here / "deps"
    deps.mkdir()
    for entry in Path(sysconfig.get_path("purelib")).iterdir():
        if not entry.name.lower().startswith(("paper_diary", "__editable__")) and entry.suffix != ".pth":
            (deps / entry.name).symlink_to(entry)
    (site / "locked-dependencies.pth").write_text(f"{deps}\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env.update(NO_MKDOCS_2_WARNING="1", PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}",
               SOURCE_DATE_EPOCH="1751328000")  # 2025-07-01
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
        "--disable-pip-version-check", wheel, cwd=here, env=env)
    return venv, env


def test_the_wheel_holds_every_file_of_the_package(wheel):
    with zipfile.ZipFile(wheel) as whl:
        names = set(whl.namelist())
    assert f"paper_diary-{__version__}.dist-info/entry_points.txt" in names
    missing = package_files() - names
    assert not missing, f"not in the wheel (add them to [tool.setuptools.package-data]): {sorted(missing)}"
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_the_installed_wheel_makes_a_diary_that_builds_strictly(venv, tmp_path):
    venv, env = venv
    python = venv / "bin" / "python"
    where = run(python, "-c", "import paper_diary; print(paper_diary.__file__, paper_diary.__version__)",
                cwd=tmp_path, env=env).stdout.split()
    assert Path(where[0]).is_relative_to(venv) and where[1] == __version__, where  # not the repository's copy

    run(venv / "bin" / "paper-diary", "init", "diary", "--repo", "https://github.com/ada/paper-diary",
        cwd=tmp_path, env=env)
    diary = tmp_path / "diary"
    assert (diary / "requirements.txt").is_file() and (diary / ".github" / "workflows" / "publish.yml").is_file()

    def build() -> str:
        run(venv / "bin" / "paper-diary", "check", cwd=diary, env=env)
        done = run(python, "-m", "mkdocs", "build", "--strict", cwd=diary, env=env)
        assert "WARNING" not in done.stderr, done.stderr
        return done.stderr

    build()
    assert (diary / "site" / "sw.js").is_file()  # an asset of the package
    assert "pd-calendar" in (diary / "site" / "index.html").read_text(encoding="utf-8")  # a template
    assert (diary / "site" / "diary" / "index.html").is_file()

    added = run(venv / "bin" / "paper-diary", "new", "Attention Is All You Need", "--topic", "nlp", "--arxiv", "1706.03762",
        "--tags", "transformers", "--no-fetch", cwd=diary, env=env)
    assert (diary / "docs" / "nlp" / "AttentionIsAllYouNeed.md").is_file() and "AttentionIsAllYouNeed.md" in added.stdout
    build()
    page = (diary / "site" / "nlp" / "AttentionIsAllYouNeed" / "index.html").read_text(encoding="utf-8")
    assert "Attention Is All You Need" in page and "pd-paper-header" in page and "1706.03762" in page
    assert "Attention Is All You Need" in (diary / "site" / "tags" / "transformers" / "index.html").read_text()
