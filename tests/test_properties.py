"""Property-based tests: whatever a note holds (any YAML, any Markdown, any file name), the core never raises
and every problem names a file and a real line of it; a real build of such a diary never raises either."""

from __future__ import annotations

import os
import re
import string
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import build_site, tree, write_site
from paper_diary.reading import frontmatter
from paper_diary.model import Options, Paper, Problem
from paper_diary.diary.scan import is_topic, paper_from_text, scan

# PAPER_DIARY_EXAMPLES=5000 explores the core further (the test command keeps it quick).
CORE = settings(max_examples=int(os.environ.get("PAPER_DIARY_EXAMPLES", 200)), deadline=None, database=None)
TREES = settings(max_examples=40, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
BUILDS = settings(max_examples=int(os.environ.get("PAPER_DIARY_BUILD_EXAMPLES", 6)), deadline=None, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                         HealthCheck.function_scoped_fixture])

KEYS = sorted(frontmatter.CHECKS) + ["custom", "template", "icon", "description", "hide", "tags", "", "?x", "1"]
YAML_BITS = [
    "!!python/object/apply:os.system [\"echo pwned\"]", "!!python/object:builtins.dict {}", "!!python/name:os.system",
    "!!binary aGVsbG8=", "!!set {a, b}", "!!omap [a: 1]", "!!timestamp 2025-01-01", "!custom x", "&a [1, 2]", "*a",
    "*missing", "[a, b", "{a: 1", "]", "}", "'unclosed", "\"unclosed", "|", ">-", "- a\n- b", "\n  - a\n  - b",
    "\n  a: 1\n  b: [2]", "2401.10", "\"2401.12345\"", "https://arxiv.org/abs/2401.12345v2", "2024-02-30",
    "2025-07-09", "yes", "no", "null", "~", ".inf", "-.nan", "0x1F", "1e400", "12:30:00", "<b>x</b>",
    "javascript:alert(1)", "\"java\\tscript:alert(1)\"", " data:text/html,x", "\"</script><script>window.__pwned=1</script>\"", "a: b: c", "%TAG ! x", "@x", "`x`",
    "\t", "\u2028", "\ufeff", "é", "📌", "\\", "#comment", "? complex\n: key", "<<: *a", "=",
]
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@st.composite
def yaml_text(draw) -> str:
    """Front matter as it is typed on a phone: plausible keys, hostile values, broken structure."""
    lines = []
    for _ in range(draw(st.integers(0, 8))):
        key = draw(st.sampled_from(KEYS) | TEXT)
        value = draw(st.sampled_from(YAML_BITS) | TEXT | _data().map(_flow))
        indent = draw(st.sampled_from(["", "", "", "  ", "\t"]))
        lines.append(f"{indent}{key}: {value}")
    return "\n".join(lines)


def _flow(data) -> str:
    return yaml.safe_dump(data, default_flow_style=True, width=10_000).replace("\n...", "").strip()


def _data():
    scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
                        max_leaves=6)


MD_BITS = [
    "[[Other Note]]", "[[Other Note|an alias]]", "[[Note#Heading]]", "[[#Heading]]", "![[image.png]]", "[[",
    "]]", "> [!note] A callout", "> [!warning]- Folded\n> text", "> [!]", "#tag", "#nested/tag", "#123", "# ",
    "# Heading", "## Sub", "==a highlight==", "==", "```python\nx = '{{ y }}'\n```", "```", "~~~", "$$\\frac{a}{b}$$",
    "{{ diary }}", "{% raw %}", "<script>window.__pwned=1</script>", "<img src=x onerror=alert(1)>",
    "https://arxiv.org/abs/2401.12345", "arxiv.org/pdf/hep-th/9901001v2.pdf", "[link](missing.md)", "---",
    "- item\n  - nested with two spaces", "| a | b |\n|---|---|\n| 1 | 2 |", "\r\n", "\x00", "\x1b[31m", "\ud7ff",
]


@st.composite
def markdown(draw) -> str:
    bits = draw(st.lists(st.sampled_from(MD_BITS) | TEXT, max_size=12))
    return draw(st.sampled_from(["\n", " ", "\n\n"])).join(bits)


@st.composite
def note_text(draw) -> str:
    body = draw(markdown())
    if draw(st.booleans()):
        fence = draw(st.sampled_from(["---", "---", "..."]))
        return f"---\n{draw(yaml_text())}\n{fence}\n{body}"
    return body


NAME_CHARS = string.ascii_letters + string.digits + " ._-()[]#&'+,;=@~éÉßøπ漢字😀"


@st.composite
def file_name(draw) -> str:
    """Names as people give them: spaces, unicode, dots, case; never a path, never hidden (MkDocs skips those)."""
    stem = draw(st.text(NAME_CHARS, min_size=1, max_size=24)).strip()
    if not stem or stem.startswith((".", "_")) or stem in ("index", "README"):
        stem = "n" + stem
    return stem


