"""`paper-diary new` with arXiv: looked up on a loopback server that serves recorded answers (tests/arxiv/), never
arXiv itself; the diary's own template; duplicates refused; files written with the umask's mode."""

from __future__ import annotations

import json
import os
import stat
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from conftest import build_site, check_warnings
from paper_diary.commands import arxiv, cli

ANSWERS = Path(__file__).parent / "arxiv"
SLOW, UNAVAILABLE, WITHDRAWN, MALFORMED, ENTITIES = "2501.00002", "2501.00503", "2402.00001", "2501.00001", "2501.00666"


class Recorded(BaseHTTPRequestHandler):
    """arXiv's `query` endpoint as the recorded answers give it; every request is kept for the tests to read."""

    requests: list[tuple[float, str, dict]] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        url = urlparse(self.path)
        paper = parse_qs(url.query).get("id_list", [""])[0]
        Recorded.requests.append((time.monotonic(), self.path, dict(self.headers)))
        if url.path != "/api/query":
            return self._send(404, b"not found")
        if paper == UNAVAILABLE:
            return self._send(503, b"Service Unavailable", "text/plain")
        if paper == SLOW:
            time.sleep(1.5)
        name = {WITHDRAWN: "withdrawn.xml", MALFORMED: "malformed.xml", ENTITIES: "entities.xml",
                SLOW: "2506.01939.xml"}.get(paper)
        file = ANSWERS / (name or f"{paper}.xml")
        self._send(200, (file if file.exists() else ANSWERS / "unknown.xml").read_bytes())

    def _send(self, code: int, body: bytes, kind: str = "application/atom+xml; charset=utf-8") -> None:
        try:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (the slow answer)
            pass

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorded)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/api/query"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def diary(tmp_path, monkeypatch, server):
    """A new diary (as `init` makes it), the look-up pointed at the loopback server, no wait between requests."""
    assert cli.main(["init", str(tmp_path / "d")]) == 0
    monkeypatch.chdir(tmp_path / "d")
    monkeypatch.setenv(arxiv.API_ENV, server)
    monkeypatch.setattr(arxiv, "INTERVAL", 0.0)
    Recorded.requests.clear()
    return tmp_path / "d"


