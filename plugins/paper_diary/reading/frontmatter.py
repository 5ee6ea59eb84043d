"""Front matter of a note: split it off, parse it, type and validate every known key.

Python-Markdown drops front matter YAML cannot parse without a word, so the diary parses it itself
and reports every problem with the file and line. Nothing here imports MkDocs.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any, Callable

import yaml

from paper_diary.model import Problem
from paper_diary.reading import dates

FENCE = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
# The opening lines of a note without `---`: MkDocs would read every `key: value` line there as MultiMarkdown
# metadata and drop it from the page. The diary shows them as text, as GitHub and Obsidian do, and reports those
# that look like front matter written without its `---` lines (a key front matter has).
KEY_LINE = re.compile(r"^[ ]{0,3}([A-Za-z][\w-]*):(?:[ \t]|$)")
MORE_LINE = re.compile(r"^[ \t]+\S")  # a value's next line (`  - item`)
UNFENCED_KEYS = frozenset({"title", "date", "tags", "aliases", "authors", "author", "year", "venue", "arxiv",
                           "arxiv_version", "doi", "status", "rating", "draft", "highlights", "created", "updated",
                           "modified", "cssclasses", "cssclass", "publish", "permalink"})
ARXIV_NEW = re.compile(r"^\d{4}\.\d{4,5}(v\d+)?$")
ARXIV_OLD = re.compile(r"^[a-z-]+(\.[A-Z]{2})?/\d{7}(v\d+)?$")
ARXIV_URL = re.compile(
    r"arxiv\.org/(?:abs|pdf|html)/((?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?)(?:\.pdf)?",
    re.I,
)


class _Loader(yaml.SafeLoader):
    """Safe YAML that keeps dates as text, so the diary can say which date is impossible and where."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

# libyaml parses ten times faster (front matter is most of a scan); the same resolvers give the same nodes.
# Errors are re-parsed with the pure-Python loader, whose messages the diary reports.
_Fast = _Loader
if hasattr(yaml, "CSafeLoader"):
    class _Fast(yaml.CSafeLoader):  # type: ignore[no-redef]
        pass

    _Fast.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers


def _compose(raw: str):
    try:
        return yaml.compose(raw, Loader=_Fast)
    except yaml.YAMLError:
        return yaml.compose(raw, Loader=_Loader)


@dataclass
class FrontMatter:
    """What a note's front matter says: typed known keys, unknown keys kept as they were."""

    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # key -> line in the file (1-based)
    body: str = ""
    body_line: int = 1  # the file's line where the body starts
    problems: list[Problem] = field(default_factory=list)
    unreadable: bool = False  # front matter is there, but YAML cannot read it (MkDocs would print it as text)
    fenced: bool = False  # the note opens with front matter between `---` lines


def split(text: str) -> tuple[str | None, str, int]:
    """Return (front matter text or None, body, line where the body starts)."""
    text = text.lstrip("\ufeff")
    m = FENCE.match(text)
    if not m:
        return None, text, 1
    body_line = text.count("\n", 0, m.end()) + 1
    return m.group(1) or "", text[m.end():], body_line


