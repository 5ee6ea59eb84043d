"""The pages the diary generates, from the model. No MkDocs here.

Each page is a title (the theme writes the <h1>) and one HTML fragment from a template. The plugin gives MkDocs
the title as front matter and adds the HTML after Markdown: Python-Markdown never parses the listings, which
reach megabytes at 2,000 papers.
"""

from __future__ import annotations

import json

from paper_diary.diary import exports, scan, timeline
from paper_diary.diary import map as paper_map
from paper_diary.model import Diary, Paper, Topic
from paper_diary.site import search
from paper_diary.site.render import Renderer, tag_uri

TAGS_URI = "tags/index.md"
DIARY_URI = "diary/index.md"
REFINE_URI = "to-refine.md"
MAP_URI = "map/index.md"
# Where the map's HTML goes, filled in once the page is written (the plugin's on_post_page): the map is laid out
# while the site builds, and is ready by then.
MAP_PAGE, HOME_MAP, CLUSTER_LINE = "<!--paper-diary:map-->", "<!--paper-diary:home-map-->", "<!--paper-diary:cluster-->"


def topic_listing(diary: Diary, renderer: Renderer, topic: Topic) -> str:
    return renderer.list_html(diary, topic.index_uri, topic.papers, show_topic=False)


def topic_page(diary: Diary, renderer: Renderer, topic: Topic) -> tuple[str, str]:
    """A topic's index, when the author wrote none: its papers, newest first."""
    return (topic.title, topic_listing(diary, renderer, topic))


def tags_page(diary: Diary, renderer: Renderer) -> tuple[str, str]:
    by_count = sorted(diary.tags.values(), key=lambda t: (-len(t.papers), t.name.casefold()))
    return ("Tags", renderer.render("tag_index.html", diary, TAGS_URI, by_count=by_count))


def tag_page(diary: Diary, renderer: Renderer, tag) -> tuple[str, str]:
    body = renderer.render("tag_page.html", diary, tag.uri, tag=tag)
    return (f"#{tag.name}", body)


def highlights_listing(diary: Diary, renderer: Renderer) -> str:
    return renderer.render("highlights.html", diary, diary.options.highlights_page)


def highlights_page(diary: Diary, renderer: Renderer) -> tuple[str, str]:
    """The highlights page, when the author wrote no `highlights.md` of their own."""
    return ("Highlights & Lessons Learned", highlights_listing(diary, renderer))


def front_matter(title: str) -> str:
    """A generated page's Markdown: its title alone. JSON is YAML: any title survives."""
    return f"---\ntitle: {json.dumps(title)}\n---\n"


def diary_page(diary: Diary, renderer: Renderer) -> tuple[str, str]:
    """The daily log: the calendar, streaks and counts, then every paper by month, newest first."""
    months, undated = timeline.months(diary)
    window = timeline.reading_calendar(diary)
    body = renderer.render("diary.html", diary, DIARY_URI, cal=window, stats=timeline.stats(diary),
                           months=timeline.per_month(diary), curve=timeline.reading_curve(diary),
                           months_list=months, undated=undated,
                           years=earlier_years(diary))
    return ("Diary", body)


def earlier_years(diary: Diary) -> list[int]:
    """Years with papers before the last twelve months' calendar: each gets a calendar page of its own."""
    first = timeline.reading_calendar(diary).first
    return sorted({p.date.year for p in diary.papers.values() if p.date and p.date < first}, reverse=True)


def year_pages(diary: Diary, renderer: Renderer) -> dict[int, tuple[str, str]]:
    return {year: (f"{year} in papers", renderer.render(
        "year.html", diary, f"diary/{year}.md", cal=timeline.year_calendar(diary, year))) for year in earlier_years(diary)}


def map_context(diary: Diary) -> dict:
    """What the map's templates need: the map, and each topic's colour (its place among the topics)."""
    colours = {topic: i % 12 for i, topic in enumerate(diary.topics)}
    points = len(diary.map.points) if diary.map else 0
    radius = round(min(14.0, max(5.0, 200 / max(points, 1) ** 0.5)), 1)  # fewer papers, bigger points
    return {"map": diary.map, "size": paper_map.SIZE, "colours": colours, "anchor": paper_map.anchor,
            "one_line": paper_map.one_line, "radius": radius}


def map_html(diary: Diary, renderer: Renderer, reuse=None) -> str:
    """/map/: the papers laid out by what they say, and the clusters as lists. `reuse(what, inputs, make)`, when
    given, may return the last build's for the same `map_inputs`."""
    def make() -> str:
        return renderer.render("map.html", diary, MAP_URI, **map_context(diary))

    return make() if reuse is None else reuse(("map", MAP_URI), map_inputs(diary), make)


def home_map_html(diary: Diary, renderer: Renderer, at: str, reuse=None) -> str:
    def make() -> str:
        return renderer.render("home_map.html", diary, at, **map_context(diary))

    return make() if reuse is None else reuse(("home map", at), map_inputs(diary), make)


# The fragments the map's HTML is made of; overriding one makes it every time.
MAP_FRAGMENTS = ("map.html", "map_svg.html", "home_map.html")


def map_inputs(diary: Diary) -> tuple:
    """All that the map's fragments read, as plain values: every point and its paper's title, topic, date and
    line; the clusters; the topics (their colours are their places)."""
    m = diary.map
    if m is None:
        return ()
    return (m.missing, [(p.paper.src_uri, p.x, p.y, p.cluster, p.paper.title, p.paper.topic, p.paper.date,
                         paper_map.one_line(p.paper)) for p in m.points],
            [(c.id, c.name, c.x, c.y, [p.src_uri for p in c.papers]) for c in m.clusters],
            [(t.id, t.index_uri, t.title, len(t.papers)) for t in diary.topics.values()])