def new(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(["new", *args])
    out, err = capsys.readouterr()
    return code, out.strip(), err.strip()


def test_new_from_an_arxiv_id_fills_the_note_from_arxiv(diary, capsys):
    code, out, err = new(capsys, "--topic", "LLM_reinforcement_learning", "--arxiv", "2506.01939", "--tags", "rlvr")
    assert (code, err) == (0, "")
    path = Path(out)
    assert path == Path("docs/LLM_reinforcement_learning/BeyondThe8020RuleHighEntropyMinorityTokensDriveEffective"
                        "ReinforcementLearningFor.md")  # names are cut at 80 characters
    text = path.read_text(encoding="utf-8")
    assert text.startswith(
        '---\ntitle: "Beyond the 80/20 Rule: High-Entropy Minority Tokens Drive Effective Reinforcement Learning '
        'for LLM Reasoning"\ndate: 2025-07-01\nauthors: ["Shenzhi Wang", "Le Yu", "Chang Gao", ')
    assert '"Gao Huang", "Junyang Lin"]\nyear: 2025\narxiv: "2506.01939"\narxiv_version: 1\n' in text
    assert "pdf: https://arxiv.org/pdf/2506.01939\n" in text and 'tags: ["rlvr"]\n' in text
    assert ('summary: "Reinforcement Learning with Verifiable Rewards (RLVR) has emerged as a powerful approach to '
            'enhancing the reasoning capabilities of Large Language Models (LLMs), while its mechanisms are not yet '
            'well understood."\n') in text
    assert text.endswith("---\n\n## Idea\n\n## Method\n\n## Takeaways\n")  # the default note, as before
    (_, request, headers), = Recorded.requests
    assert request == "/api/query?id_list=2506.01939&max_results=1"
    assert headers["User-Agent"].startswith("paper-diary/")
    # The note builds strictly, and its card names the version read.
    site = build_site(diary, strict=True)
    check_warnings(site)
    card = site.html(path.relative_to("docs").with_suffix("").as_posix() + "/")
    assert "arXiv:2506.01939 (v1)</a>" in card and "Shenzhi Wang, Le Yu" in card
    # A second look-up of the same id is answered from the cache beside docs/, not under it.
    cache = diary / ".cache" / "paper-diary" / "arxiv.json"
    assert "2506.01939" in json.loads(cache.read_text(encoding="utf-8"))["entries"]
    path.unlink()
    assert new(capsys, "--topic", "rl", "--arxiv", "https://arxiv.org/pdf/2506.01939v1.pdf")[0] == 0
    assert len(Recorded.requests) == 1
    assert not any(p.name == "arxiv.json" for p in (diary / "docs").rglob("*"))


def test_new_renders_the_diarys_own_template(diary, capsys):
    # An author's own layout, as they write every note by hand.
    (diary / "docs" / ".templates" / "paper.md").write_text(
        "## {{ title }}\n\n"
        "**Date:** {{ date | long_date }}\n"
        "**Authors:** {{ authors | join(', ') }}\n"
        "[arXiv]({{ abs }}) | [PDF]({{ pdf }}){{ ' | [Code](%s)' % code if code }}\n\n"
        "## Key Points\n\n## Key Methods\n\n## Results\n\n## Thoughts\n", encoding="utf-8")
    code, out, err = new(capsys, "--topic", "rl", "--arxiv", "arxiv.org/abs/2506.01939v1",
                         "--code", "https://github.com/example/entropy")
    assert (code, err) == (0, "")
    assert Path(out).read_text(encoding="utf-8") == (
        "## Beyond the 80/20 Rule: High-Entropy Minority Tokens Drive Effective Reinforcement Learning for LLM "
        "Reasoning\n\n**Date:** 1st July 2025\n**Authors:** Shenzhi Wang, Le Yu, Chang Gao, Chujie Zheng, Shixuan "
        "Liu, Rui Lu, Kai Dang, Xionghui Chen, Jianxin Yang, Zhenru Zhang, Yuqiong Liu, An Yang, Andrew Zhao, Yang "
        "Yue, Shiji Song, Bowen Yu, Gao Huang, Junyang Lin\n[arXiv](https://arxiv.org/abs/2506.01939) | "
        "[PDF](https://arxiv.org/pdf/2506.01939) | [Code](https://github.com/example/entropy)\n\n"
        "## Key Points\n\n## Key Methods\n\n## Results\n\n## Thoughts\n")
    # The template is no page of the site and no paper of the diary.
    site = build_site(diary, strict=True)
    check_warnings(site)
    assert not (site.out / ".templates").exists() and "Key Methods" not in site.html("")
    assert cli.main(["check"]) == 0


def test_a_broken_template_is_named_with_its_line_and_nothing_is_written(diary, capsys):
    template = diary / "docs" / ".templates" / "paper.md"
    template.write_text("## {{ title }}\n\n**Venue:** {{ venue }}\n", encoding="utf-8")
    code, _, err = new(capsys, "A Paper", "--topic", "rl")
    assert code == 1
    assert f"{template.relative_to(diary)}:3: 'venue' is undefined; the fields are abs, abstract" in err
    template.write_text("## {{ title }}\n\nPublished {{ year + 1 }}\n", encoding="utf-8")  # no year without arXiv
    code, _, err = new(capsys, "A Paper", "--topic", "rl")
    assert code == 1 and ".templates/paper.md:3: unsupported operand type(s)" in err and "Traceback" not in err
    template.write_text("## {{ title }\n", encoding="utf-8")
    code, _, err = new(capsys, "A Paper", "--topic", "rl")
    assert code == 1 and ".templates/paper.md:1: is not a valid template" in err
    assert not (diary / "docs" / "rl").exists()


@pytest.mark.parametrize("given, says", [
    ("2506.99999", "arXiv has no paper 2506.99999; check the id"),
    (UNAVAILABLE, "arXiv answered 503 Service Unavailable"),
    (MALFORMED, "arXiv's answer is not readable XML"),
    (SLOW, "arXiv did not answer within 0.5 s"),
    (ENTITIES, "arXiv's answer is not readable XML (it declares a DTD, which is refused)"),
])
def test_a_failed_look_up_says_so_in_one_line_and_writes_what_it_has(diary, capsys, monkeypatch, given, says):
    monkeypatch.setattr(arxiv, "TIMEOUT", 0.5)  # the slow answer takes 1.5 s
    code, out, err = new(capsys, "My Title", "--topic", "rl", "--arxiv", f"{given}v2", "--tags", "x")
    assert code == 0
    assert err == f"paper-diary new: {says}; the note is written without arXiv's title, authors and links" \
        if given != MALFORMED else err.startswith(f"paper-diary new: {says}") and "\n" not in err
    text = Path(out).read_text(encoding="utf-8")
    assert f'title: "My Title"\ndate: 2025-07-01\narxiv: "{given}"\narxiv_version: 2\npdf: ' in text
    assert f"pdf: https://arxiv.org/pdf/{given}\n" in text  # arXiv's PDF, known from the id alone
    assert "authors:" not in text and "Traceback" not in err
    assert not (diary / ".cache" / "paper-diary" / "arxiv.json").exists() or given not in (
        diary / ".cache" / "paper-diary" / "arxiv.json").read_text()  # failures are not cached
    assert list(Path("docs/rl").iterdir()) == [Path(out)]  # no temporary file left behind


def test_a_withdrawn_paper_is_named_as_such(diary, capsys):
    code, out, err = new(capsys, "--topic", "rl", "--arxiv", WITHDRAWN)
    assert code == 0
    assert err == f"paper-diary new: arXiv lists {WITHDRAWN} as withdrawn; its abstract is not used: check the id"
    text = Path(out).read_text(encoding="utf-8")
    assert 'title: "Sample-Efficient Policy Optimisation with Learned Critics"' in text
    assert "arxiv_version: 3" in text and "summary: \n" in text and "withdrawn" not in text


def test_offline_and_no_fetch(diary, capsys, monkeypatch):
    monkeypatch.setenv(arxiv.API_ENV, "http://127.0.0.1:9/api/query")  # nothing listens on port 9
    code, out, err = new(capsys, "--topic", "rl", "--arxiv", "2506.01939")
    assert code == 0 and err.startswith("paper-diary new: arXiv cannot be reached (") and "\n" not in err
    assert 'title: "arXiv 2506.01939"' in Path(out).read_text(encoding="utf-8")
    Path(out).unlink()
    monkeypatch.setenv(arxiv.API_ENV, "file:///etc/passwd")
    code, out, err = new(capsys, "--topic", "rl", "--arxiv", "2506.01939")
    assert code == 0 and err.startswith("paper-diary new: PAPER_DIARY_ARXIV_API='file:///etc/passwd' is not a web "
                                        "address; set it to https://...")
    Path(out).unlink()
    # The author's own layout, without a look-up: what is not known is left empty, never written "None".
    (diary / "docs" / ".templates" / "paper.md").write_text(
        "## {{ title }}\n\n**Year:** {{ year }}\n**Authors:** {{ authors | join(', ') }}\n"
        "[arXiv]({{ abs }}) | [PDF]({{ pdf }}) | [Code]({{ code }})\n", encoding="utf-8")
    code, out, err = new(capsys, "Entropy Tokens", "--topic", "rl", "--arxiv", "2506.01939", "--no-fetch")
    assert (code, err) == (0, "") and not Recorded.requests
    assert Path(out).read_text(encoding="utf-8") == (
        "## Entropy Tokens\n\n**Year:** \n**Authors:** \n"
        "[arXiv](https://arxiv.org/abs/2506.01939) | [PDF](https://arxiv.org/pdf/2506.01939) | [Code]()\n")


def test_requests_are_three_seconds_apart(diary, capsys, monkeypatch):
    monkeypatch.setattr(arxiv, "INTERVAL", 3.0)
    assert new(capsys, "--topic", "rl", "--arxiv", "2506.01939")[0] == 0
    assert new(capsys, "--topic", "rl", "--arxiv", "2506.99999")[0] == 0  # another command, the same diary
    first, second = (r[0] for r in Recorded.requests)
    assert second - first >= 2.9


def test_new_refuses_a_paper_the_diary_has_and_links_related_notes(diary, capsys):
    docs = diary / "docs"
    (docs / "rl").mkdir()
    # Notes as people write them: no front matter, the arXiv id in a versioned link.
    (docs / "rl" / "TokenEntropy.md").write_text(
        "# High-Entropy Minority Tokens\n\nPaper: https://arxiv.org/abs/2506.01939v2\nTags: #rlvr\n", encoding="utf-8")
    (docs / "rl" / "Prolonged RL.md").write_text("---\ntags: [rlvr, exploration]\n---\n# Prolonged RL\n\nText.\n")
    (docs / "rl" / "Other.md").write_text("---\ntitle: Something Else\ntags: [vision]\n---\n")
    code, _, err = new(capsys, "Entropy", "--topic", "rl", "--arxiv", "2506.01939v1")
    assert code == 1 and not Recorded.requests
    assert err == ("paper-diary new: docs/rl/TokenEntropy.md:3: is this paper already (arXiv 2506.01939); nothing "
                   "was written (use --force to add it anyway)")
    code, _, err = new(capsys, "prolonged  rl", "--topic", "marl")
    assert code == 1 and "docs/rl/Prolonged RL.md:4: has this title already ('Prolonged RL')" in err
    assert not (docs / "marl").exists()
    code, out, _ = new(capsys, "Exploration with token entropy", "--topic", "marl", "--tags", "rlvr, exploration",
                       "--no-fetch")
    assert code == 0
    assert Path(out).read_text(encoding="utf-8").endswith(
        "## Takeaways\n\nRelated: [Prolonged RL](../rl/Prolonged%20RL.md), [High-Entropy Minority Tokens]"
        "(../rl/TokenEntropy.md)\n")
    site = build_site(diary, strict=True)  # the related links lead to the notes
    check_warnings(site)
    related = site.content("marl/ExplorationWithTokenEntropy/")
    assert 'href="../../rl/Prolonged%20RL/"' in related and 'href="../../rl/TokenEntropy/"' in related
    code, out, _ = new(capsys, "Entropy", "--topic", "marl", "--arxiv", "2506.01939", "--force")
    assert code == 0 and "arxiv: \"2506.01939\"" in Path(out).read_text(encoding="utf-8")


def test_files_are_written_with_the_umask(tmp_path, capsys, monkeypatch):
    old = os.umask(0o022)
    try:
        assert cli.main(["init", str(tmp_path / "d")]) == 0
        monkeypatch.chdir(tmp_path / "d")
        assert cli.main(["new", "A Paper", "--topic", "rl"]) == 0
        os.umask(0o027)
        assert cli.main(["new", "B Paper", "--topic", "rl"]) == 0
    finally:
        os.umask(old)
    capsys.readouterr()
    modes = {p.relative_to(tmp_path / "d").as_posix(): stat.S_IMODE(p.stat().st_mode)
             for p in (tmp_path / "d").rglob("*") if p.is_file()}
    assert modes.pop("docs/rl/BPaper.md") == 0o640
    assert set(modes.values()) == {0o644}, modes
    assert {"mkdocs.yml", "docs/index.md", "docs/.templates/paper.md", "docs/rl/APaper.md"} <= set(modes)


def test_the_template_can_live_where_the_plugin_says(diary, capsys):
    from paper_diary.commands.new import DEFAULT_TEMPLATE

    # `init` gives the diary its own copy of the default note, to change.
    assert (diary / "docs" / ".templates" / "paper.md").read_text() == DEFAULT_TEMPLATE.read_text()
    config = (diary / "mkdocs.yml").read_text(encoding="utf-8")
    (diary / "mkdocs.yml").write_text(config.replace("  - paper-diary:\n", "  - paper-diary:\n"
                                                     "      note_template: ../templates/note.md\n"), encoding="utf-8")
    (diary / "templates").mkdir()
    (diary / "templates" / "note.md").write_text("# {{ title }}\n\nRead on {{ date | long_date }}.\n")
    code, out, _ = new(capsys, "Twenty-Second Paper", "--topic", "rl")
    assert code == 0 and Path(out).read_text(encoding="utf-8") == "# Twenty-Second Paper\n\nRead on 1st July 2025.\n"
    check_warnings(build_site(diary, strict=True))  # MkDocs knows the option


@pytest.mark.parametrize("day, written", [
    ("2025-08-11", "11th August 2025"), ("2025-08-01", "1st August 2025"), ("2025-08-02", "2nd August 2025"),
    ("2025-08-03", "3rd August 2025"), ("2025-08-12", "12th August 2025"), ("2025-08-22", "22nd August 2025"),
    ("2025-08-13", "13th August 2025"), ("2025-08-31", "31st August 2025"),
])
def test_long_date_writes_the_day_as_notes_do(day, written):
    import datetime

    from paper_diary.commands.new import long_date

    assert long_date(datetime.date.fromisoformat(day)) == written
