"""`mkdocs serve` reuses unchanged pages; after every kind of edit its site equals a clean full build, byte for byte."""

from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import TOPIC_THEMES, tree, write_site


def note(title, tags, body, highlight="Clip less, explore more.", date="2024-03-01"):
    return (f'---\ntitle: "{title}"\ndate: {date}\ntags: [{tags}]\nauthors: [Ada Chen]\narxiv: "2401.00001"\n'
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


def clean_build(root, site_dir):
    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site_dir))
    config.plugins.on_startup(command="build", dirty=False)
    build(config)


def test_incremental_output_equals_a_clean_build_after_each_edit(tmp_path):
    root = tmp_path / "diary"
    write_site(root, FILES, TOPIC_THEMES)
    docs = root / "docs"
    state = {}
    serve_build(root, state)

    def edit(path, text=None):
        if text is None:
            (docs / path).unlink()
        else:
            (docs / path).parent.mkdir(parents=True, exist_ok=True)
            (docs / path).write_text(text, encoding="utf-8")

    edits = [
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
    for i, (what, change) in enumerate(edits):
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
