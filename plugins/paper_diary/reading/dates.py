"""Dates as people write them in a note's text: `Date read: 11th August 2025`, `**Date:** 2025-06-04`, ...

Notes without front matter say when they were read in their first lines. `find` reads such a line; `parse` reads
one written date. Nothing is guessed: a numeric date that reads two ways (`04/06/2025`), or one that is not a
real day, comes back as a problem that says how to write it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from paper_diary.model import Month, precision, show  # noqa: F401  the model's date values; callers say dates.Month

MONTHS = {name: i for i, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
    ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
    ("november", "nov"), ("december", "dec")), start=1) for name in names}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_END = r"(?![\w/.-]\w)"  # a date ends here: `4 June 2025.` or `4 June 2025 (train)`, not `2025-06-045`
_WEEKDAY = re.compile(r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+", re.I)
_RANGE_END = r"(?:\s*(?:-|–|—|to)\s*\d{1,2}(?:st|nd|rd|th)?)?"  # `14th - 15th June 2025`: the first day counts
DAY_RANGE = _DAY + _RANGE_END  # `23rd`, `14th - 15th`: a reading list's day, the first of a range
FORMS = [
    re.compile(_YEAR + r"[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})" + _END),  # 2025-06-04, 2025/06/04
    re.compile(_DAY + _RANGE_END + r"(?:\s+of)?\s+" + _MONTH + r",?\s+" + _YEAR + _END, re.I),  # 4th June 2025
    re.compile(_MONTH + r"\s+" + _DAY + _RANGE_END + r",?\s+" + _YEAR + _END, re.I),  # June 4, 2025; June 4th 2025
]
NUMERIC = re.compile(r"(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>\d{2,4})" + _END)  # 04/06/2025: which is the day?
URL = re.compile(r"\S*://\S*")  # `2401.00001` in an arXiv link is no date
# A value with a month, a numeric date or a year is meant as a date: `31st Febuary 2025` is reported, not skipped.
LOOKS_LIKE_A_DATE = re.compile(r"\d{1,4}\s*[-/.]\s*\d|(?<!\d)(?:19|20)\d\d(?!\d)|"
                               + _MONTH.replace("(?P<month>", "(?:") + r"(?![a-z])", re.I)

# A date line: `Date: ...`, `Date read: ...`, `Read: ...`, `Read on ...`, bold or italic, in a list or a quote.
LINE = re.compile(
    r"^[ \t]*(?:[>*+-][ \t]*)*(?:#{1,6}[ \t]+)?[*_]{0,3}(?P<label>date[ \t]+read|read[ \t]+on|date|read)\b"
    r"(?P<sep>[*_]{0,3}[ \t]*:?[ \t]*[*_]{0,3})[ \t]*(?P<value>.+?)[ \t]*$", re.I)
HOW = "write it like 4th June 2025, June 4, 2025 or 2025-06-04 (or March 2025, 2025-03 when only the month is known)"
# Dates known to the month: `March 2019`, `Mar. 2019`, `2019-03`. Tried after the day forms, so `March 4, 2019`
# stays a day.
MONTH_FORMS = [
    re.compile(_MONTH + r",?\s+" + _YEAR + _END, re.I),  # March 2019, Mar 2019, Mar. 2019
    re.compile(_YEAR + r"-(?P<m>\d{1,2})" + _END),  # 2019-03
]
# A line that is only an emphasised date, as notes put it under their title: `_Mar 2019_`, `*January 2021*`.
EMPHASISED = re.compile(r"^[ \t]*(?P<mark>[*_]{1,3})(?P<value>[^*_\n]+?)(?P=mark)[ \t]*$")
# A date at the start of a file name: Jekyll and Hugo posts (`2019-08-29-Title.md`, `2019-8-9-Title.md`) and
# daily notes (`20190829 Title.md`, `2019-08-29.md`).
FILE_NAME = re.compile(r"^(?P<year>(?:19|20)\d\d)(?:-(?P<m>\d{1,2})-(?P<d>\d{1,2})|(?P<cm>0[1-9]|1[0-2])(?P<cd>\d\d))"
                       r"(?:$|[-_ .]+(?P<rest>.*))$")


@dataclass(frozen=True)
class DateLine:
    """A line of a note that says when it was read."""

    line: int  # 0-based, in the text given to `find`
    written: str  # the line as written, stripped
    date: datetime.date | None
    problem: str | None  # why it cannot be read, and how to write it; None when `date` is set


def parse(value: str) -> tuple[datetime.date | None, str | None]:
    """(date, None), or (None, what is wrong with it and how to write it) for a written date."""
    text = _WEEKDAY.sub("", value.strip().strip("*_ \t"), count=1)
    for form in FORMS:
        m = form.match(text)
        if m:
            groups = m.groupdict()
            month = int(groups["m"]) if groups.get("m") else MONTHS[groups["month"].lower()]
            day = int(groups.get("d") or groups["day"])
            return _real(int(groups["year"]), month, day, m.group(0))
    m = NUMERIC.match(text)
    if m:
        a, b, year = int(m["a"]), int(m["b"]), m["y"]
        if len(year) != 4:
            return None, f"'{m.group(0)}' has a two-digit year, which could be any century; {HOW}"
        if a <= 12 and b <= 12 and a != b:
            return None, (f"'{m.group(0)}' could be the {ordinal(a)} of {_month_name(b)} or the {ordinal(b)} of "
                          f"{_month_name(a)}; {HOW}")
        day, month = (a, b) if a > 12 or a == b else (b, a)
        return _real(int(year), month, day, m.group(0))
    for form in MONTH_FORMS:
        m = form.match(text)
        if m:
            month = int(m["m"]) if m.groupdict().get("m") else MONTHS[m["month"].lower()]
            if not 1 <= month <= 12:
                return None, f"'{m.group(0)}' has no month {month}; {HOW}"
            return Month(int(m["year"]), month), None
    return None, f"'{value.strip()}' is not a date the diary can read; {HOW}"


def whole(value: str) -> bool:
    """Whether `value` is a date and nothing else (`Mar 2019`, `4 June 2025`), not a sentence with one."""
    text = _WEEKDAY.sub("", value.strip(), count=1).rstrip(".")
    return any(form.fullmatch(text) for form in (*FORMS, NUMERIC, *MONTH_FORMS))


def from_file_name(name: str) -> tuple[datetime.date | None, str | None, str]:
    """(date, problem, the rest of the name) for a file name that starts with a date (`2019-08-29-Title`);
    (None, None, name) when it does not."""
    m = FILE_NAME.match(name)
    if not m:
        return None, None, name
    year = int(m["year"])
    month, day = (int(m["m"]), int(m["d"])) if m["m"] else (int(m["cm"]), int(m["cd"]))
    written = name[:m.start("rest")].rstrip("-_ .") if m["rest"] is not None else name
    try:
        return datetime.date(year, month, day), None, m["rest"] or ""
    except ValueError:
        return None, (f"the date '{written}' that starts the file name is not a real day; rename the file to start "
                      f"with the day it was read (YYYY-MM-DD-), or put the date in front matter "
                      f"(date: YYYY-MM-DD)"), m["rest"] or ""


def top_lines(text: str, lines: int):
    """(0-based line, line) for the first `lines` non-blank lines of `text`: where a note says when it was read,
    or sums itself up."""
    seen = 0
    for number, raw in enumerate(text.split("\n")):
        if raw.strip():
            seen += 1
            if seen > lines:
                return
            yield number, raw


def find(text: str, lines: int = 10) -> DateLine | None:
    """The first date line among the first `lines` non-blank lines of `text`, read or with its problem.

    A line such as `Read on arXiv` that holds nothing like a date is not a date line."""
    for number, raw in top_lines(text, lines):
        m = LINE.match(raw)
        if m is None:
            e = EMPHASISED.match(raw)
            if e and whole(e["value"]):  # `_Mar 2019_` under the title
                date, problem = parse(e["value"])
                return DateLine(number, raw.strip(), date, problem)
            continue
        if not LOOKS_LIKE_A_DATE.search(URL.sub("", m["value"])):
            continue
        if ":" not in m["sep"] and m["label"].lower().split()[-1] != "on" and not m["value"][0].isdigit():
            continue  # `Read the paper twice in 2025` is a sentence, not a date line
        date, problem = parse(m["value"])
        return DateLine(number, raw.strip(), date, problem)
    return None


def _real(year: int, month: int, day: int, written: str) -> tuple[datetime.date | None, str | None]:
    try:
        return datetime.date(year, month, day), None
    except ValueError:
        return None, f"'{written}' is not a real day; {HOW}"


def ordinal(n: int) -> str:
    """4 -> '4th', 22 -> '22nd'."""
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _month_name(n: int) -> str:
    return datetime.date(2000, n, 1).strftime("%B")
