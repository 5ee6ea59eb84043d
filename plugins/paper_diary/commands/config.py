"""Read a diary's `mkdocs.yml` without MkDocs: where its notes are and how the `paper-diary` plugin reads them."""

from __future__ import annotations

from pathlib import Path

import yaml

from paper_diary.model import DEFAULT_EXCLUDE, Options


class _Tolerant(yaml.SafeLoader):
    """mkdocs.yml may hold Material's `!!python/name:` tags and `!ENV`: read them as plain values."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_Tolerant.add_multi_constructor("!", _any_tag)
_Tolerant.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


class ConfigError(Exception):
    pass


def plugin_settings(mkdocs_yml: str | Path) -> dict:
    """The `paper-diary` plugin's settings in `mkdocs_yml`, as written (empty when it has none)."""
    return _settings(_read(Path(mkdocs_yml)))


def _settings(data: dict) -> dict:
    plugin: dict = {}
    for item in data.get("plugins") or []:
        if isinstance(item, dict) and "paper-diary" in item:
            plugin = item["paper-diary"] or {}
    return plugin if isinstance(plugin, dict) else {}


def _read(path: Path) -> dict:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Tolerant) or {}
    except OSError as e:
        raise ConfigError(f"{path}: cannot be read ({e.strerror}); run the command in the diary's folder, or give "
                          "--config-file") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise ConfigError(f"{path}:{mark.line + 1 if mark else 1}: is not valid YAML; fix it") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: is not a MkDocs configuration (a mapping of settings)")
    return data


def load(mkdocs_yml: str | Path) -> tuple[Path, Options]:
    """(docs_dir, Options) of the diary configured by `mkdocs_yml`."""
    path = Path(mkdocs_yml)
    data = _read(path)
    docs_dir = path.parent / str(data.get("docs_dir") or "docs")
    plugin = _settings(data)
    themes = [(str(t["id"]), str(t.get("title") or t["id"])) for t in plugin.get("themes") or []
              if isinstance(t, dict) and t.get("id")]
    options = Options(
        topics_include=list(plugin.get("topics_include") or []),
        topics_exclude=list(plugin.get("topics_exclude", DEFAULT_EXCLUDE)),
        latest=int(plugin.get("latest", 10)),
        use_directory_urls=bool(data.get("use_directory_urls", True)),
        themes=themes,
        highlights_page=str(plugin.get("highlights_page", "highlights.md")),
    )
    return docs_dir, options
