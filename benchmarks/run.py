"""Benchmark: the diary as configured against Material + search alone, on the same generated notes.

    python benchmarks/run.py [--n 500 2000] [--quick] [--no-serve] [--before TREE]

Each build runs in a fresh child process (as `mkdocs build` would). Printed: wall times and their ratio,
t(large)/t(small), the Markdown floor (Python-Markdown with the same extensions over the same notes, one
`Markdown` per note as MkDocs does, no MkDocs), as shares of the build the plugin's own work (scan, model,
generated pages) and all of paper-diary's event handlers, peak memory of the child, one paper page's HTML
size, the site's and the search index's size, repeat builds with the build cache (nothing changed, one body
edited, one new paper) and `mkdocs serve`'s save-to-reload latency (a clean note, a note with a warning). Ratios are
against the baseline of the same run: absolute times depend on the machine and its load, so nothing here
gates CI.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

PY = sys.executable
ENV = {**os.environ, "PYTHONPATH": str(REPO / "plugins"), "NO_MKDOCS_2_WARNING": "1"}


# ---------------------------------------------------------------- children (one build per process)

def child_build(config_file: str, timed: bool) -> None:
    """Build like `mkdocs build`; print the plugin's time and this process's peak memory as JSON.

    Timed: every event handler of paper-diary (`plugin_s`), and within them the work the plugin's own share
    names, reading the notes into the model and generating pages (`core_s`)."""
    import functools
    import resource
    spent, core, mapped = [0.0], [0.0], [0.0]

    def timer(box, fn):
        @functools.wraps(fn)
        def timed_fn(*a, **k):
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                box[0] += time.perf_counter() - t
        return timed_fn

    if timed:
        from mkdocs.plugins import CombinedEvent
        from paper_diary.site import pages, plugin
        from paper_diary.site.plugin import PaperDiaryPlugin

        for name in dir(PaperDiaryPlugin):
            attr = PaperDiaryPlugin.__dict__.get(name) or getattr(PaperDiaryPlugin, name)  # the descriptor itself
            if name.startswith("on_") and isinstance(attr, CombinedEvent):
                attr.methods = tuple(timer(spent, m) for m in attr.methods)
            elif name.startswith("on_") and callable(attr):
                setattr(PaperDiaryPlugin, name, timer(spent, attr))
            elif name in ("_latest_papers", "_topic_list", "_reading_calendar", "_paper_map"):  # the home's macros
                setattr(PaperDiaryPlugin, name, timer(spent, attr))
        plugin.scan = timer(core, plugin.scan)
        pages.generated = timer(core, pages.generated)
        # The map: what the build spends on it (reading the cache, or starting its layout and waiting for it).
        plugin.paper_map.start = timer(mapped, plugin.paper_map.start)
        plugin.paper_map.Job.result = timer(mapped, plugin.paper_map.Job.result)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    t = time.perf_counter()
    config = load_config(config_file=config_file)
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    config.plugins.on_shutdown()
    diary = config.plugins.get("paper-diary")  # None: the baseline
    cache = getattr(diary, "cache", None)
    print(json.dumps({"build_s": time.perf_counter() - t, "plugin_s": spent[0], "core_s": core[0],
                      "map_s": mapped[0], "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "rendered": getattr(cache, "rendered", 0), "templated": getattr(cache, "templated", 0)}))


def child_floor(config_file: str) -> None:
    """Python-Markdown alone over the notes, with the configured extensions."""
    import resource
    import markdown
    from mkdocs.config import load_config
    config = load_config(config_file=config_file)
    notes = sorted(Path(config.docs_dir).rglob("*.md"))
    texts = [re.sub(r"\A---\n.*?\n---\n", "", p.read_text(encoding="utf-8"), flags=re.S) for p in notes]
    t = time.perf_counter()
    for text in texts:
        md = markdown.Markdown(extensions=config["markdown_extensions"],
                               extension_configs=config["mdx_configs"] or {})
        md.convert(text)
    print(json.dumps({"build_s": time.perf_counter() - t,
                      "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


# ---------------------------------------------------------------- the parent

def run_child(*args: str, env: dict | None = None) -> tuple[float, dict]:
    """Wall time and the child's report, with its CPU time (`cpu_s`: less affected by other work running)."""
    import resource
    t, used = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([PY, __file__, "--child", *args], env=env or ENV, capture_output=True, text=True)
    wall, now = time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        sys.exit(f"child {args} failed:\n{out.stderr[-3000:]}")
    report = json.loads(out.stdout.strip().splitlines()[-1])
    report["cpu_s"] = now.ru_utime - used.ru_utime + now.ru_stime - used.ru_stime
    return wall, report