def cluster_line(diary: Diary, renderer: Renderer, paper: Paper) -> str:
    """A paper's line under its header: its cluster, linked to its point on the map ("" with no map)."""
    cluster = diary.map.cluster_of(paper) if diary.map is not None else None
    if cluster is None:
        return ""
    return renderer.render("paper_cluster.html", diary, paper.src_uri, cluster=cluster,
                           map_anchor=paper_map.anchor(paper))


def refine_page(diary: Diary, renderer: Renderer) -> tuple[str, str]:
    """While serving: the drafts and the inbox, to refine and file."""
    body = renderer.render("paper_list.html", diary, REFINE_URI, papers=sorted(diary.drafts, key=lambda p: p.sort_key()),
                           show_topic=False)
    return ("To refine", body)


def generated(diary: Diary, renderer: Renderer, written: set[str], serving: bool) -> tuple[dict, set[str]]:
    """Every page the diary generates ({src_uri: (title, HTML)}), and those kept out of the sidebar.

    `written` are the pages the author wrote: a topic index or highlights page of theirs is kept (the plugin adds
    the listing to it). The "to refine" page exists only while serving.
    """
    out: dict[str, tuple[str, str]] = {}
    off_nav: set[str] = set()
    for topic in diary.topics.values():
        if not topic.has_index:
            out[topic.index_uri] = topic_page(diary, renderer, topic)
    if diary.tags:
        out[TAGS_URI] = tags_page(diary, renderer)
        for tag in diary.tags.values():
            out[tag.uri] = tag_page(diary, renderer, tag)
            off_nav.add(tag.uri)
    if diary.highlights and diary.options.highlights_page not in written:
        out[diary.options.highlights_page] = highlights_page(diary, renderer)
    out[DIARY_URI] = diary_page(diary, renderer)
    for year, page in year_pages(diary, renderer).items():
        out[f"diary/{year}.md"] = page
        off_nav.add(f"diary/{year}.md")
    out[MAP_URI] = ("Map", MAP_PAGE)
    if diary.drafts and serving:
        out[REFINE_URI] = refine_page(diary, renderer)
    return out, off_nav


def paper_parts(diary: Diary, renderer: Renderer, reuse=None) -> dict[str, tuple[str, str, str]]:
    """{src_uri: (card, footer, search facts)} of every paper: the card goes under its title, the footer (BibTeX,
    highlights, links, neighbours) after its text, the facts into its search entry.

    Rendered all at once: page by page, between Markdown runs that push Jinja out of the processor's caches, the
    same work measured three times slower at 2,000 papers. `reuse(what, inputs, make)`, when given, may return
    the last build's parts of a paper for the same `inputs` (`paper_parts_inputs`) instead of `make()`."""
    keys = exports.bibtex_keys(diary)
    if reuse is None:
        return {uri: _paper_parts(diary, renderer, paper, keys[uri]) for uri, paper in diary.papers.items()}
    return {uri: reuse(("paper", uri), paper_parts_inputs(diary, paper, keys[uri]),
                       lambda p=paper, k=keys[uri]: _paper_parts(diary, renderer, p, k))
            for uri, paper in diary.papers.items()}


# The fragments `_paper_parts` renders: a site that overrides one of them gets every paper's made each time.
PAPER_FRAGMENTS = ("paper_header.html", "bibtex.html", "paper_highlights.html", "paper_links.html",
                   "paper_neighbours.html", "paper_search.html")


def paper_parts_inputs(diary: Diary, paper: Paper, bibtex_key: str) -> tuple:
    """All that `_paper_parts` reads with the diary's own fragments, as plain values: the paper's facts, its topic,
    its tags' pages, its lessons and the lessons citing it, its links in, related papers and neighbours (the
    options and the site's settings are the cache's own key)."""
    def theme(h) -> str:
        found = diary.themes.get(h.theme)
        return found.title if found is not None else ""

    topic = diary.topics[paper.topic]
    older, newer = diary.neighbours(paper)
    return (scan._facts(paper), bibtex_key, (topic.id, topic.index_uri, topic.title),
            [(t, tag_uri(diary, t)) for t in paper.tags],
            [(h.source, h.text, h.title, h.theme, theme(h), h.number, h.anchor, [c.src_uri for c in h.cites])
             for h in paper.lessons],
            [(h.title, h.theme, theme(h), h.number, h.anchor) for h in paper.cited_in],
            [(ln.source, ln.sentence, diary.papers[ln.source].title if ln.source in diary.papers else None)
             for ln in paper.links_in],
            [(r.src_uri, r.title) for r in paper.related],
            [(n.src_uri, n.title) if n is not None else None for n in (older, newer)])


def _paper_parts(diary: Diary, renderer: Renderer, paper: Paper, bibtex_key: str) -> tuple[str, str, str]:
    topic = diary.topics[paper.topic]
    older, newer = diary.neighbours(paper)
    at = paper.src_uri
    card = renderer.render("paper_header.html", diary, at, paper=paper, topic=topic, cluster_line=CLUSTER_LINE)
    footer = "\n".join((
        renderer.render("bibtex.html", diary, at, entry=exports.bibtex_entry(paper, bibtex_key)),
        renderer.render("paper_highlights.html", diary, at, own=paper.lessons, cited_in=paper.cited_in),
        renderer.render("paper_links.html", diary, at, paper=paper),
        renderer.render("paper_neighbours.html", diary, at, topic=topic, older=older, newer=newer),
    ))
    return card, footer, search.paper_facts(diary, renderer, paper)
