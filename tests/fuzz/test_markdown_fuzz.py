"""Lesson Markdown: whatever an author types (random text, and Markdown and HTML pieces put
together at random), the rendered page holds no script, no event handler attribute and no
javascript: (or other foreign-scheme) address, and only tags and attributes on the allow-list."""

from __future__ import annotations

import re
import uuid

from hypothesis import example, given
from hypothesis import strategies as st

from gilde.learning.markdown import render_markdown, sanitise
from tests.learning.test_markdown_xss import ITEM, OWN, PAYLOADS, Collector, problems_in

PIECES = [
    "<",
    ">",
    "</",
    "/>",
    '"',
    "'",
    "`",
    "```",
    "\n",
    "\n\n",
    " ",
    "\t",
    "&",
    "&#",
    "&#x",
    ";",
    ":",
    "//",
    "\\",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "[",
    "]",
    "(",
    ")",
    "![",
    "](",
    "<a href=",
    "<img src=",
    "<script>",
    "</script>",
    "script",
    "javascript:",
    "JaVaScRiPt:",
    "java\tscript:",
    "&#106;avascript:",
    "vbscript:",
    "data:text/html,",
    "data:image/svg+xml,",
    "alert(1)",
    " onerror=",
    " onload=",
    " onclick=",
    "onmouseover",
    " style=",
    "<svg",
    "<math",
    "<iframe",
    "<style>",
    "<object",
    "<form",
    "<base",
    "<meta",
    "<details open ontoggle=",
    "# ",
    "> ",
    "- ",
    "1. ",
    "| a | b |\n|---|---|\n",
    "**",
    "_",
    "https://ok.example/a.png",
    "http://evil.example/x",
    "mailto:x@example.org",
    OWN,
    "../",
    "%2e%2e/",
]

hostile = st.lists(st.sampled_from(PIECES) | st.text(max_size=8), max_size=40).map("".join)
markdown_text = st.one_of(st.text(max_size=300), hostile, st.sampled_from(PAYLOADS))

EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)


def check_safe(html: str) -> None:
    assert problems_in(html) == []
    assert "<script" not in html.lower()
    assert not EVENT_HANDLER.search(html)
    parser = Collector()
    parser.feed(html)
    parser.close()
    for _tag, attrs in parser.tags:
        for name, value in attrs.items():
            assert not name.lower().startswith("on")
            if name in ("href", "src"):
                plain = "".join(value.split()).lower()
                assert not plain.startswith(("javascript:", "vbscript:", "data:"))


@given(text=markdown_text, own=st.booleans())
@example(text="[x](java\tscript:alert(1))", own=False)
@example(text=f"![a]({OWN}x.png)<img src=x onerror=alert(1)>", own=True)
def test_rendered_markdown_is_safe_whatever_the_input(text: str, own: bool) -> None:
    html = str(render_markdown(text, item_uuid=ITEM if own else None))
    check_safe(html)


@given(html=hostile | st.sampled_from(PAYLOADS))
def test_the_cleaner_alone_makes_any_html_safe(html: str) -> None:
    check_safe(sanitise(html, own_prefix=OWN))


@given(words=st.lists(st.from_regex(r"[A-Za-z0-9À-ž]{1,12}", fullmatch=True), min_size=1))
def test_plain_words_come_through_as_they_were_written(words: list[str]) -> None:
    html = str(render_markdown(" ".join(words), item_uuid=uuid.uuid4()))
    assert html == "<p>" + " ".join(words) + "</p>\n"
