"""What the map reads of a paper: its title, summary, tags, highlights, the sentences its links sit in, and its
body's prose and headings, without code, math, URLs, HTML, front matter or the date line. Headings that a
template gives many notes (Key Points, Results) are dropped from every note. Pure: no MkDocs, no scikit-learn.
"""

from __future__ import annotations

import re
import unicodedata

from paper_diary.model import Paper
from paper_diary.reading import mathtex

FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,}).*?^[ \t]*\1[ \t]*$", re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]+`")
# [text](link), <https://…>, https://…, www.…; the look-ahead first passes over most places at once
URL = re.compile(r"(?=[\]<fhw])(?:\]\([^)\s]*\)|<?(?:https?|ftp)://[^\s>)]+>?|www\.[^\s)]+)")
HTML_TAG = re.compile(r"<[^>\n]+>")
COMMENT = re.compile(r"<!--.*?-->", re.S)
MARKUP = re.compile(r"[_/#*=\[\]|>-]+")
HEADING = re.compile(r"^[ ]{0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.M)
TOKEN = r"(?u)\b[^\W\d_][^\W_]+\b"  # a word starts with a letter: no numbers, no underscores
WORD = re.compile(TOKEN)


def paper_text(paper: Paper, memo=None) -> str:
    """What a paper says, as words: its title, summary, tags, highlights and the sentences its links sit in,
    then its body's prose and headings; code, math, URLs, markup and the date line left out. The body's headings
    come on lines of their own, marked (`HEAD`), so that `vectors` can leave out the headings a template gives
    every note ("Key Points", "Results").

    A body edit changes it: a full build lays the map out again (by the new paper's neighbours, when few papers
    changed), while `mkdocs serve` builds the edited page alone and the served map shows the change at the next
    full build (see quick.py). `memo(function, text)`, when given, may answer `function(text)` from an earlier
    build (the build cache's)."""
    memo = memo or (lambda function, text: function(text))
    lessons = [h.text for h in paper.lessons]
    declared = [h if isinstance(h, str) else str(h.get("text", "")) for h in paper.highlights
                if isinstance(h, (str, dict))]
    sentences = [link.sentence for link in paper.links_out]
    text = "\n".join([paper.title, paper.summary or "", ", ".join(paper.tags), *lessons, *declared, *sentences])
    return memo(_words, text) + "\n" + memo(_prose, paper.body)


HEAD = "\u00a7\u00a7 "  # marks a heading's line in a paper's text (no word starts with it)
# `Date read: 11th August 2025`, `**Read on** June 4, 2025`: a date line has a number (prose that starts with
# "Read" has none, and stays)
DATE_LINE = re.compile(r"^[ \t*_>-]*(?:date(?:[ \t]+read)?|read(?:[ \t]+on)?)\b(?=.*\d).*$", re.I | re.M)
MONTHS = ("january february march april may june july august september october november december "
          "jan feb mar apr jun jul aug sep sept oct nov dec").split()


def _prose(body: str) -> str:
    """A note's body as words: its headings each on a line marked `HEAD`, then the rest of its text; code,
    math, URLs, HTML and the date line (among its first lines) left out."""
    lines = FENCE.sub(" ", body).split("\n")
    body = _unmarked("\n".join([DATE_LINE.sub(" ", "\n".join(lines[:12]), count=1), *lines[12:]]))
    headings = [HEAD + _normal(h) for h in HEADING.findall(body)]
    return "\n".join([*headings, _normal(HEADING.sub(" ", body))])


def _words(text: str) -> str:
    """A text as the map's words: code, math, URLs and markup left out; lower case, without accents, one
    space between words and ` | ` where a phrase cannot go on (a comma, a sentence's end, a line's). Made once
    for each note (and kept by the build cache), so the map's own process only splits it."""
    return _normal(_unmarked(text))


def _unmarked(text: str) -> str:
    text = mathtex.blank(text)  # formulas as the page reads them: `$…$` by GitHub's rules, `\(…\)`, `\[…\]`
    for pattern in (COMMENT, INLINE_CODE, URL, HTML_TAG):
        text = pattern.sub(" ", text)
    return text


def _normal(text: str) -> str:
    text = MARKUP.sub(" ", text).lower()
    if not text.isascii():  # é -> e, as a reader searching for it types it
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    segments = (" ".join(WORD.findall(segment)) for segment in SEGMENT.split(text))
    return " | ".join(s for s in segments if s)


def template_free(texts: list[str]) -> list[str]:
    """The texts without the headings a template gives many notes ("Key Points", "Results", "Thoughts"): a
    heading in at least 3 notes and 5% of them says what kind of note it is, not what the paper is about."""
    from collections import Counter

    def key(line: str) -> str:
        return " ".join(re.findall(TOKEN, line.lower()))

    split = [[(line.startswith(HEAD), line[len(HEAD):] if line.startswith(HEAD) else line)
              for line in text.split("\n")] for text in texts]
    seen = Counter(k for lines in split for k in {key(line) for heading, line in lines if heading})
    common = {k for k, c in seen.items() if c >= max(3, 0.05 * len(texts))}
    return ["\n".join(line for heading, line in lines if not (heading and key(line) in common))
            for lines in split]


_stop: frozenset = frozenset()  # English stop words and month names, once `stop_words()` has run


def stop_words() -> frozenset:
    """scikit-learn's English stop words and the months' names. It imports scikit-learn, so only the map's
    process calls it (`layout.vectors`), before any text is cut into terms."""
    global _stop
    if not _stop:
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
        _stop = frozenset(ENGLISH_STOP_WORDS | set(MONTHS))
    return _stop


SEGMENT = re.compile(r"[.!?;:,()\n\"]+")  # a phrase never reaches over these


def terms(text: str) -> list[str]:
    """A paper's terms (its text made by `_words`): its words but stop words, and each two that follow each
    other (a phrase: "policy gradient"; never over a stop word, a comma or a line's end)."""
    out: list[str] = []
    previous = None
    for word in text.replace("\n", " | ").split():
        if word == "|" or word in _stop or word[0] == HEAD[0]:
            previous = None
            continue
        out.append(word)
        if previous is not None:
            out.append(previous + " " + word)
        previous = word
    return out
