"""`mkdocs serve` reuses unchanged pages; after every kind of edit its site equals a clean full build, byte for byte."""

import logging
import os
import re
from unittest import mock

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from conftest import TOPIC_THEMES, differences, tree, write_site


def note(title, tags, body, highlight="Clip less, explore more.", date="2024-03-01", arxiv="2401.00001"):
    return (f'---\ntitle: "{title}"\ndate: {date}\ntags: [{tags}]\nauthors: [Ada Chen]\narxiv: "{arxiv}"\n'
            f"summary: A short summary.\nhighlights:\n  - {highlight}\n---\n\n## Method\n\n{body}\n\n"
            "See [the other](../vision/Patches.md) and $x^2$.\n")


FILES = {
    "rl/Rewards.md": note("Rewards", "rl, rlhf", "Rewards are verifiers.", date="2024-01-01"),
    "rl/Policies.md": note("Policies", "rl", "Policies explore.", date="2024-02-01"),
    "rl/Entropy.md": note("Entropy", "rl", "Entropy collapses.", date="2024-03-01"),
    "vision/Patches.md": note("Patches", "vision", "Images are patches.", date="2024-04-01"),
    "vision/Pixels.md": note("Pixels", "vision", "Pixels are many.", date="2024-05-01"),
}


def serve_build(root, plugin_state):
    """One rebuild as `mkdocs serve` does it: the configuration loaded again, the plugin instance kept."""
    config = load_config(config_file=str(root / "mkdocs.yml"))
    plugin = config.plugins["paper-diary"]
    if "cache" not in plugin_state:
        config.plugins.on_startup(command="serve", dirty=False)
        plugin_state["cache"] = plugin.cache
    plugin.cache = plugin_state["cache"]
    build(config)
    return plugin.cache


def no_cache():
    """A build from nothing: the build cache off, as `PAPER_DIARY_NO_CACHE=1` turns it off."""
    return mock.patch.dict(os.environ, {"PAPER_DIARY_NO_CACHE": "1"})


def clean_build(root, site_dir):
    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site_dir))
    config.plugins.on_startup(command="build", dirty=False)
    with no_cache():
        build(config)


def editor(docs):
    """`edit(path, text)` writes a note (None deletes it)."""
    def edit(path, text=None):
        if text is None:
            (docs / path).unlink()
        else:
            (docs / path).parent.mkdir(parents=True, exist_ok=True)
            (docs / path).write_text(text, encoding="utf-8")
    return edit


def edits(docs):
    """(what, change): every kind of edit a diary sees, made in turn to the site of FILES."""
    edit = editor(docs)
    return [
        ("body edited", lambda: edit("rl/Policies.md", note("Policies", "rl", "Policies explore widely.", date="2024-02-01"))),
        ("title changed", lambda: edit("rl/Policies.md", note("Policy Gradients", "rl", "Policies explore widely.", date="2024-02-01"))),
        ("tag added", lambda: edit("rl/Entropy.md", note("Entropy", "rl, exploration", "Entropy collapses."))),
        ("note added", lambda: edit("vision/Depth.md", note("Depth", "vision", "Depth from one image."))),
        ("note deleted", lambda: edit("vision/Pixels.md")),
        ("note renamed", lambda: (edit("rl/Rewards.md"),
                                  edit("rl/Reward Models.md", note("Rewards", "rl, rlhf", "Rewards are verifiers.",
                                                                   date="2024-01-01")))),
        ("highlight edited", lambda: edit("rl/Entropy.md", note("Entropy", "rl, exploration", "Entropy collapses.",
                                                                highlight="Keep the clip ratio loose."))),
    ]


def test_incremental_output_equals_a_clean_build_after_each_edit(tmp_path):
    root = tmp_path / "diary"
    write_site(root, FILES, TOPIC_THEMES)
    state = {}
    serve_build(root, state)
    for i, (what, change) in enumerate(edits(root / "docs")):
        change()
        cache = serve_build(root, state)
        clean_build(root, tmp_path / f"clean{i}")
        served, clean = tree(root / "site"), tree(tmp_path / f"clean{i}")
        for offline_file in ("sw.js", "manifest.webmanifest"):  # written for a published diary, never when serving
            clean.pop(offline_file, None)
            served.pop(offline_file, None)
        assert served.keys() == clean.keys(), what
        different = differences(served, clean)
        assert not different, f"after '{what}' the served site differs from a clean build: {different}"
        if what == "body edited":  # only the edited note is rendered again; the rest is reused
            assert cache.rendered == 1 and cache.reused > 5, (cache.rendered, cache.reused)
            assert cache.templated == 1 and cache.reused_output > 5, (cache.templated, cache.reused_output)