def make_sites(root: Path, n: int) -> dict[str, Path]:
    """One folder of notes, two configurations: the diary's own mkdocs.yml, and Material + search alone."""
    docs = root / "docs"
    generate(docs, n)
    shutil.rmtree(root / ".cache", ignore_errors=True)  # the first build starts from nothing
    src = REPO / "docs"
    for item in src.iterdir():  # the diary's own pages and assets, never its paper notes
        if item.name == "index.md":
            shutil.copy(item, docs / item.name)
        elif item.is_dir() and item.name in ("assets", "images", "stylesheets", "javascripts"):
            shutil.copytree(item, docs / item.name)
    overrides = root / "overrides"
    if (REPO / "overrides").is_dir():
        shutil.copytree(REPO / "overrides", overrides)
    else:
        overrides.mkdir()
    (root / "empty").mkdir(exist_ok=True)
    diary = root / "diary.yml"
    diary.write_text(f"INHERIT: {REPO / 'mkdocs.yml'}\ndocs_dir: docs\nsite_dir: site-diary\n"
                     f"theme:\n  custom_dir: overrides\n", encoding="utf-8")
    base = root / "material.yml"
    base.write_text(f"INHERIT: {REPO / 'mkdocs.yml'}\ndocs_dir: docs\nsite_dir: site-material\n"
                    f"theme:\n  custom_dir: empty\nplugins:\n  - search\n", encoding="utf-8")
    return {"diary": diary, "material": base}


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 120) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read().decode("utf-8")


def serve_latency(root: Path, config: Path, notes: list[Path], edits: int = 3) -> tuple[list[list[float]], int]:
    """Start `mkdocs serve`, save an edit to each note's body in turn, and time until the served page shows it.
    Returns the times, note by note, and how many of the saves were built alone (the log says so)."""
    port = free_port()
    log = open(root / "serve.log", "w")
    proc = subprocess.Popen([PY, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}",
                             "--livereload"], env=ENV, stdout=log, stderr=subprocess.STDOUT, cwd=root)
    base = f"http://127.0.0.1:{port}/paper-diary/"
    times: list[list[float]] = []
    try:
        for note in notes:
            url = base + f"{note.parent.name}/{note.stem}/".replace(" ", "%20")
            deadline = time.time() + 900
            while True:
                try:
                    page = get(url)
                    break
                except OSError:
                    if proc.poll() is not None or time.time() > deadline:
                        raise RuntimeError(f"serve did not start: see {root / 'serve.log'}")
                    time.sleep(0.5)
            times.append([])
            for i in range(edits):
                epoch, request = re.search(r"livereload\((\d+), (\d+)\)", page).groups()
                marker = f"Edited sentence number {i} {time.time_ns()}"
                text = note.read_text(encoding="utf-8")
                t = time.perf_counter()
                note.write_text(text + f"\n{marker}\n", encoding="utf-8")
                while get(f"http://127.0.0.1:{port}/livereload/{epoch}/{request}").strip() == epoch:
                    pass  # the endpoint answers when the rebuilt site is visible (or after its own timeout)
                while marker not in (page := get(url)):
                    time.sleep(0.02)
                times[-1].append(time.perf_counter() - t)
                time.sleep(1.5)
    finally:
        proc.terminate()
        proc.wait(30)
        log.close()
    alone = (root / "serve.log").read_text(encoding="utf-8", errors="replace").count(" alone in ")
    return times, alone


ROUNDS = 3


