"""Double-encoded text (UTF-8 read as Windows-1252/1254 and saved again: `â€”` for `—`, `ğŸ“Œ` for `📌`).

ftfy repairs it. Where a byte of a sequence was lost on the way (`roadâ€)` lost the last byte of `”`), ftfy would
guess from the neighbouring characters; the diary never guesses: such a spot is left as written and reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ftfy

from paper_diary.model import Problem

# A lead byte of a multi-byte UTF-8 sequence as Windows-1252/1254 shows it, then continuation bytes (0x80-0xBF).
RUN = re.compile("[\u00c2-\u00f4\u011e\u011f\u0130\u0131\u015e\u015f]"
                 "[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
                 "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]+")
FTFY = dict(uncurl_quotes=False, unescape_html=False, fix_line_breaks=False, normalization=None)


@dataclass(frozen=True)
class Spot:
    """A run of double-encoded text on a line (1-based), with its repair, or None when bytes were lost."""

    line: int
    text: str
    repair: str | None


def _decode(run: str) -> str | None:
    for codec in ("windows-1252", "windows-1254"):
        try:
            raw = run.encode(codec)
        except UnicodeEncodeError:
            continue
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


def spots(text: str) -> list[Spot]:
    """Every run of double-encoded text, line by line."""
    found: list[Spot] = []
    if not RUN.search(text):  # the usual case, found by one search over the whole text
        return found
    for number, line in enumerate(text.split("\n"), start=1):  # "\n" only, as line numbers count them
        for m in RUN.finditer(line):
            found.append(Spot(number, m.group(0), _decode(m.group(0))))
    return found


def repair(text: str) -> tuple[str, list[Spot]]:
    """The text with every certain repair made, and the spots left as written because bytes were lost."""
    lost = [s for s in spots(text) if s.repair is None]
    damaged = {s.line for s in lost}
    lines = text.split("\n")
    lines = [line + "\n" for line in lines[:-1]] + lines[-1:]
    for i, line in enumerate(lines):
        if i + 1 not in damaged:
            lines[i] = ftfy.fix_text(line, **FTFY)
            continue
        # ftfy would guess across a damaged run from its neighbours: repair each run on its own instead.
        pieces, last = [], 0
        for m in RUN.finditer(line):
            pieces += [ftfy.fix_text(line[last:m.start()], **FTFY), _decode(m.group(0)) or m.group(0)]
            last = m.end()
        lines[i] = "".join(pieces) + ftfy.fix_text(line[last:], **FTFY)
    return "".join(lines), lost


def problems(path: str, text: str, first_line: int = 1) -> list[Problem]:
    """Every spot of double-encoded text in `text` (lines of `path` from `first_line`), as the build reports it:
    a certain repair is named; a spot whose bytes are lost has none, so it is to be replaced by hand."""
    found = []
    for spot in spots(text):
        if spot.repair:
            fix = f"it likely reads '{spot.repair}': re-type it (or run paper-diary import)"
        else:
            fix = "its bytes are lost, so no repair is certain: replace it by hand"
        found.append(Problem(path, first_line + spot.line - 1, f"'{spot.text}' looks double-encoded; {fix}"))
    return found
