"""Math engines compared on the formulas of formulas.py: how many each typesets, and what one formula costs.

    .venv/bin/python benchmarks/math_engines.py [path/to/katex.min.js path/to/temml.min.js]

Prints, for each engine: formulas typeset / all, the ones it refused, the time to start, and the time per formula
(each formula once, nothing cached). A quick ratio, not a benchmark: run it on a quiet machine for absolute times.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from formulas import FORMULAS  # noqa: E402

VENDORED = Path(__file__).parent.parent / "plugins" / "paper_diary" / "vendor"


def js_engine(kind: str, script: str, call: str):
    if kind == "mini_racer":
        from py_mini_racer import MiniRacer
        ctx = MiniRacer()
        ctx.eval(script)
        return lambda tex, display: ctx.eval(call % (json.dumps(tex), "true" if display else "false"))
    import quickjs
    ctx = quickjs.Context()
    ctx.eval(script)
    return lambda tex, display: ctx.eval(call % (json.dumps(tex), "true" if display else "false"))


def engines(katex_js: Path, temml_js: Path):
    katex = "katex.renderToString(%s, {displayMode: %s, throwOnError: true, strict: 'ignore', trust: false})"
    temml = "temml.renderToString(%s, {displayMode: %s, throwOnError: true, annotate: true})"
    yield "KaTeX 0.19.1 on V8 (mini-racer)", lambda: js_engine("mini_racer", katex_js.read_text(), katex)
    yield "Temml 0.13.5 on V8 (mini-racer)", lambda: js_engine("mini_racer", temml_js.read_text(), temml)
    yield "KaTeX 0.19.1 on QuickJS (quickjs)", lambda: js_engine("quickjs", katex_js.read_text(), katex)

    def l2m():
        import latex2mathml.converter as c
        return lambda tex, display: c.convert(tex, display="block" if display else "inline")
    yield "latex2mathml 3.81.1 (pure Python)", l2m


def main() -> None:
    katex_js = Path(sys.argv[1]) if len(sys.argv) > 1 else VENDORED / "katex" / "katex.min.js"
    temml_js = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("temml.min.js")
    for name, make in engines(katex_js, temml_js):
        started = time.perf_counter()
        try:
            render = make()
        except Exception as error:  # an engine that is not installed
            print(f"{name}: not measured ({error})")
            continue
        ready = time.perf_counter() - started
        failed, sizes = [], []
        started = time.perf_counter()
        for tex, display in FORMULAS:
            try:
                sizes.append(len(render(tex, display)))
            except Exception as error:
                failed.append((tex, str(error).split("\n")[0][:90]))
        took = time.perf_counter() - started
        print(f"{name}: {len(FORMULAS) - len(failed)}/{len(FORMULAS)} typeset; start {ready * 1000:.0f} ms; "
              f"{took / len(FORMULAS) * 1000:.2f} ms a formula; {sum(sizes) / max(len(sizes), 1):.0f} bytes of HTML "
              "a formula")
        for tex, why in failed:
            print(f"    refused: {tex[:60]!r}: {why}")


if __name__ == "__main__":
    main()
