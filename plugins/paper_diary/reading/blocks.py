"""A note's block structure as CommonMark and GitHub see it, handed to Python-Markdown made explicit.

Notes are written for GitHub and Obsidian, which follow CommonMark (plus GFM tables): a list may follow a paragraph
line directly, be indented by 1-3 spaces, or nest by 2 spaces or a tab. Python-Markdown, which MkDocs and Material's
extensions run on, wants a blank line before every block and 4 spaces per level. So markdown-it-py (a CommonMark
parser) decides where each block starts and how deep it is, and `normalise` writes the same blocks again the way
Python-Markdown reads them: a blank line between blocks, 4 spaces per level, `> ` per quote. Code is copied from
the parser's own reading of it (tabs as 4 spaces, as Python-Markdown reads every note), in a fence none of its
lines can close; the text of paragraphs and headings is passed on as written, for Python-Markdown's inline
extensions (links, emphasis, math, marks), with two changes GitHub makes: bare addresses become links
(autolink.py), and a paragraph's line shaped like a link reference definition stays text (one cannot interrupt a
paragraph).

Obsidian's callouts (`> [!note] Title`) become Material's admonitions (`!!! note "Title"`, `???` when foldable).
Where Obsidian departs from CommonMark, Obsidian wins; the differences that remain are listed, with their reasons,
in tests/commonmark/differences.yaml.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

from paper_diary.reading import mathtex
from paper_diary.reading.autolink import linkify

INDENT = "    "  # one level for Python-Markdown (tab_length 4)
EMPTY = "<!-- -->"  # nothing, where Python-Markdown needs a line: an empty list item, between two lists
SIDE_BY_SIDE = {"bullet_list": "list", "ordered_list": "list", "blockquote": "quote"}  # Python-Markdown joins them
# An info string superfences reads: a language, then its own options (anything else makes it no fence at all).
FENCE_INFO = re.compile(r"^[\w#.+-]*(?:[ \t]+[\w-]+=(?:\"[^\"]*\"|'[^']*'|\S+))*[ \t]*$|^\{.*\}$")
# What Python-Markdown would read as the start of another block if a paragraph's line began with it, although
# CommonMark kept it as text: escaped with a backslash (`\#5`, `\>`), which renders as the character itself.
PARAGRAPH_LINE_STARTS = re.compile(r"#|>|\d+[.)](?=[ \t]|$)|[-*+](?=[ \t]|$)|([-*_])(?:[ \t]*\1){2,}[ \t]*$")
HARD_BREAK = re.compile(r"(?<!\\)(?:\\\\)*\\$")  # an odd number of backslashes ends the line
BLOCK_START_CHARACTERS = frozenset("#>-*+_=0123456789")  # the first characters of the two patterns around
SETEXT_LINE = re.compile(r"(=+|-+)[ \t]*$")  # under a paragraph's line, Python-Markdown makes it a heading
# A paragraph's line Python-Markdown would take for a link reference definition (and drop), although CommonMark
# kept it as text: one cannot interrupt a paragraph. Its colon is written `&#58;`.
REFERENCE_LIKE = re.compile(r"\[[^\[\]]*\]:")
CALLOUT = re.compile(r"^\[!([^\]\n]*)\]([-+]?)[ \t]*(.*)$")
CALLOUT_ALIASES = {"summary": "abstract", "tldr": "abstract", "hint": "tip", "important": "tip",
                   "check": "success", "done": "success", "help": "question", "faq": "question",
                   "caution": "warning", "attention": "warning", "fail": "failure", "missing": "failure",
                   "error": "danger", "cite": "quote"}
# A block rule can only match where its first characters are: a parser without the rules a note cannot use is
# tried on every line for less (a fifth of the parse, on the benchmark's notes).
RULE_NEEDS = {"table": "|", "math_block": "$$", "admonition": ("!!!", "???"), "fence": ("```", "~~~"),
              "blockquote": ">", "footnote_def": "[^", "reference": "]:", "html_block": "<", "heading": "#"}


class _Lines(StateBlock):
    """markdown-it's block state, its line table made a line at a time (its own loop visits every character,
    which took half the parse)."""

    def __init__(self, src: str, md: MarkdownIt, env: dict, tokens: list) -> None:
        super().__init__("", md, env, tokens)
        self.src = src
        lines = src.split("\n")
        if not lines[-1].strip(" \t"):  # as markdown-it: no line after the last newline, nor a last blank one
            lines.pop()
        begin, end, shift, count = [], [], [], []
        start = 0
        for line in lines:
            indent = len(line) - len(line.lstrip(" \t"))
            width = indent
            if "\t" in line[:indent]:
                width = 0
                for ch in line[:indent]:
                    width += 4 - width % 4 if ch == "\t" else 1
            begin.append(start)
            end.append(start + len(line))
            shift.append(indent)
            count.append(width)
            start += len(line) + 1
        length = len(src)
        self.bMarks, self.eMarks = begin + [length], end + [length]
        self.tShift, self.sCount = shift + [0], count + [0]
        self.bsCount = [0] * (len(lines) + 1)
        self.lineMax = len(lines)


class _Node:
    """A block: its opening (or only) token, and the blocks inside it."""

    __slots__ = ("token", "type", "children")

    def __init__(self, token, kind: str) -> None:
        self.token, self.type, self.children = token, kind, []

    def __getattr__(self, name: str):  # content, info, markup, attrs, meta, hidden, tag: the token's
        return getattr(self.token, name)


def _tree(tokens: list) -> list[_Node]:
    """The token stream as a tree (markdown-it's own SyntaxTreeNode does more, and took a fifth of the time)."""
    root = _Node(None, "root")
    stack = [root]
    for token in tokens:
        if token.nesting == 1:
            node = _Node(token, token.type[:-5])  # `bullet_list_open` -> bullet_list
            stack[-1].children.append(node)
            stack.append(node)
        elif token.nesting == -1:
            stack.pop()
        else:
            stack[-1].children.append(_Node(token, token.type))
    return root.children


def _parse_blocks(src: str, md: MarkdownIt, env: dict, tokens: list) -> list | None:
    if not src:
        return None
    state = _Lines(src, md, env, tokens)
    md.block.tokenize(state, state.line, state.lineMax)
    return state.tokens


def _make_parser(unused: frozenset[str] = frozenset()) -> MarkdownIt:
    # Block syntax a note may hold that a CommonMark parser would otherwise break apart: `$$` math (arithmatex),
    # `!!! note` admonitions, `[^1]:` footnotes (Python-Markdown's footnotes extension).
    parser = (MarkdownIt("commonmark", {"maxNesting": 100}).enable(["table", "strikethrough"])
              .use(dollarmath_plugin, allow_space=True, allow_digits=True, double_inline=True)
              .use(admon_plugin).use(footnote_plugin))
    parser.core.ruler.disable(["footnote_tail",  # keep each footnote where it is written
                               "inline"])  # only blocks are needed: their text goes to Python-Markdown as written
    if unused:
        parser.block.ruler.disable(sorted(unused))
    parser.block.parse = _parse_blocks  # this parser only
    return parser


_parser = _make_parser()
_parsers: dict[frozenset[str], MarkdownIt] = {}


def _parser_for(text: str) -> MarkdownIt:
    unused = frozenset(rule for rule, needs in RULE_NEEDS.items()
                       if not any(n in text for n in ((needs,) if isinstance(needs, str) else needs)))
    if unused not in _parsers:
        _parsers[unused] = _make_parser(unused)
    return _parsers[unused]


def normalise(text: str) -> str:
    """`text`'s blocks, with the structure CommonMark gives them, written for Python-Markdown."""
    env: dict = {}
    out = _Writer(env)
    out.blocks(_tree(_parser_for(text).parse(text, env)), "")
    for label, ref in env.get("references", {}).items():  # read by CommonMark wherever they are: put them last
        title = ' "' + ref["title"].replace('"', "&quot;") + '"' if ref.get("title") else ""
        out.block([f"[{_label(label, text, ref)}]: <{ref['href']}>{title}"], "")
    return "\n".join(out.lines).rstrip("\n") + "\n"


def _label(label: str, text: str, ref: dict) -> str:
    """A reference's label as written (CommonMark keeps it upper-cased), from its line."""
    lines = text.split("\n")
    start = ref.get("map", [0])[0]
    m = re.search(r"\[((?:[^\]\\]|\\.)+)\]:", "\n".join(lines[start:start + 3]))
    return m.group(1) if m else label


class _Writer:
    def __init__(self, env: dict) -> None:
        self.lines: list[str] = []
        self.env = env  # the parser's: the note's reference definitions, once it is parsed

    def block(self, lines: list[str], indent: str, first: str | None = None, gap: bool = True) -> None:
        """Add a block's lines, each after `indent` (the first after `first`, when given), after a blank line."""
        if gap and self.lines and self.lines[-1].strip(" >"):
            self.lines.append(indent.rstrip())
        for i, line in enumerate(lines):
            lead = first if i == 0 and first is not None else indent
            self.lines.append((lead + line) if line else lead.rstrip())

    def blocks(self, nodes: list[_Node], indent: str, first: str | None = None,
               tight: bool = False, gap: bool = True) -> None:
        previous = None
        for node in nodes:
            if node.type == "admonition_title":
                continue
            kind = "callout" if node.type == "blockquote" and _callout(node) else node.type
            # In a tight list a paragraph runs on into the list under it, as Python-Markdown reads it.
            if previous is not None:
                gap = not (tight and previous == "paragraph" and kind.endswith("_list"))
            if previous is not None and SIDE_BY_SIDE.get(previous, 0) == SIDE_BY_SIDE.get(kind, 1):
                self.block([EMPTY], indent)  # two lists (or quotes) side by side stay two
            self.node(node, indent, first, gap)
            first, previous = None, kind

    def node(self, node: _Node, indent: str, first: str | None, gap: bool) -> None:
        kind = node.type
        if kind == "paragraph":
            self.block(_paragraph(mathtex.protect(node.children[0].content), self.env), indent, first, gap)
        elif kind == "heading":
            text = mathtex.protect(" ".join(line.strip() for line in node.children[0].content.split("\n")))
            text = linkify(text, self.env.get("references"))
            text += " " if text.endswith("\\") else ""  # `Foo\` stays a heading: a space after the backslash
            self.block(["#" * int(node.tag[1]) + (" " + text if text else "")], indent, first)
        elif kind == "hr":
            self.block(["* * *"], indent, first)
        elif kind in ("fence", "code_block"):  # ```math and ```mermaid: tokens (see mathtex.py)
            made = mathtex.fenced(node.info, node.content) if kind == "fence" else None
            self.block([made] if made else _fence(node), indent, first)
        elif kind == "math_block":
            self.block([mathtex.token(node.content.strip("\n"), True)], indent, first)
        elif kind == "html_block":
            self.block(node.content.rstrip("\n").split("\n"), indent, first)
        elif kind == "table":
            self.block(_table(node, self.env), indent, first)
        elif kind == "blockquote":
            self.quote(node, indent, first)
        elif kind in ("bullet_list", "ordered_list"):
            self.list(node, indent, first, gap)
        elif kind == "admonition":
            self.block([node.markup + node.info.rstrip()], indent, first)
            self.blocks(node.children, indent + INDENT)
        elif kind == "footnote_reference":
            self._item(node, indent, first, f"[^{node.meta['label']}]: ", tight=False, gap=True)
        else:  # a construct this writer does not know: its text, as a paragraph
            self.block([node.content or ""], indent, first)

    def quote(self, node: _Node, indent: str, first: str | None) -> None:
        children = list(node.children)
        head = children[0] if children else None
        m = _callout(node)
        if m is None:
            # Written apart, then prefixed: Python-Markdown strips `> ` and reads the rest again.
            inner = _Writer(self.env)
            inner.blocks(children, "")
            lines = [">" + (" " + line if line else "") for line in inner.lines or [""]]
            self.block(lines[:1], indent, first)
            self.lines.extend(indent + line for line in lines[1:])
            return
        # An Obsidian callout: `> [!type]- Title` is Material's `??? type "Title"`.
        kind, fold, title = m.group(1), m.group(2), m.group(3).strip()
        title = mathtex.protect(title) if mathtex.spans(title) else title  # `> [!note] The loss $\mathcal{L}$`
        name, _, flavour = kind.partition("|")
        name = name.strip().lower()
        shown = re.sub(r"[^\w-]", "", CALLOUT_ALIASES.get(name, name)) or "note"
        if not title and shown != name:
            title = name.capitalize()
        extra = {"inline": " inline", "left": " inline", "inline end": " inline end",
                 "right": " inline end"}.get(flavour.strip().lower(), "")
        title = ' ""' if title in ('""', "''") else (' "' + title.replace('"', "'") + '"' if title else "")
        self.block([{"-": "???", "+": "???+"}.get(fold, "!!!") + f" {shown}{extra}{title}"], indent, first)
        rest = head.children[0].content.split("\n")[1:]
        if rest:
            self.block(_paragraph(mathtex.protect("\n".join(rest)), self.env), indent + INDENT)
        self.blocks(children[1:], indent + INDENT)

    def list(self, node: _Node, indent: str, first: str | None, gap: bool) -> None:
        tight = all(p.hidden for item in node.children for p in item.children if p.type == "paragraph")
        number = int(node.attrs.get("start", 1)) if node.type == "ordered_list" else 0
        start = len(self.lines)
        for i, item in enumerate(node.children):
            marker = f"{number + i}. " if node.type == "ordered_list" else "- "
            lead = first if i == 0 and first is not None else indent
            # An item runs on from the one before only if that one is a single block to Python-Markdown.
            ran_on = all(line.strip() for line in self.lines[start + 1:])
            start = len(self.lines)
            self._item(item, indent, lead, marker, tight, gap=gap if i == 0 else not (tight and ran_on))

    def _item(self, item: _Node, indent: str, lead: str | None, marker: str, tight: bool,
              gap: bool) -> None:
        lead = (indent if lead is None else lead) + marker
        inner = indent + INDENT
        children = list(item.children)
        if not children or children[0].type not in ("paragraph", "heading", "hr"):
            # Python-Markdown reads a list item's first line as text: a code block or a list starts below it.
            self.block([EMPTY], indent, lead, gap)
            self.blocks(children, inner, None, tight)
            return
        self.blocks(children, inner, lead, tight, gap)


def _callout(quote: _Node) -> re.Match | None:
    head = quote.children[0] if quote.children else None
    return CALLOUT.match(head.children[0].content.split("\n")[0]) if head and head.type == "paragraph" else None


def _paragraph(content: str, env: dict) -> list[str]:
    """A paragraph's lines, none of which Python-Markdown can take for the start of another block, its bare
    addresses written as links."""
    split = linkify(content, env.get("references")).split("\n")
    last = len(split) - 1
    lines = []
    for i, line in enumerate(split):
        text = line.lstrip(" \t")  # CommonMark drops a paragraph line's indent; for Python-Markdown it is code
        if i < last and text.endswith("\\") and HARD_BREAK.search(text) and \
                "\n".join(split[:i + 1]).count("`") % 2 == 0:  # (not in a code span)
            text = text[:-1] + "  "  # a backslash before the line's end is a hard break (two spaces to Python-Markdown)
        if text[:1] == "[" and (m := REFERENCE_LIKE.match(text)):
            text = text[:m.end() - 1] + "&#58;" + text[m.end():]
        if text[:1] not in BLOCK_START_CHARACTERS:
            pass
        elif i and SETEXT_LINE.match(text):
            text = "&#" + str(ord(text[0])) + ";" + text[1:]
        elif PARAGRAPH_LINE_STARTS.match(text):
            text = re.sub(r"^(\d+)([.)])", r"\1\\\2", text) if text[0].isdigit() else "\\" + text
        lines.append(text)
    return lines


def _fence(node: _Node) -> list[str]:
    """A code block as a fence that no line of the code can close, its content exactly as CommonMark read it."""
    content = node.content[:-1] if node.content.endswith("\n") else node.content
    # Python-Markdown expands every tab (to 4 columns) before reading a note: measured from the code's own line
    # start, not from the `> ` or list indent around it, the code keeps its shape.
    content = content.expandtabs(4) if "\t" in content else content
    char = node.markup[0] if node.type == "fence" and node.markup else "`"
    if char == "`" and "`" in node.info:
        char = "~"
    runs = [len(m.group(0)) for m in re.finditer(rf"^[ \t]*{re.escape(char)}+", content, re.M)]
    fence = char * max(3, len(node.markup) if node.type == "fence" else 3, *(n + 1 for n in runs))
    info = node.info.strip() if node.type == "fence" else ""
    if not FENCE_INFO.match(info):
        info = re.match(r"[\w#.+-]*", info).group(0)  # `ruby startline=3 $%@#$`: the language
    return [fence + info, *(content.split("\n") if node.content else []), fence]


def _table(node: _Node, env: dict) -> list[str]:
    rows, align = [], []
    for part in node.children:
        for row in part.children:
            cells = []
            for cell in row.children:
                text = linkify(mathtex.protect(cell.children[0].content), env.get("references")) \
                    if cell.children else ""
                cells.append(re.sub(r"(?<!\\)\|", r"\\|", text) if "|" in text else text)
                if part.type == "thead":
                    style = cell.attrs.get("style", "")
                    align.append({"text-align:left": ":---", "text-align:center": ":---:",
                                  "text-align:right": "---:"}.get(style, "---"))
            rows.append("| " + " | ".join(cells) + " |")
            if part.type == "thead":
                rows.append("| " + " | ".join(align) + " |")
    return rows