def assert_located(problems: list[Problem], files: dict[str, str]) -> None:
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.path and not problem.path.startswith("/")
        assert isinstance(problem.line, int) and problem.line >= 1, problem
        assert problem.message.strip(), problem
        if problem.path in files:
            assert problem.line <= files[problem.path].count("\n") + 1, (problem, files[problem.path])


@CORE
@given(text=yaml_text(), body=markdown())
def test_front_matter_never_raises_and_locates_every_problem(text, body):
    note = f"---\n{text}\n---\n{body}"
    fm = frontmatter.parse("t/N.md", note)
    assert_located(fm.problems, {"t/N.md": note})
    assert all(p.path == "t/N.md" for p in fm.problems)
    for key, check in (("title", str), ("tags", list), ("authors", list), ("arxiv", str), ("draft", bool)):
        assert key not in fm.values or fm.values[key] is None or isinstance(fm.values[key], check)
    assert all(isinstance(t, str) for t in fm.values.get("tags") or [])
    assert 1 <= fm.body_line <= note.count("\n") + 1


@CORE
@given(text=note_text(), name=file_name())
def test_a_paper_is_built_from_any_note(text, name):
    uri = f"topic/{name}.md"
    problems: list[Problem] = []
    paper = paper_from_text(uri, "topic", text, problems)
    assert isinstance(paper, Paper) and isinstance(paper.title, str) and paper.title.strip()
    assert all(isinstance(t, str) and t for t in paper.tags)
    for link in (paper.url, paper.pdf, paper.code, paper.doi_url):
        assert link is None or not re.match(r"(javascript|data|vbscript):", re.sub(r"[\x00-\x20]", "", link), re.I)
    assert_located(problems, {uri: text})


@st.composite
def diary_files(draw, max_notes: int = 8) -> dict[str, str | bytes]:
    topics = draw(st.lists(file_name(), min_size=1, max_size=3, unique_by=str.casefold))
    files: dict[str, str | bytes] = {}
    for _ in range(draw(st.integers(1, max_notes))):
        uri = f"{draw(st.sampled_from(topics))}/{draw(file_name())}.md"
        if uri.casefold() in {u.casefold() for u in files}:
            continue
        kind = draw(st.sampled_from(["text", "text", "text", "bytes"]))
        files[uri] = draw(note_text()) if kind == "text" else draw(st.binary(max_size=64))
    if draw(st.booleans()):  # a page that is not a paper
        files[f"{draw(file_name())}.md"] = draw(note_text())
    if draw(st.booleans()):
        files[f"{topics[0]}/.pages"] = draw(st.sampled_from(["title: A & <b>", "title: [", "nav: 1", "\xff"]))
    return files


def _write(docs: Path, files: dict[str, str | bytes]) -> None:
    for uri, content in files.items():
        path = docs / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8", "surrogatepass"))


@TREES
@given(files=diary_files())
def test_scan_of_any_tree_never_raises(files):
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        _write(docs, files)
        diary = scan(docs)
        texts = {u: c.decode("utf-8", "replace") if isinstance(c, bytes) else c for u, c in files.items()}
        assert_located(diary.problems, texts)
        on_disk = {p.relative_to(docs).as_posix() for p in docs.rglob("*")}
        assert all(p.path in on_disk for p in diary.problems), diary.problems
        topics = Options()
        drafts = {d.src_uri for d in diary.drafts}  # draft: true, or in the inbox: not built
        assert set(diary.papers) == {u for u in files if u.endswith(".md") and "/" in u and u not in drafts
                                     and is_topic(u.split("/")[0], topics.topics_include, topics.topics_exclude)
                                     and u.split("/", 1)[1] not in ("index.md", "README.md")}
        assert sorted(p.src_uri for t in diary.topics.values() for p in t.papers) == sorted(diary.papers)


WARNING = re.compile(r"^paper_diary: (?P<path>.+?):(?P<line>\d+): \S"
                     r"|^Doc file '(?P<doc>.+?)' contains a link")  # MkDocs' own check of links, also located


@BUILDS
@given(files=diary_files(max_notes=5))
def test_a_real_build_of_any_diary_never_raises_and_locates_every_warning(tmp_path_factory, files):
    root = tmp_path_factory.mktemp("diary")
    write_site(root, {})
    _write(root / "docs", files)
    before = tree(root / "docs")
    site = build_site(root)
    for warning in site.warnings:
        m = WARNING.match(warning)
        assert m, f"a warning that names no file and line: {warning!r}"
        assert m["doc"] or int(m["line"]) >= 1
        assert (root / "docs" / (m["path"] or m["doc"])).exists(), warning
    assert tree(root / "docs") == before
    for uri in files:
        if uri.endswith(".md"):
            assert (root / "site" / Path(uri).with_suffix("") / "index.html").is_file(), uri
