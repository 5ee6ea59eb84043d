"""The block structure of an HTML page, to compare the diary's rendering with CommonMark's.

The tree of p, ul/ol, li, h1-h6, pre (with its text), blockquote, table rows and hr. Everything else (Material's
wrappers, inline markup, attributes) is left out. A paragraph directly in a list item counts as spacing only
(a loose list's `<li><p>a</p></li>` is a tight list's `<li>a</li>`). A code block's text counts as it shows:
tabs as 4 spaces and lines of only spaces as empty (Python-Markdown does both before any extension reads the
note), blank lines at its start and end left out (Pygments drops them).
"""

from __future__ import annotations

import html.parser

BLOCKS = {"p", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "tr", "hr"}
VOID = {"hr", "br", "img", "input", "meta", "link"}


class _Tree(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root: list = []
        self.stack: list[tuple[str, list]] = [("", self.root)]
        self.open: list[str] = []  # every open element, kept or not, to match end tags
        self.pre_text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            if tag == "hr":
                self.stack[-1][1].append(("hr",))
            return
        self.open.append(tag)
        if tag in BLOCKS:
            children: list = []
            self.stack[-1][1].append([tag, children])
            self.stack.append((tag, children))
            if tag == "pre":
                self.pre_text = []

    def handle_startendtag(self, tag, attrs):
        if tag == "hr":
            self.stack[-1][1].append(("hr",))

    def handle_endtag(self, tag):
        if tag in VOID or tag not in self.open:
            return
        while self.open:
            closed = self.open.pop()
            if closed in BLOCKS:
                name, children = self.stack.pop()
                if name == "pre":
                    children.append(_code("".join(self.pre_text or [])))
                    self.pre_text = None
            if closed == tag:
                break

    def handle_data(self, data):
        if self.pre_text is not None:
            self.pre_text.append(data)


def _code(text: str) -> str:
    lines = [line.expandtabs(4) if line.strip() else "" for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def structure(page: str) -> list:
    parser = _Tree()
    parser.feed(page)
    parser.close()
    return _simplify(parser.root)


def _simplify(nodes: list, parent: str = "") -> list:
    out: list = []
    for node in nodes:
        if isinstance(node, str) or node == ("hr",):
            out.append(node if isinstance(node, str) else "hr")
            continue
        tag, children = node
        children = _simplify(children, tag)
        if tag == "p" and parent == "li":
            out.extend(children)  # spacing only
        else:
            out.append([tag, children] if children else tag)
    return out


def show(tree: list) -> str:
    """The tree in one line: `ul(li(p) li)`."""
    def one(node) -> str:
        if isinstance(node, str):
            return node if node in BLOCKS else repr(node)
        return f"{node[0]}({' '.join(one(c) for c in node[1])})"
    return " ".join(one(n) for n in tree)
