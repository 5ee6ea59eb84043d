"""The daily log: papers by day, streaks, counts and the reading calendar. "Today" is the diary's (`Diary.today`)."""

from __future__ import annotations

import calendar
import datetime
from collections import Counter
from dataclasses import dataclass, field

from paper_diary.model import Diary, Paper
from paper_diary.reading.dates import Month as KnownMonth


@dataclass
class Stats:
    current_streak: int = 0  # consecutive days with a paper, ending today or yesterday
    longest_streak: int = 0
    this_week: int = 0  # since Monday
    this_month: int = 0
    this_year: int = 0
    total: int = 0
    dated: int = 0


@dataclass
class Month:
    year: int
    month: int
    papers: list[Paper] = field(default_factory=list)  # newest first

    @property
    def title(self) -> str:
        return f"{calendar.month_name[self.month]} {self.year}"

    @property
    def anchor(self) -> str:
        return f"{self.year}-{self.month:02d}"


@dataclass
class Cell:
    day: datetime.date
    count: int
    column: int  # week since the calendar's first Monday
    row: int  # 0 = Monday


@dataclass
class MonthMark:
    """Papers known to be read in a month, on no known day: a band under the month's weeks, not a day's square."""

    year: int
    month: int
    count: int
    column: int  # the week the band starts at
    columns: int  # how many weeks it spans

    @property
    def anchor(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def title(self) -> str:
        return f"{calendar.month_name[self.month]} {self.year}"


@dataclass
class Calendar:
    """A heatmap of papers per day, weeks as columns (like a contribution graph)."""

    first: datetime.date
    last: datetime.date
    cells: list[Cell]
    months: list[tuple[int, str]]  # (column, label) where a month starts
    most: int  # the highest count of a day, for shading
    marks: list[MonthMark] = field(default_factory=list)  # months with papers read on no known day

    @property
    def total(self) -> int:
        return sum(c.count for c in self.cells) + sum(m.count for m in self.marks)

    @property
    def columns(self) -> int:
        return (self.cells[-1].column + 1) if self.cells else 0

    def level(self, count: int) -> int:
        """0 for none, then 1-4 by quarter of the busiest day (which is 4)."""
        if count <= 0:
            return 0
        return min(4, max(1, -(-4 * count // max(self.most, 1))))


def per_day(diary: Diary) -> Counter:
    """Papers per day, of those read on a known day: a paper known to its month only is on no day."""
    return Counter(p.date for p in diary.papers.values() if p.date is not None and not isinstance(p.date, KnownMonth))


def per_month_counts(diary: Diary, only_months: bool = False) -> Counter:
    """Papers per (year, month), every dated paper (or only those known to their month alone)."""
    return Counter((p.date.year, p.date.month) for p in diary.papers.values()
                   if p.date is not None and (not only_months or isinstance(p.date, KnownMonth)))


def stats(diary: Diary) -> Stats:
    days = per_day(diary)
    today = diary.today
    monthly = per_month_counts(diary, only_months=True)
    out = Stats(total=len(diary.papers), dated=sum(days.values()) + sum(monthly.values()))
    # Longest run of consecutive days.
    run, previous = 0, None
    for day in sorted(days):
        run = run + 1 if previous is not None and (day - previous).days == 1 else 1
        out.longest_streak = max(out.longest_streak, run)
        previous = day
    # The current run ends today, or yesterday when today has no paper yet.
    day = today if today in days else today - datetime.timedelta(days=1)
    while day in days:
        out.current_streak += 1
        day -= datetime.timedelta(days=1)
    monday = today - datetime.timedelta(days=today.weekday())
    for day, count in days.items():
        if day > today:
            continue
        if day >= monday:
            out.this_week += count
        if (day.year, day.month) == (today.year, today.month):
            out.this_month += count
        if day.year == today.year:
            out.this_year += count
    for (year, month), count in monthly.items():  # read in a month, on no known day: never in a streak or a week
        if (year, month) == (today.year, today.month):
            out.this_month += count
        if year == today.year and month <= today.month:
            out.this_year += count
    return out


def months(diary: Diary) -> tuple[list[Month], list[Paper]]:
    """Dated papers grouped by month, newest first; and the undated ones."""
    groups: dict[tuple[int, int], Month] = {}
    undated = []
    for paper in diary.latest():
        if paper.date is None:
            undated.append(paper)
            continue
        key = (paper.date.year, paper.date.month)
        groups.setdefault(key, Month(*key)).papers.append(paper)
    return list(groups.values()), undated


def reading_calendar(diary: Diary, first: datetime.date | None = None, last: datetime.date | None = None) -> Calendar:
    """The calendar from `first` to `last` (default: the 12 months up to today)."""
    last = last or diary.today
    first = first or (last.replace(year=last.year - 1) + datetime.timedelta(days=1)
                      if not (last.month == 2 and last.day == 29) else last.replace(year=last.year - 1, day=28))
    days = per_day(diary)
    start = first - datetime.timedelta(days=first.weekday())
    cells, labels, seen = [], [], set()
    day = first
    while day <= last:
        column = (day - start).days // 7
        cells.append(Cell(day, days.get(day, 0), column, day.weekday()))
        if (day.year, day.month) not in seen:
            seen.add((day.year, day.month))
            labels.append((column, calendar.month_abbr[day.month]))
        day += datetime.timedelta(days=1)
    most = max((c.count for c in cells), default=0)
    marks = []
    for (year, month), count in sorted(per_month_counts(diary, only_months=True).items()):
        start_day = max(first, datetime.date(year, month, 1))
        end_day = min(last, datetime.date(year, month, calendar.monthrange(year, month)[1]))
        if start_day > end_day:
            continue
        column = (start_day - start).days // 7
        marks.append(MonthMark(year, month, count, column, (end_day - start).days // 7 - column + 1))
    return Calendar(first, last, cells, labels, most, marks)


def year_calendar(diary: Diary, year: int) -> Calendar:
    return reading_calendar(diary, datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def per_month(diary: Diary, count: int = 12) -> list[tuple[str, int]]:
    """Papers per month for the last `count` months up to today, oldest first."""
    by_month = per_month_counts(diary)
    year, month = diary.today.year, diary.today.month
    out = []
    for _ in range(count):
        n = by_month[(year, month)]
        out.append((f"{calendar.month_abbr[month]} {year}", n))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


@dataclass
class Curve:
    """The cumulative number of papers read, day by day: the reading curve."""

    first: datetime.date | None
    last: datetime.date | None
    steps: list[tuple[datetime.date, int]]  # (a day with papers, papers read up to and including it)
    months: list[tuple[str, int, int]]  # ("Aug 2025", read that month, read up to its end), oldest first

    @property
    def total(self) -> int:
        return self.steps[-1][1] if self.steps else 0

    @property
    def days(self) -> int:
        """Days covered, the first and the last included."""
        return (self.last - self.first).days + 1 if self.first and self.last else 0

    @property
    def per_day(self) -> float:
        return self.total / self.days if self.days else 0.0


def reading_curve(diary: Diary) -> Curve:
    """From the first paper read to today (or the last paper, if dated later): dated papers only.

    A paper known to its month only counts in that month: on the curve, it is read by the month's last day (or
    today, in the month under way)."""
    days = per_day(diary)
    for (year, month), count in per_month_counts(diary, only_months=True).items():
        end = datetime.date(year, month, calendar.monthrange(year, month)[1])
        if (year, month) == (diary.today.year, diary.today.month):
            end = min(end, diary.today)
        days[end] += count
    if not days:
        return Curve(None, None, [], [])
    first, last = min(days), max(max(days), diary.today)
    steps, total = [], 0
    for day in sorted(days):
        total += days[day]
        steps.append((day, total))
    by_month = Counter()
    for day, count in days.items():
        by_month[(day.year, day.month)] += count
    out, total = [], 0
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        n = by_month[(year, month)]
        total += n
        out.append((f"{calendar.month_abbr[month]} {year}", n, total))
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    return Curve(first, last, steps, out)