def own_clean_build(root, site_dir):
    """A clean build with plugin instances of its own: MkDocs keeps one instance of a plugin that has
    `on_startup` for the whole process, and the server's must not see this build."""
    cache = dict(MkDocsConfig._schema)["plugins"].plugin_cache
    saved = dict(cache)
    cache.clear()
    try:
        clean_build(root, site_dir)
    finally:
        cache.clear()
        cache.update(saved)


class _Server:
    """What `mkdocs serve` hands plugins: its builder, which they may wrap."""

    def __init__(self, builder):
        self.builder = builder


def test_a_body_edit_builds_one_page_and_every_other_edit_the_whole_site(tmp_path, caplog):
    """`mkdocs serve` builds a note alone when its change shows on its own page only (quick.py); any change
    another page, the search index or a feed shows takes the full build. Either way: a clean build's site."""
    root = tmp_path / "diary"
    files = {path: text.replace("2401.00001", f"2401.0000{i}") for i, (path, text) in enumerate(FILES.items())}
    files["rl/Quoting.md"] = note("Quoting", "rl", "It quotes another note:\n\n![[Pixels]]", arxiv="2401.00009")
    write_site(root, files, TOPIC_THEMES)
    docs = root / "docs"
    url = "http://127.0.0.1:8000/"

    def config():  # serve also sets site_url to its own address: kept as written, to compare with a clean build
        return load_config(config_file=str(root / "mkdocs.yml"))

    full_builds = []
    caplog.set_level(logging.INFO, logger="mkdocs")

    def builder(c=None):
        full_builds.append(1)
        build(c or config(), serve_url=url)

    first = config()
    first.plugins.on_startup(command="serve", dirty=False)
    builder(first)
    server = first.plugins.on_serve(_Server(builder), config=first, builder=builder)
    policies = files["rl/Policies.md"]

    def body(text):
        return lambda: (docs / "rl/Policies.md").write_text(policies.replace("Policies explore.", text), "utf-8")

    edits = [  # (what, change, built alone)
        ("a sentence added", body("Policies explore. They also exploit."), True),
        ("a word changed", body("Policies wander. They also exploit."), True),
        ("a paragraph and a list added", body("Policies wander.\n\n- one\n- two\n\nMore."), True),
        ("a heading added (the search index holds headings)", body("Policies wander.\n\n## Limits\n\nMany."), False),
        ("a link added (other pages list links)", body("Policies wander, see [[Entropy]]."), False),
        ("an inline tag added", body("Policies wander. #exploration"), False),
        ("a highlight callout added", body("Policies wander.\n\n> [!highlight] Wander\n> Less is more."), False),
        ("a broken link (a warning to show)", body("Policies wander, see [x](missing.md)."), False),
        ("a sentence back", body("Policies explore."), True),
        ("an embedded note's body", lambda: (docs / "vision/Pixels.md").write_text(
            files["vision/Pixels.md"].replace("Pixels are many.", "Pixels are very many."), "utf-8"), False),
        ("the summary (front matter)", lambda: (docs / "rl/Entropy.md").write_text(
            files["rl/Entropy.md"].replace("A short summary.", "Another summary."), "utf-8"), False),
    ]
    for i, (what, change, alone) in enumerate(edits):
        before = len(full_builds)
        caplog.clear()
        change()
        server.builder()
        assert (len(full_builds) == before) == alone, f"'{what}': built alone? expected {alone}"
        assert ("alone in" in caplog.text) == alone, what
        own_clean_build(root, tmp_path / f"clean{i}")
        served, clean = tree(root / "site"), tree(tmp_path / f"clean{i}")
        for offline_file in ("sw.js", "manifest.webmanifest"):  # written for a published diary, never when serving
            clean.pop(offline_file)
        assert served.keys() == clean.keys(), what
        different = differences(served, clean)
        assert not different, f"after '{what}' the served site differs from a clean build: {different}"


