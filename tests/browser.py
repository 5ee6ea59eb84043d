"""Support for the browser tests: a realistic diary built with the repository's own `mkdocs.yml` and `overrides/`,
served over HTTP under the site's subpath as GitHub Pages serves it, and Chromium driven by Playwright."""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

TOPICS = {
    "rl": "Reinforcement Learning",
    "marl": "Multi-Agent RL",
    "llm": "Language Models",
    "vision": "Vision",
}
AUTHORS = ["Chris Lu", "Jakob Foerster", "Alexander Rutherford", "Ashish Vaswani", "Noam Shazeer",
           "Kaiming He", "Ross Girshick", "Tim Rocktäschel", "Edward Hughes", "Jane X. Wang"]
TAGS = ["transformers", "jax", "benchmark", "self-play", "scaling", "open-endedness", "world-models", "vision"]
LONG_TITLE = ("On the Surprising Effectiveness of Very Long Titles in Deep Learning Papers That Keep Going "
              "Well Past Where Any Reasonable Editor Would Have Stopped Them")
LONG_WORD = "Hyperparameterisationinvariantmetaoptimisationbenchmarkingframeworkwithoutspaces" * 2
WIDE_TABLE = "\n".join([
    "| Method | " + " | ".join(f"Environment {i} (mean return ± std over 10 seeds)" for i in range(1, 9)) + " |",
    "|---" * 9 + "|",
    *("| " + f"Baseline {r} | " + " | ".join(f"{100 + 7 * r + i}.{r}{i} ± {r}.{i}" for i in range(1, 9)) + " |"
      for r in range(1, 5)),
])


@dataclass(frozen=True)
class Note:
    """One generated paper note."""

    topic: str
    name: str
    title: str
    date: str
    tags: tuple[str, ...]
    authors: tuple[str, ...]
    arxiv: str
    summary: str

    @property
    def src_uri(self) -> str:
        return f"{self.topic}/{self.name}.md"

    @property
    def url(self) -> str:
        return f"{self.topic}/{self.name}/"


def notes() -> list[Note]:
    """Twenty papers over four topics, dated a day apart, with distinct titles, authors and arXiv ids."""
    made = []
    topics = list(TOPICS)
    for i in range(20):
        topic = topics[i % 4]
        title = LONG_TITLE if i == 2 else f"{['Jax', 'Deep', 'Sparse', 'Open', 'Robust'][i % 5]}" \
                                          f"{['MARL', 'Mind', 'Vision', 'Agents'][i % 4]} {i}: " \
                                          f"{['scaling', 'learning', 'planning', 'seeing'][i % 4]} study"
        made.append(Note(
            topic=topic,
            name=f"Paper{i:02d}",
            title=title,
            date=f"2025-06-{i + 1:02d}",
            tags=tuple(TAGS[(i + k) % len(TAGS)] for k in range(1 + i % 3)),
            authors=(AUTHORS[i % len(AUTHORS)], AUTHORS[(i + 3) % len(AUTHORS)]),
            arxiv=f"2406.{10100 + 37 * i:05d}",
            summary=f"Paper {i} shows that {['attention', 'self-play', 'sparsity', 'curricula'][i % 4]} "
                    f"helps on {['Atari', 'SMAX', 'ImageNet', 'MMLU'][i % 4]} by a wide margin.",
        ))
    return made


def note_text(note: Note, everything: list[Note]) -> str:
    i = int(note.name[-2:])
    other = everything[(i + 1) % len(everything)]
    link = f"../{other.topic}/{other.name}.md" if other.topic != note.topic else f"{other.name}.md"
    front = {
        "title": note.title, "date": note.date, "tags": list(note.tags), "authors": list(note.authors),
        "arxiv": note.arxiv, "summary": note.summary, "year": 2025, "venue": "NeurIPS",
    }
    body = [
        "## Key idea",
        "",
        f"This note builds on [{other.title}]({link}), read the day after, and on the usual baselines. "
        f"The method is simple enough to explain in a paragraph and the results hold up.[^1]",
        "",
        "## Results",
        "",
        "- the gains hold across seeds;",
        "- the ablations are convincing.",
        "",
    ]
    if i == 2:
        body += ["## All results", "", WIDE_TABLE, ""]
    if i == 2:
        body += ["## Code", "", "```python", "loss = " + " + ".join(f"weight_{k} * term_{k}" for k in range(30)),
                 "```", ""]
    if i == 2:
        body += [f"The config key is {LONG_WORD}, copied as is.", ""]
    body += ["[^1]: As the authors say in the appendix.", ""]
    return "---\n" + json.dumps(front, ensure_ascii=False, indent=1) + "\n---\n\n" + "\n".join(body)


def write_docs(docs: Path) -> list[Note]:
    made = notes()
    docs.mkdir(parents=True)
    shutil.copy(REPO / "docs" / "index.md", docs / "index.md")
    for topic, title in TOPICS.items():
        (docs / topic).mkdir()
        (docs / topic / ".pages").write_text(f"title: {title}\n", encoding="utf-8")
    for note in made:
        (docs / note.src_uri).write_text(note_text(note, made), encoding="utf-8")
    return made


def build(root: Path):
    """Build the generated diary with the repository's own `mkdocs.yml` (theme, overrides, extensions,
    plugins), into `root/www/<subpath>` so the server can serve it under the site's subpath."""
    from mkdocs.config import load_config

    from conftest import build_site, check_warnings

    made = write_docs(root / "docs")
    config_file = REPO / "mkdocs.yml"
    subpath = urlsplit(load_config(str(config_file)).site_url).path.strip("/")
    site_dir = root / "www" / subpath
    config = load_config(str(config_file), docs_dir=str(root / "docs"), site_dir=str(site_dir))
    config.plugins.on_startup(command="build", dirty=False)
    site = build_site(root, config=config)
    check_warnings(site)
    return site_dir, subpath, made, config


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".webmanifest": "application/manifest+json", ".js": "text/javascript"}

    def log_message(self, format, *args):  # quiet: pytest shows failures, not access logs
        pass


class Server:
    """The built site over HTTP on 127.0.0.1 (a secure context, so service workers run), in a thread."""

    def __init__(self, www: Path, subpath: str):
        handler = functools.partial(_Handler, directory=str(www))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.root = f"{self.origin}/{subpath}/" if subpath else f"{self.origin}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "") -> str:
        return self.root + path

    def stop(self) -> None:
        if self.thread.is_alive():
            self.httpd.shutdown()
            self.httpd.server_close()