def parse(path: str, text: str) -> FrontMatter:
    """Parse and validate the front matter of `text` (the note at docs-relative `path`)."""
    raw, body, body_line = split(text)
    fm = FrontMatter(body=body, body_line=body_line, fenced=raw is not None)
    if raw is None:
        if text.lstrip("\ufeff").startswith("---"):
            fm.problems.append(Problem(path, 1, "front matter starts with '---' but has no closing '---' line; "
                                                "add one, or remove the first line"))
        elif problem := unfenced(path, body):
            fm.problems.append(problem)
        return fm
    try:
        node = _compose(raw)
    except yaml.YAMLError as e:
        line = 2 + _error_line(e, raw)
        what = getattr(e, "problem", None) or str(e).splitlines()[0]
        fm.problems.append(Problem(path, line, f"front matter is not valid YAML ({what}); the page is built "
                                               "without it: fix the YAML (quote values that contain ': ' or "
                                               "start with '[', '{', '*', '&', '!', '%', '@' or '`')"))
        fm.unreadable = True
        return fm
    if node is None:
        return fm
    if not isinstance(node, yaml.MappingNode):
        fm.problems.append(Problem(path, 2, "front matter must be 'key: value' lines; the page is built without it"))
        fm.unreadable = True
        return fm
    loader = _Loader("")
    try:
        for key_node, value_node in node.value:
            line = 2 + key_node.start_mark.line
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                fm.problems.append(Problem(path, line, f"front matter key {key!r} is not a name; write it as text"))
                continue
            if key in fm.values:
                fm.problems.append(Problem(path, line, f"'{key}' is given twice in the front matter; "
                                                       "the last one is used: keep one"))
            value = loader.construct_object(value_node, deep=True)
            fm.lines[key] = line
            checked = _check(key, value, value_node)
            if isinstance(checked, _Bad):
                fm.problems.append(Problem(path, line, checked.message))
            else:
                fm.values[key] = checked
    except yaml.YAMLError as e:  # e.g. a tag SafeLoader refuses to construct
        fm.problems.append(Problem(path, 2 + _error_line(e, raw),
                                   f"front matter has a value the diary will not read ({getattr(e, 'problem', e)}); "
                                   "remove the '!tag' and write plain text"))
        fm.unreadable = True
    return fm


def unfenced(path: str, text: str) -> Problem | None:
    """Opening `key: value` lines with a key front matter has (`tags: [x]`), written without `---` lines: they
    show as text; the problem says how to make them front matter."""
    known, last = None, 0
    for i, line in enumerate(text.split("\n", 40)[:40]):
        m = KEY_LINE.match(line)
        if m is None and not (i and MORE_LINE.match(line)):
            break
        last = i + 1
        if m and known is None and m.group(1).lower() in UNFENCED_KEYS:
            known = (i + 1, m.group(1))
    if known is None:
        return None
    line, key = known
    lines, them = ("line 1", "it") if last == 1 else (f"lines 1-{last}", "them")
    return Problem(path, line, f"'{key}:' opens the note like front matter, but without its '---' lines, so it "
                               f"shows as text and is not read as metadata; to make {lines} front matter, add a line "
                               f"'---' above {them} and another below {them}")


def _error_line(error: yaml.YAMLError, raw: str) -> int:
    """The 0-based line of a YAML error; an error found at the very end points where its construct began,
    or else at the last line written."""
    end = len(raw.rstrip())
    for mark in (getattr(error, "problem_mark", None), getattr(error, "context_mark", None)):
        if mark is not None and mark.index < end:
            return mark.line
    return raw[:end].count("\n")


@dataclass
class _Bad:
    message: str