# Notes being written, with the problems notes being written have: each is reported by the build alone as a full
# build reports it, and the problems of the other notes stay in the log.
HACKING = """## Reward Hacking

Date read: 11th August 2025

Models game the reward:
- they find loopholes
- and exploit them

> [!highlight] Watch the reward
> Check what the reward really measures.

See [[Policies]].

Read [the survey](Survey.md) and [[Reward Models]].
"""
WRITING = {
    "rl/Policies.md": note("Policies", "rl", "Policies explore.\n\nSee [the fix](../nlp/Reward%20Hacking.md#the-fix).",
                           date="2024-02-01", arxiv="2401.00002"),
    "rl/Entropy.md": note("Entropy", "rl", "Entropy collapses.", arxiv="2401.00003").replace(
        'arxiv: "2401.00003"', "arxiv: 2401.10"),  # a bad front matter value: YAML reads a number
    "vision/Patches.md": note("Patches", "vision", "Images are patches.", date="2024-04-01", arxiv="2401.00004"),
    "nlp/Reward Hacking.md": HACKING,  # a lesson without a theme, a link to a note not yet written, an unknown one
}
PROBLEMS = [
    r"rl/Entropy.md:6: 'arxiv: 2401.10' is read by YAML as the number",
    r"nlp/Reward Hacking.md:14: \[\[Reward Models\]\] matches no note",
    r"nlp/Reward Hacking.md:9: highlight has no theme",
    r"Doc file 'nlp/Reward Hacking.md' contains a link 'Survey.md', but the target 'nlp/Survey.md' is not found",
    r"Doc file 'rl/Policies.md' contains a link '../nlp/Reward%20Hacking.md#the-fix', but the doc 'nlp/Reward "
    r"Hacking.md' does not contain an anchor '#the-fix'",
]


def own_clean_warnings(root, site_dir):
    """A clean build's site and the warnings it printed."""
    records = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        own_clean_build(root, site_dir)
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    return sorted(r.getMessage() for r in records)


def serve(root, strict=False):
    """The diary at `root` served as `mkdocs serve` does: returns (server, count of full builds)."""
    url = "http://127.0.0.1:8000/"
    full_builds = []

    def builder(c=None):
        full_builds.append(1)
        build(c or load_config(config_file=str(root / "mkdocs.yml"), strict=strict), serve_url=url)

    first = load_config(config_file=str(root / "mkdocs.yml"), strict=strict)
    first.plugins.on_startup(command="serve", dirty=False)
    try:
        builder(first)
    except SystemExit:  # strict: MkDocs' Abort, after the site is written
        assert strict
    return first.plugins.on_serve(_Server(builder), config=first, builder=builder), full_builds


