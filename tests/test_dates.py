"""Date lines as people write them at the top of a note (no front matter): read, or reported, never guessed."""

import datetime

import pytest

from paper_diary.reading import dates

D = datetime.date


@pytest.mark.parametrize("line, expected", [
    ("Date read: 11th August 2025", D(2025, 8, 11)),
    ("**Date:** 4th June 2025", D(2025, 6, 4)),
    ("**Date read**: 4th June 2025", D(2025, 6, 4)),
    ("*Date:* 2025-06-04", D(2025, 6, 4)),
    ("Date: 2025-06-04", D(2025, 6, 4)),
    ("Read on June 4, 2025", D(2025, 6, 4)),
    ("Read: June 4th 2025", D(2025, 6, 4)),
    ("- Date: 4 June 2025", D(2025, 6, 4)),
    ("> **Read on:** 1st of Sept. 2024", D(2024, 9, 1)),
    ("### Date read: 23rd May 2025", D(2025, 5, 23)),
    ("Date read: Monday, 2nd June 2025 (on the train)", D(2025, 6, 2)),
    ("Date read: 14th - 15th May 2025", D(2025, 5, 14)),
    ("date: 2025/06/04", D(2025, 6, 4)),
    ("Date: 25/06/2025", D(2025, 6, 25)),  # only one reading: the 25th
])
def test_date_lines_people_write(line, expected):
    found = dates.find(f"## A Paper\n\n{line}\n\nText.")
    assert found is not None and found.problem is None, found
    assert found.date == expected and found.line == 2


@pytest.mark.parametrize("line, says", [
    ("Date read: 1st June 2p25", "not a date the diary can read"),
    ("**Date:** 04/06/2025", "could be the 4th of June or the 6th of April"),
    ("Date: 31st June 2025", "not a real day"),
    ("Date: 4/6/25", "two-digit year"),
    ("Date read: 31st Febuary 2025", "not a date the diary can read"),  # a typo in the month
])
def test_date_lines_that_cannot_be_read_say_how_to_write_them(line, says):
    found = dates.find(f"# Title\n{line}\n")
    assert found is not None and found.date is None and found.line == 1
    assert says in found.problem and "2025-06-04" in found.problem


@pytest.mark.parametrize("text", [
    "# Title\nRead on [arXiv](https://arxiv.org/abs/2401.00001)\n",  # no date in it
    "# Title\nRead the paper twice in June 2025.\n",  # a sentence
    "# Title\nUpdated: 4th June 2025\n",  # not when it was read
    "# Title\n" + "line\n" * 10 + "Date: 4th June 2025\n",  # past the first ten lines
])
def test_lines_that_are_not_date_lines(text):
    assert dates.find(text) is None
