"""Lesson pages are written in Markdown and shown as sanitised HTML.

Two well-kept libraries, two layers:
1. markdown-it-py (CommonMark) turns the text into HTML with raw HTML switched off, so a typed
   `<script>` or `<iframe>` stays visible text. Its own link check already refuses
   `javascript:`, `vbscript:`, `file:` and `data:` links. Here, headings move one level down (the
   page title is the only `<h1>`), and an image is kept only when it is one of the item's own
   uploads or an https address; any other image becomes its description in plain text. An own
   image without a description gets the one given when it was uploaded.
2. nh3 (ammonia) cleans the result against a short allow-list of tags and attributes, with only
   http, https and mailto links (relative links for the item's own images). Should the first
   layer ever let something through, the second drops it.

`render_markdown` is the only way lesson text reaches a page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "del",
    "s",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"scope"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Removed together with everything inside them, should they reach the cleaner at all.
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "svg", "math", "template"}


def image_prefix(item_uuid: Any) -> str:
    """The path under which an item's own uploaded images are served (see views_lessons)."""
    from django.urls import reverse

    marker = "00000000-0000-0000-0000-000000000000"
    url = reverse("learning:lesson-image", args=[item_uuid, marker])
    return url.split(marker, 1)[0]


def _image_allowed(src: str, own_prefix: str) -> bool:
    if src.startswith("https://"):
        return True
    return bool(own_prefix) and src.startswith(own_prefix) and ".." not in src


def _parser(own_prefix: str, alt_texts: Mapping[str, str]) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable(
        ["table", "strikethrough"]
    )

    # Render rules are bound to the renderer: the first argument is the renderer itself.
    def heading_open(
        renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
    ) -> str:
        level = min(int(tokens[idx].tag[1]) + 1, 6)
        return f"<h{level}>"

    def heading_close(
        renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
    ) -> str:
        level = min(int(tokens[idx].tag[1]) + 1, 6)
        return f"</h{level}>\n"

    def image(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        token = tokens[idx]
        src = str(token.attrGet("src") or "")
        if not _image_allowed(src, own_prefix):
            alt = renderer.renderInlineAsText(token.children or [], options, env)
            return str(escape(alt))
        if not token.content and not token.children:
            stored = alt_texts.get(src.rstrip("/").rsplit("/", 1)[-1], "")
            if stored:
                token.content = stored
                token.children = [Token("text", "", 0, content=stored)]
        return str(renderer.image(tokens, idx, options, env))

    def th_open(renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        # A Markdown table has one header row: its cells head columns.
        tokens[idx].attrSet("scope", "col")
        return str(renderer.renderToken(tokens, idx, options, env))

    md.add_render_rule("th_open", th_open)
    md.add_render_rule("heading_open", heading_open)
    md.add_render_rule("heading_close", heading_close)
    md.add_render_rule("image", image)
    return md


def _attribute_filter(own_prefix: str) -> Any:
    def keep(element: str, attribute: str, value: str) -> str | None:
        if element == "img" and attribute == "src":
            return value if _image_allowed(value, own_prefix) else None
        # Relative links only to our own pages; no protocol-relative "//host" links.
        if element == "a" and attribute == "href" and value.startswith("//"):
            return None
        return value

    return keep


def sanitise(html: str, *, own_prefix: str = "") -> str:
    """The allow-list cleaner on its own (also the second layer of `render_markdown`)."""
    return str(
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            clean_content_tags=DROPPED_WITH_CONTENT,
            attributes=ALLOWED_ATTRIBUTES,
            attribute_filter=_attribute_filter(own_prefix),
            url_schemes=URL_SCHEMES,
            link_rel="noopener noreferrer nofollow",
            strip_comments=True,
        )
    )


def render_markdown(
    text: str, *, item_uuid: Any = None, alt_texts: Mapping[str, str] | None = None
) -> SafeString:
    """Markdown of a lesson page as HTML that is safe to show. `item_uuid` allows the item's own
    uploaded images; `alt_texts` maps an image's uuid to its stored description."""
    own_prefix = image_prefix(item_uuid) if item_uuid is not None else ""
    html = _parser(own_prefix, alt_texts or {}).render(text or "")
    return mark_safe(sanitise(html, own_prefix=own_prefix))  # noqa: S308 - cleaned by nh3 above