def test_notes_with_problems_are_built_alone_and_the_log_says_what_a_full_build_says(tmp_path, caplog):
    root = tmp_path / "diary"
    write_site(root, WRITING, TOPIC_THEMES)
    docs = root / "docs"
    caplog.set_level(logging.INFO, logger="mkdocs")
    server, full_builds = serve(root)
    first_warnings = sorted(r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING)
    assert len(first_warnings) == len(PROBLEMS) and all(
        any(re.search(p, w) for w in first_warnings) for p in PROBLEMS), first_warnings

    def change(path, old, new):
        def edit():
            text = (docs / path).read_text(encoding="utf-8")
            assert old in text, (path, old)
            (docs / path).write_text(text.replace(old, new, 1), encoding="utf-8")
        return edit

    hacking, entropy, patches = "nlp/Reward Hacking.md", "rl/Entropy.md", "vision/Patches.md"
    edits = [  # (what, change, built alone, problems the log then shows that it did not before, and no longer)
        ("a note with problems: a word changed", change(hacking, "game the", "game any"), True, [], []),
        ("a line above its lesson without a theme (every line number moves)",
         change(hacking, "Models game", "It happens.\n\nModels game"), True,
         [r"Hacking.md:11: highlight has no theme", r"Hacking.md:16: \[\[Reward Models\]\]"],
         [r"Hacking.md:9: highlight", r"Hacking.md:14: \[\[Reward"]),
        ("the unknown wikilink becomes text", change(hacking, "[[Reward Models]]", "reward models"), True,
         [], [r"\[\[Reward Models\]\] matches no note"]),
        ("the link to a note not yet written removed", change(hacking, "[the survey](Survey.md)", "the survey"),
         True, [], [r"contains a link 'Survey.md'"]),
        ("a link to a note not yet written added to a clean note",
         change(patches, "Images are patches.", "Images are patches, see [depth](Depth.md)."), True,
         [r"Doc file 'vision/Patches.md' contains a link 'Depth.md'"], []),
        ("an unknown wikilink added to a clean note",
         change(patches, "Images are patches,", "Images are patches ([[Tokens]]),"), True,
         [r"vision/Patches.md:14: \[\[Tokens\]\] matches no note"], []),
        ("a note whose front matter has a bad value: its body edited",
         change(entropy, "Entropy collapses.", "Entropy collapses fast."), True, [], []),
        ("the anchor another note links to, added (that note's problem is gone)",
         change(hacking, "See [[Policies]].", "See [[Policies]].\n\nThe fix: read the reward.\n{: id=\"the-fix\" }"), True,
         [], [r"#the-fix'"]),
        ("a note with problems: its lesson given a theme (a full build)",
         change(hacking, "> [!highlight] Watch", "> [!highlight|rl] Watch"), False, [], [r"highlight has no theme"]),
        ("the anchor removed again", change(hacking, "{: id=\"the-fix\" }", ""), True,
         [r"does not contain an anchor '#the-fix'"], []),
    ]
    before = first_warnings
    for i, (what, edit, alone, added, gone) in enumerate(edits):
        builds = len(full_builds)
        caplog.clear()
        edit()
        server.builder()
        if alone is not None:
            assert (len(full_builds) == builds) == alone, f"'{what}': built alone? expected {alone}"
            assert ("alone in" in caplog.text) == alone, what
        printed = sorted(r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING)
        clean = own_clean_warnings(root, tmp_path / f"clean{i}")
        assert printed == clean, f"after '{what}' the log differs from a clean build's"
        for pattern in added:
            assert any(re.search(pattern, w) for w in printed) and not any(re.search(pattern, w) for w in before), \
                (what, pattern, printed)
        for pattern in gone:
            assert not any(re.search(pattern, w) for w in printed), (what, pattern, printed)
        served, clean_site = tree(root / "site"), tree(tmp_path / f"clean{i}")
        for offline_file in ("sw.js", "manifest.webmanifest"):
            clean_site.pop(offline_file)
        assert served.keys() == clean_site.keys(), what
        # The map reads the body too: the served map shows a body edit at the next full build, which continues
        # the previous layout (the points' places aside, it is a clean build's map).
        different = differences(served, clean_site)
        if alone:
            different = [name for name in different if name not in ("map/index.html", "map.json")]
        assert not different, f"after '{what}' the served site differs from a clean build: {different}"
        before = printed


def test_strict_stops_a_note_built_alone_as_it_stops_a_full_build(tmp_path, caplog):
    root = tmp_path / "diary"
    write_site(root, WRITING, TOPIC_THEMES)
    server, full_builds = serve(root, strict=True)
    caplog.set_level(logging.INFO, logger="mkdocs")
    (root / "docs/nlp/Reward Hacking.md").write_text(HACKING.replace("game the", "game any"), encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:
        server.builder()
    assert len(full_builds) == 1 and "alone in" in caplog.text
    with pytest.raises(SystemExit) as clean:
        with no_cache():
            build(load_config(config_file=str(root / "mkdocs.yml"), strict=True,
                              site_dir=str(tmp_path / "clean")))
    assert str(stopped.value) == str(clean.value) == f"Aborted with {len(PROBLEMS)} warnings in strict mode!"
    # Fixed, the note is built alone again and nothing stops the other notes' problems but themselves.
    (root / "docs/nlp/Reward Hacking.md").write_text(HACKING.replace("[[Reward Models]]", "models"), "utf-8")
    with pytest.raises(SystemExit) as stopped:
        server.builder()
    assert len(full_builds) == 1 and str(stopped.value) == f"Aborted with {len(PROBLEMS) - 1} warnings in strict mode!"