def repeat_builds(root: Path, config: Path, first: tuple[float, dict]) -> dict:
    """Builds after the first (`first`: its time and report), with its cache: nothing changed, one note's body
    edited, one paper added. In `ROUNDS` rounds, each from the same notes with no cache (its first build timed
    again, emptying the site MkDocs left, as every build but the very first does); each repeat build's share is
    of its own round's first build, and the median of the rounds is reported: on a shared machine the disk alone
    moves a build by seconds, for minutes at a time."""
    notes = sorted((root / "docs").glob("*/*.md"))
    edited, source = notes[len(notes) // 2], notes[len(notes) // 3]
    original = edited.read_text(encoding="utf-8")
    new = source.with_name("A Paper Read Today.md")
    text = source.read_text(encoding="utf-8")
    text = re.sub(r"^title: .*$", 'title: "A Paper Read Today"', text, count=1, flags=re.M)
    text = re.sub(r"^arxiv: .*$", 'arxiv: "2512.00001"', text, count=1, flags=re.M)
    runs: dict[str, list[tuple[float, dict]]] = {"first": [first], "repeat": [], "repeat_edit": [], "repeat_new": []}
    for again in range(ROUNDS):
        if again:  # the first build's notes, no cache; the site of the last build stays, as a repeat build finds it
            edited.write_text(original, encoding="utf-8")
            new.unlink()
            shutil.rmtree(root / ".cache")
            runs["first"].append(run_child("cached", str(config)))
        runs["repeat"].append(run_child("cached", str(config)))
        edited.write_text(original + "\nOne more sentence, saved later.\n", encoding="utf-8")
        runs["repeat_edit"].append(run_child("cached", str(config)))
        new.write_text(text, encoding="utf-8")
        runs["repeat_new"].append(run_child("cached", str(config)))
    r = {}
    for key, samples in runs.items():
        r[key + "_all"] = [wall for wall, _ in samples]
        r[key + "_cpu_all"] = [report["cpu_s"] for _, report in samples]
        r[key] = statistics.median(r[key + "_all"])
        r[key + "_cpu"] = statistics.median(r[key + "_cpu_all"])
        r[key + "_share"] = statistics.median(a / b for a, b in zip(r[key + "_all"], r["first_all"]))
        r[key + "_cpu_share"] = statistics.median(a / b for a, b in zip(r[key + "_cpu_all"], r["first_cpu_all"]))
    r["repeat_rendered"], r["edit_rendered"], r["new_rendered"] = (
        runs[k][-1][1]["rendered"] for k in ("repeat", "repeat_edit", "repeat_new"))
    return r


def serve_rows(root: Path, config: Path, quick: bool) -> dict:
    """`mkdocs serve`'s save-to-reload times: a clean note, and a note being written (a link to a note not yet
    written)."""
    notes = sorted((root / "docs").glob("*/*.md"))
    warned = notes[1]
    warned.write_text(warned.read_text(encoding="utf-8") + "\nSee [[A Paper Not Yet Written]].\n", "utf-8")
    (serve, serve_warned), alone = serve_latency(root, config, [notes[0], warned], 1 if quick else 3)
    return {"serve": serve, "serve_warned": serve_warned, "serve_alone": alone}


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, config = sys.argv[2], sys.argv[3]
        if kind == "floor":
            child_floor(config)
        else:
            child_build(config, timed=kind == "diary")  # "cached": a repeat build, untimed like `mkdocs build`
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, nargs="+", default=[500, 2000], help="diary sizes (default 500 2000)")
    ap.add_argument("--quick", action="store_true", help="sizes 100 and 400, one serve edit")
    ap.add_argument("--no-serve", action="store_true", help="skip the `mkdocs serve` measurement")
    ap.add_argument("--repeat-only", action="store_true",
                    help="the largest size only: the first build, the repeat builds and `mkdocs serve` (no baseline)")
    ap.add_argument("--keep", type=Path, help="build under this folder and keep it (default: a temporary one)")
    ap.add_argument("--before", type=Path, help="also build with the plugin of this checkout (e.g. a `git worktree` "
                                                "of main), to compare a change in the same run: both twice, "
                                                "alternating, best of each")
    args = ap.parse_args()
    sizes = [100, 400] if args.quick else sorted(args.n)
    work = args.keep or Path(tempfile.mkdtemp(prefix="pd-bench-"))
    print(f"machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
          f"{cpu_model()}; Python {platform.python_version()}", flush=True)
    rows = {}
    for n in sizes[-1:] if args.repeat_only else sizes:
        root = work / f"n{n}"
        sites = make_sites(root, n)
        r = {}
        if args.repeat_only:  # shares of the diary's own first build: no baseline needed
            r["diary"], d = run_child("diary", str(sites["diary"]))
            r["diary_cpu"] = d["cpu_s"]
            r.update(repeat_builds(root, sites["diary"], (r["diary"], d)))
            if not args.no_serve:
                r.update(serve_rows(root, sites["diary"], args.quick))
            rows[n] = r
            print(f"  N={n}: " + ", ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}"
                                           for k, v in r.items()), flush=True)
            continue
        r["material"], m = run_child("material", str(sites["material"]))
        r["material_rss"] = m["maxrss_mb"]
        if args.before:  # alternating, twice each, best of each: other work on the machine moves single builds
            env = {**ENV, "PYTHONPATH": str(args.before.resolve() / "plugins")}
            pairs = [(run_child("diary", str(sites["diary"]), env=env), run_child("diary", str(sites["diary"])))
                     for _ in range(2)]
            r["before"] = min(b[0] for b, _ in pairs)
            r["before_cpu"] = min(b[1]["cpu_s"] for b, _ in pairs)
            r["diary"], d = min((a for _, a in pairs), key=lambda a: a[0])
            r["diary_cpu"] = min(a[1]["cpu_s"] for _, a in pairs)
        else:
            r["diary"], d = run_child("diary", str(sites["diary"]))
            r["diary_cpu"] = d["cpu_s"]
        r["plugin"], r["core"], r["diary_rss"] = d["plugin_s"], d["core_s"], d["maxrss_mb"]
        r["map"] = d["map_s"]  # the first build lays the map out from nothing (a fresh folder: no cache)
        r["diary_again"], again = run_child("diary", str(sites["diary"]))  # the same notes: from the cache
        r["map_cached"] = again["map_s"]
        _, f = run_child("floor", str(sites["diary"]))
        r["floor"] = f["build_s"]
        site = root / "site-diary"
        notes = sorted((root / "docs").glob("*/*.md"))
        paper = max((site / n.parent.name / n.stem / "index.html").stat().st_size for n in notes)
        r["page_kb"] = paper / 1024  # the largest paper page
        r["site_mb"] = size(site) / 2**20
        r["material_site_mb"] = size(root / "site-material") / 2**20
        r["index_mb"] = (site / "search/search_index.json").stat().st_size / 2**20
        r["material_index_mb"] = (root / "site-material/search/search_index.json").stat().st_size / 2**20
        if n == sizes[-1]:
            r.update(repeat_builds(root, sites["diary"], (r["diary"], d)))
        if not args.no_serve and n == sizes[-1]:
            r.update(serve_rows(root, sites["diary"], args.quick))
        rows[n] = r
        print(f"  N={n}: " + ", ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}"
                                       for k, v in r.items()), flush=True)
        if not args.keep:
            shutil.rmtree(root / "site-material", ignore_errors=True)
    table(rows)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def table(rows: dict[int, dict]) -> None:
    sizes = sorted(rows)
    lines = ["| | " + " | ".join(f"N = {n}" for n in sizes) + " |", "|---|" + "---|" * len(sizes)]

    def row(label, fmt):
        def cell(r):
            try:
                return fmt(r)
            except KeyError:  # not measured in this run (--repeat-only)
                return "–"
        cells = [cell(rows[n]) for n in sizes]
        if any(c != "–" for c in cells):  # rows this run did not measure are left out
            lines.append(f"| {label} | " + " | ".join(cells) + " |")

    row("Material + search: build (s)", lambda r: f"{r['material']:.1f}")
    row("diary: first build, empty cache (s)", lambda r: f"{r['diary']:.1f}")
    row("**diary / Material**", lambda r: f"**{r['diary'] / r['material']:.2f}**")
    if "before" in rows[sizes[0]]:
        row("diary, with the plugin of --before: build (s)", lambda r: f"{r['before']:.1f}")
        row("**diary / before**", lambda r: f"**{r['diary'] / r['before']:.2f}**")
        row("diary / before, CPU time (s)", lambda r: f"{r['diary_cpu']:.1f} / {r['before_cpu']:.1f} = "
                                                   f"**{r['diary_cpu'] / r['before_cpu']:.2f}**")
    row("Markdown floor (s)", lambda r: f"{r['floor']:.1f}")
    row("**diary / floor**", lambda r: f"**{r['diary'] / r['floor']:.2f}**")
    row("plugin's own work (scan, model, generated pages): share of the build",
        lambda r: f"{100 * r['core'] / r['diary']:.1f}%")
    row("all of the plugin's event handlers: share of the build", lambda r: f"{100 * r['plugin'] / r['diary']:.1f}%")
    row("map laid out from nothing (s): share of the build",
        lambda r: f"{r['map']:.1f}: {100 * r['map'] / r['diary']:.1f}%")
    row("map from the cache, unchanged notes (s): share of that build",
        lambda r: f"{r['map_cached']:.2f}: {100 * r['map_cached'] / r['diary_again']:.1f}%")
    row("peak memory, diary / Material (MB)", lambda r: f"{r['diary_rss']:.0f} / {r['material_rss']:.0f}")
    row("largest paper page (KB)", lambda r: f"{r['page_kb']:.0f}")
    row("site, diary / Material (MB)", lambda r: f"{r['site_mb']:.0f} / {r['material_site_mb']:.0f}")
    row("search index, diary / Material (MB)", lambda r: f"{r['index_mb']:.1f} / {r['material_index_mb']:.1f}")
    def repeat(key):
        def cell(r):
            rounds = ", ".join(f"{a:.1f} ({100 * a / b:.0f}%)" for a, b in zip(r[key + "_all"], r["first_all"]))
            return (f"{r[key]:.1f} (**{100 * r[key + '_share']:.0f}%**), CPU {r[key + '_cpu']:.1f} "
                    f"({100 * r[key + '_cpu_share']:.0f}%); rounds: {rounds}")
        return cell

    row(f"diary: first build, {ROUNDS} rounds from nothing (s, median; CPU s; rounds)",
        lambda r: f"{r['first']:.1f}; CPU {r['first_cpu']:.1f}; rounds: "
                  + ", ".join(f"{t:.1f}" for t in r["first_all"]))
    row("diary, repeat build with the cache: nothing changed (s, median share of its round's first build; CPU s, "
        "share; each round)",
        repeat("repeat"))
    row("diary, repeat build: one body edited (s, share; CPU s, share)", repeat("repeat_edit"))
    row("diary, repeat build: one new paper (s, share; CPU s, share)", repeat("repeat_new"))
    row("pages rendered again: nothing / one edit / one new paper",
        lambda r: f"{r['repeat_rendered']} / {r['edit_rendered']} / {r['new_rendered']}")
    row("`mkdocs serve`: clean note saved to page shown (s)",
        lambda r: "/".join(f"{t:.1f}" for t in r["serve"]) if "serve" in r else "–")
    row("`mkdocs serve`: note with a warning saved to page shown (s)",
        lambda r: "/".join(f"{t:.1f}" for t in r["serve_warned"]) if "serve" in r else "–")
    row("`mkdocs serve`: saves built alone",
        lambda r: f"{r['serve_alone']} of {len(r['serve']) + len(r['serve_warned'])}" if "serve" in r else "–")
    if len(sizes) > 1:
        a, b = sizes[0], sizes[-1]
        lines.append("")
        lines.append(f"growth t({b})/t({a}): diary {rows[b]['diary'] / rows[a]['diary']:.2f}, "
                     f"Material {rows[b]['material'] / rows[a]['material']:.2f} (linear: {b / a:.1f})")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
