"""`mkdocs serve` reuses unchanged pages; after every kind of edit its site equals a clean full build, byte for byte."""

import contextlib
import logging
import os

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from conftest import TOPIC_THEMES, tree, write_site


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


@contextlib.contextmanager
def no_cache():
    """A build from nothing: the build cache off, as `PAPER_DIARY_NO_CACHE=1` turns it off."""
    before = os.environ.get("PAPER_DIARY_NO_CACHE")
    os.environ["PAPER_DIARY_NO_CACHE"] = "1"
    try:
        yield
    finally:
        if before is None:
            del os.environ["PAPER_DIARY_NO_CACHE"]
        else:
            os.environ["PAPER_DIARY_NO_CACHE"] = before


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
        different = [name for name in served if served[name] != clean[name]]
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
        different = [name for name in served if served[name] != clean[name]]
        assert not different, f"after '{what}' the served site differs from a clean build: {different}"