def _text(key: str) -> Callable[[Any, Any], Any]:
    def check(value: Any, node: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(node.value if isinstance(node, yaml.ScalarNode) else value).strip()
        return _Bad(f"'{key}' must be text, not {_kind(value)}")
    return check


def _list(key: str, comma: bool = True) -> Callable[[Any, Any], Any]:
    def check(value: Any, node: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, str):
            items = value.split(",") if comma else [value]
        elif isinstance(value, list):
            items = value
        else:
            return _Bad(f"'{key}' must be a list (e.g. {key}: [a, b]), not {_kind(value)}")
        out = []
        for item in items:
            if isinstance(item, bool) or not isinstance(item, (str, int, float)):
                return _Bad(f"every item of '{key}' must be text; {_kind(item)} found: quote it or remove it")
            item = str(item).strip()
            if item and item not in out:
                out.append(item)
        return out
    return check


SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


def _link(key: str) -> Callable[[Any, Any], Any]:
    """A web address or a path in the diary: never `javascript:` or `data:`, which would run in the reader's browser."""
    text = _text(key)

    def check(value: Any, node: Any) -> Any:
        value = text(value, node)
        # Browsers drop tabs, newlines and leading controls from a URL: `java\tscript:` is `javascript:`.
        probe = re.sub(r"[\x00-\x20]", "", value) if isinstance(value, str) else ""
        if (m := SCHEME.match(probe)) and m.group(1).lower() not in ("http", "https"):
            return _Bad(f"'{key}: {value}' is not a web address; write it as https://..., "
                        "or as a path to a file of the diary")
        return value
    return check


def _date(value: Any, node: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip()[:10])
        except ValueError:
            month, _ = dates.parse(value) if dates.whole(value) else (None, None)
            if isinstance(month, dates.Month):  # `date: 2019-03`, `date: March 2019`: known to the month
                return month
    return _Bad(f"'date: {node.value if isinstance(node, yaml.ScalarNode) else value}' is not a real date; "
                "write the day the paper was read as YYYY-MM-DD, e.g. date: 2025-07-09")


def _year(value: Any, node: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return value
    return _Bad(f"'year: {getattr(node, 'value', value)}' must be a four-digit year, e.g. year: 2025")


def _rating(value: Any, node: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 5:
        return value
    return _Bad(f"'rating: {getattr(node, 'value', value)}' must be a number from 0 to 5")


def _draft(value: Any, node: Any) -> Any:
    if value is None or isinstance(value, bool):
        return bool(value)
    return _Bad(f"'draft: {getattr(node, 'value', value)}' must be true or false")


def _arxiv(value: Any, node: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _Bad(f"'arxiv: {node.value}' is read by YAML as the number {value!r}, which loses digits; "
                    f"quote it: arxiv: \"{node.value}\"")
    if not isinstance(value, str):
        return _Bad(f"'arxiv' must be an arXiv id such as \"2401.12345\", not {_kind(value)}")
    found = arxiv_ref(value)
    if found is None:
        return _Bad(f"'arxiv: {value}' is not an arXiv id; write it as \"2401.12345\" (or an arxiv.org link)")
    return found  # (id, version): the scan keeps the id and records the version apart


def _version(value: Any, node: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str) and re.fullmatch(r"v?\d+", value.strip()):
        value = int(value.strip().lstrip("v"))
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    return _Bad(f"'arxiv_version: {getattr(node, 'value', value)}' must be the arXiv version's number, e.g. "
                "arxiv_version: 2")


def _highlights(value: Any, node: Any) -> Any:
    """Each lesson as a mapping with the line it starts on (`line`); what it says is checked by `highlights`."""
    if value is None:
        return []
    if not isinstance(value, list):
        return _Bad("'highlights' must be a list of lessons, each a text or a mapping with title, text and theme")
    items = []
    for item, item_node in zip(value, node.value):
        entry = dict(item) if isinstance(item, dict) else {"text": item}
        entry["line"] = 2 + item_node.start_mark.line
        items.append(entry)
    return items


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false", type(None): "nothing"}.get(
        type(value), f"a {type(value).__name__}")


def arxiv_ref(text: str) -> tuple[str, int | None] | None:
    """(id, version) in a bare id or any arxiv.org URL form (abs, pdf, html, versioned): `2401.12345v2` is
    `("2401.12345", 2)`. The id never carries its version: one paper at two versions is one paper."""
    text = text.strip()
    if text.lower().startswith("arxiv:"):
        text = text[6:].strip()
    if ARXIV_NEW.match(text) or ARXIV_OLD.match(text):
        found = text
    elif m := ARXIV_URL.search(text):
        found = m.group(1)
    else:
        return None
    base, _, version = found.rpartition("v") if re.search(r"v\d+$", found) else (found, "", "")
    return base, int(version) if version else None


def arxiv_id(text: str) -> str | None:
    """The arXiv id, without its version, in a bare id or any arxiv.org URL form."""
    found = arxiv_ref(text)
    return found[0] if found else None


CHECKS: dict[str, Callable[[Any, Any], Any]] = {
    "title": _text("title"),
    "date": _date,
    "tags": _list("tags"),
    "authors": _list("authors", comma=False),
    "year": _year,
    "venue": _text("venue"),
    "arxiv": _arxiv,
    "arxiv_version": _version,
    "doi": _text("doi"),
    "url": _link("url"),
    "pdf": _link("pdf"),
    "code": _link("code"),
    "summary": _text("summary"),
    "status": _text("status"),
    "rating": _rating,
    "aliases": _list("aliases", comma=False),
    "theme": _text("theme"),
    "draft": _draft,
    "highlights": _highlights,
}


def _check(key: str, value: Any, node: Any) -> Any:
    check = CHECKS.get(key)
    return check(value, node) if check else value
