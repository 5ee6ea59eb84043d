"""Values from notes on their way into the theme's HTML.

MkDocs' and Material's templates print page meta without escaping (`<title>`, `<meta name="description">`,
the nav's subtitle and status): a note's `description: "><script>...` would run on every reader's screen.
So every text in a page's meta is escaped once, here, before the theme sees it.
"""

from __future__ import annotations

import html
import re
from typing import Any

# Meta keys the theme turns into template file names: only plain names, checked against the theme by the plugin.
TEMPLATE_KEYS = {"template": "{}", "icon": ".icons/{}.svg"}
PLAIN_NAME = re.compile(r"^[\w][\w.-]*(?:/[\w][\w.-]*)*$")


def theme_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """`meta` with every text escaped for HTML (in lists and mappings too); numbers, dates, booleans kept."""
    return {key: (value if key in TEMPLATE_KEYS else _escape(value)) for key, value in meta.items()}


def _escape(value: Any) -> Any:
    if isinstance(value, str):
        return html.escape(value)
    if isinstance(value, list):
        return [_escape(v) for v in value]
    if isinstance(value, dict):
        return {k: _escape(v) for k, v in value.items()}
    return value


def template_name(key: str, value: Any) -> str | None:
    """The theme template a meta `key` (template, icon) names, or None when it is not a plain name."""
    if not isinstance(value, str) or not PLAIN_NAME.match(value) or ".." in value:
        return None
    return TEMPLATE_KEYS[key].format(value)
