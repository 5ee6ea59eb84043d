"""`mkdocs serve` as the author runs it (`python3 dev.py serve`): live reload on, and a saved note reaches the browser.

MkDocs 1.6 injects a script into every served page that long-polls `/livereload/<epoch>/<request_id>`; the server
answers with a newer epoch once a rebuild is visible, and the page reloads. The test makes that same poll.
MkDocs reads its serve flags through click, and some click releases read them wrong (8.3.x turns live reload off
when no flag is given; the yanked 8.2.2 mangled the build type): requirements.lock pins one that reads them right,
and test_serve_flags checks it without starting a server.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

STARTUP_TIMEOUT = 20  # the first build of the tiny site takes about a second
RELOAD_TIMEOUT = 10  # the watcher polls every 0.5 s and a rebuild takes about a second (3 s on a busy machine)
LIVERELOAD_SCRIPT = re.compile(r'req\.open\("GET", "/livereload/" \+ epoch \+ "/" \+ requestId\);.*?'
                               r"livereload\((\d+), (\d+)\);", re.S)
NOTE = "---\ntitle: A Note\n---\n{body}\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 5) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode("utf-8")


class Server:
    def __init__(self, root: Path, base: str, process: subprocess.Popen, log: Path) -> None:
        self.root, self.base, self.process, self.log = root, base, process, log

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def page(self, url: str) -> str:
        try:
            return get(self.base + url)
        except urllib.error.HTTPError as error:
            pytest.fail(f"GET /{url}: {error}; mkdocs serve said:\n{self.output()}")


@pytest.fixture
def served(tmp_path):
    """A tiny diary served by the real `mkdocs serve --livereload` on a free port; always stopped afterwards."""
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Serve Test\ntheme:\n  name: material\nplugins:\n  - search\n  - paper-diary\n", encoding="utf-8")
    (tmp_path / "docs" / "topic").mkdir(parents=True)
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "docs" / "topic" / "Note.md").write_text(NOTE.format(body="First version of the body."),
                                                         encoding="utf-8")
    scratch = tmp_path / "tmp"  # mkdocs serve builds into a temporary folder: keep it in tmp_path
    scratch.mkdir()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(scratch)}
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "--livereload"],
            cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            # Ctrl-C (SIGINT) is how the author stops it, and lets it clean up: make sure it is not ignored.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    server = Server(tmp_path, f"http://127.0.0.1:{port}/", process, log)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            try:
                get(server.base, timeout=2)
                break
            except (OSError, urllib.error.URLError):
                if process.poll() is not None:
                    pytest.fail(f"mkdocs serve exited with {process.returncode}:\n{server.output()}")
                if time.monotonic() > deadline:
                    pytest.fail(f"mkdocs serve did not answer within {STARTUP_TIMEOUT} s:\n{server.output()}")
                time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_a_saved_note_is_served_and_reloads_the_page(served, capsys):
    page = served.page("topic/Note/")
    assert "First version of the body." in page
    m = LIVERELOAD_SCRIPT.search(page)
    assert m, f"mkdocs serve did not inject its live-reload script into the page:\n{served.output()}"
    epoch, request_id = m.groups()
    poll = f"{served.base}livereload/{epoch}/{request_id}"

    # Nothing changed, so the long poll must hang (a rebuild loop would answer it and fake the check below).
    with pytest.raises((TimeoutError, socket.timeout, urllib.error.URLError)):
        get(poll, timeout=1.5)

    saved = time.monotonic()
    (served.root / "docs" / "topic" / "Note.md").write_text(
        NOTE.format(body="Second version of the body, edited while served."), encoding="utf-8")
    # (a) The browser's long poll answers with a newer epoch once the rebuild is visible.
    try:
        answer = get(poll, timeout=RELOAD_TIMEOUT)
    except (TimeoutError, socket.timeout, urllib.error.URLError):
        pytest.fail(f"no reload within {RELOAD_TIMEOUT} s of saving the note:\n{served.output()}")
    reloaded = time.monotonic() - saved
    assert int(answer) > int(epoch)
    # (b) What the reloaded page gets is the new text.
    page = served.page("topic/Note/")
    latency = time.monotonic() - saved
    assert "Second version of the body, edited while served." in page
    assert "First version of the body." not in page
    with capsys.disabled():  # shown in every run, CI's too
        print(f"\nlive reload: save -> reload signal {reloaded:.2f} s, save -> new page served {latency:.2f} s")


FLAGS = {  # serve arguments -> (livereload, build_type) as MkDocs 1.6 expects them
    "": (True, None),  # `mkdocs serve` alone: live reload is on by default
    "--livereload": (True, None),  # what dev.py passes
    "--no-livereload": (False, None),
    "--dirty": (True, "dirty"),
    "--clean": (True, "clean"),
}
READ_FLAGS = """
import json, sys
import mkdocs.commands.serve
from click.testing import CliRunner
from mkdocs.__main__ import cli
seen = {}
mkdocs.commands.serve.serve = lambda **kwargs: seen.update(kwargs)
for args in json.loads(sys.argv[1]):
    result = CliRunner().invoke(cli, ["serve", *args.split()])
    assert result.exit_code == 0, result.output
    print(json.dumps([args, seen["livereload"], seen["build_type"]]))
"""


def test_serve_flags():
    """The installed click turns MkDocs' serve flags into the options MkDocs expects (in a subprocess: MkDocs'
    command line changes logging and warnings for the whole process)."""
    done = subprocess.run([sys.executable, "-c", READ_FLAGS, json.dumps(list(FLAGS))], capture_output=True,
                          text=True, timeout=60, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    seen = {args: (livereload, build_type)
            for args, livereload, build_type in map(json.loads, done.stdout.splitlines())}
    wrong = {args: got for args, got in seen.items() if got != FLAGS[args]}
    assert seen.keys() == FLAGS.keys() and not wrong, (
        f"this click release reads MkDocs' serve flags wrong (serve arguments: (livereload, build_type)): {wrong}; "
        "pin another one in requirements.lock")
