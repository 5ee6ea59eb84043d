"""`mkdocs serve` as the author uses it: live reload on, and a saved note reaches the browser."""

import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import write_site


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 10) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode("utf-8")


@pytest.fixture
def served(tmp_path):
    write_site(tmp_path, {"topic/Note.md": "---\ntitle: A Note\n---\nFirst version of the body.\n"},
               config={"site_url": None})
    port = free_port()
    # No flag: live reload must be on by default, as the author runs it.
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                              cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get(base + "topic/Note/", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    pytest.fail(f"mkdocs serve did not start:\n{server.stdout.read()}")
                time.sleep(0.2)
        yield tmp_path, base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def test_saving_a_note_reloads_the_browser(served):
    root, base = served
    page = get(base + "topic/Note/")
    assert "First version of the body." in page
    m = re.search(r"livereload\((\d+), (\d+)\);", page)
    assert m, "mkdocs serve did not inject its live-reload script (a click release can switch it off)"
    epoch = int(m.group(1))
    note = root / "docs" / "topic" / "Note.md"
    saved = time.monotonic()
    note.write_text("---\ntitle: A Note\n---\nSecond version of the body.\n", encoding="utf-8")
    # The same long poll the browser makes: it answers with a newer epoch once the rebuild is served.
    answer = int(get(f"{base}livereload/{epoch}/{m.group(2)}", timeout=60))
    latency = time.monotonic() - saved
    assert answer > epoch
    assert "Second version of the body." in get(base + "topic/Note/")
    print(f"save-to-reload latency: {latency:.2f} s")
    assert latency < 30
