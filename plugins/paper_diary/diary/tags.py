"""Tags: from front matter (and inline `#tags`), nested with `/`, each with a page at a safe, unique slug."""

from __future__ import annotations

from dataclasses import dataclass, field

from paper_diary.model import Diary, Paper, slugify


@dataclass
class Tag:
    """A tag and its papers, newest first. A nested tag `rl/ppo` also counts for `rl`."""

    name: str
    slug: str = ""
    papers: list[Paper] = field(default_factory=list)  # tagged with it or with a tag nested under it
    children: list[str] = field(default_factory=list)  # names of the tags nested right under it

    @property
    def uri(self) -> str:
        return f"tags/{self.slug}.md"

    @property
    def parent(self) -> str | None:
        return self.name.rsplit("/", 1)[0] if "/" in self.name else None


def gather(diary: Diary) -> None:
    """Fill `diary.tags` (keyed by the casefolded name, in name order). Tags differing only in case are one tag."""
    spelling: dict[str, str] = {}
    for paper in diary.papers.values():
        for name in paper.tags:
            key = name.casefold()
            spelling[key] = min(spelling.get(key, name), name)
    tags: dict[str, Tag] = {}

    def tag(name: str) -> Tag:
        key = name.casefold()
        name = spelling.setdefault(key, name)
        if key not in tags:
            tags[key] = Tag(name)
        return tags[key]

    for paper in diary.latest():
        for name in paper.tags:
            parts = [p for p in name.split("/") if p]
            for depth in range(1, len(parts) + 1):  # rl/ppo/clip counts for rl/ppo and rl
                t = tag("/".join(parts[:depth]))
                if not t.papers or t.papers[-1] is not paper:  # a paper's tags are counted together
                    t.papers.append(paper)
                if depth > 1:
                    parent = tag("/".join(parts[:depth - 1]))
                    if t.name not in parent.children:
                        parent.children.append(t.name)
    ordered = sorted(tags.values(), key=lambda t: (t.name.casefold(), t.name))
    used: set[str] = {"index"}
    for t in ordered:  # in name order, so a slug never depends on the order notes were read
        base = slugify(t.name)[:100].strip("-") or "x"  # a file name has at most 255 bytes
        t.slug, n = base, 2
        while t.slug in used:
            t.slug, n = f"{base}-{n}", n + 1
        used.add(t.slug)
        t.children.sort(key=str.casefold)
    diary.tags = {t.name.casefold(): t for t in ordered}
