"""User-written Markdown cannot inject script: a corpus of XSS payloads goes through the lesson
renderer, and the HTML that comes out is parsed and checked against the allow-list."""

from __future__ import annotations

import uuid
from html.parser import HTMLParser

import pytest

from gilde.learning.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown, sanitise

ITEM = uuid.UUID("12345678-1234-5678-1234-567812345678")
OWN = f"/learning/lessons/{ITEM}/images/87654321-4321-8765-4321-876543218765/"

PAYLOADS = [
    # script tags, in every disguise
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>alert(1)//<</script>",
    "```html\n<script>alert(1)</script>\n```",
    "<script\x20type='text/javascript'>alert(1);</script>",
    "text <!-- <script>alert(1)</script> --> more",
    # event handlers
    "<img src=x onerror=alert(1)>",
    '<img src="https://ok.example/a.png" onerror="alert(1)">',
    "<body onload=alert(1)>",
    '<a href="https://ok.example" onmouseover="alert(1)">x</a>',
    "<div onclick=alert(1)>click</div>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    '![x](https://ok.example/a.png "title" onerror=alert(1))',
    '![x" onerror="alert(1)](https://ok.example/a.png)',
    # javascript: URLs
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](  javascript:alert(1))",
    "[click]( javascript:alert(1) )",
    "<javascript:alert(1)>",
    "[click][ref]\n\n[ref]: javascript:alert(1)",
    "![img](javascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](file:///etc/passwd)",
    # data: URLs
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![img](data:image/png;base64,iVBORw0KGgo=)",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    # SVG and MathML
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><script>alert(1)</script></mtext></math>",
    "![svg](https://evil.example/x.svg)",
    # style
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="width: expression(alert(1))">x</div>',
    "<link rel=stylesheet href=https://evil.example/x.css>",
    # iframes, objects, forms, meta
    "<iframe src=https://evil.example></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<object data=https://evil.example/x.swf></object>",
    "<embed src=https://evil.example/x.swf>",
    '<form action="https://evil.example"><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<base href=https://evil.example/>",
    # entity tricks
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "\\<script>alert(1)\\</script>",
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>",
    "[x](&#x6A;avascript:alert(1))",
    # nested markdown links
    "[[click](javascript:alert(1))](https://ok.example)",
    "[![img](https://ok.example/a.png)](javascript:alert(1))",
    "[a](https://ok.example/[b](javascript:alert(1)))",
    "[x](<javascript:alert(1)>)",
    '[x](https://ok.example "t" onclick=alert(1))',
    "[x]: https://ok.example\n[x](javascript:alert(1))",
    # protocol-relative and other hosts' images
    "[x](//evil.example/steal)",
    "![img](http://evil.example/x.png)",
    "![img](/media/other-lesson/x.png)",
    f"![img]({OWN}../../../admin/)",
]

SAFE_SCHEMES = ("https://", "http://", "mailto:")


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def problems_in(html: str) -> list[str]:
    parser = Collector()
    parser.feed(html)
    parser.close()
    found = []
    for tag, attrs in parser.tags:
        if tag not in ALLOWED_TAGS:
            found.append(f"tag <{tag}>")
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        for name, value in attrs.items():
            if name not in allowed:
                found.append(f"attribute {name} on <{tag}>")
            if name in {"href", "src"}:
                plain = "".join(value.split()).lower()
                if ":" in plain.split("/", 1)[0] and not plain.startswith(SAFE_SCHEMES):
                    found.append(f"{name}={value!r}")
                if plain.startswith("//"):
                    found.append(f"protocol-relative {name}={value!r}")
        if tag == "img" and "src" in attrs:
            # An <img> left without its address loads nothing.
            src = attrs["src"]
            if not (src.startswith("https://") or src.startswith(OWN)) or ".." in src:
                found.append(f"image from elsewhere: {src!r}")
    return found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_survives_the_renderer(payload: str) -> None:
    html = str(render_markdown(payload, item_uuid=ITEM))
    assert problems_in(html) == [], html
    lowered = html.lower()
    assert "<script" not in lowered
    assert "<svg" not in lowered and "<iframe" not in lowered and "<style" not in lowered


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_survives_the_cleaner_on_its_own(payload: str) -> None:
    # Should the Markdown layer ever pass raw HTML through, the allow-list still holds.
    html = sanitise(payload, own_prefix=f"/learning/lessons/{ITEM}/images/")
    assert problems_in(html) == [], html
    assert "<script" not in html.lower()


def test_ordinary_markdown_keeps_its_meaning() -> None:
    text = (
        "# Kop\n\nTekst met **vet**, *schuin* en een [link](https://example.org).\n\n"
        "- een\n- twee\n\n| Stap | Wat |\n|---|---|\n| 1 | Inloggen |\n\n"
        f"![Het kassascherm]({OWN})\n\n![Foto](https://example.org/foto.jpg)"
    )
    html = str(render_markdown(text, item_uuid=ITEM))
    # The page title is the page's only h1: Markdown headings start at h2.
    assert "<h2>Kop</h2>" in html and "<h1" not in html
    assert "<strong>vet</strong>" in html and "<em>schuin</em>" in html
    assert 'href="https://example.org"' in html and 'rel="noopener noreferrer nofollow"' in html
    assert '<th scope="col">Stap</th>' in html
    assert f'src="{OWN}"' in html and 'alt="Het kassascherm"' in html
    assert 'src="https://example.org/foto.jpg"' in html


def test_an_image_from_elsewhere_becomes_its_description() -> None:
    html = str(render_markdown("![Logo van de bank](http://evil.example/x.png)", item_uuid=ITEM))
    assert "<img" not in html and "Logo van de bank" in html


def test_an_own_image_without_description_gets_the_stored_one() -> None:
    image_id = OWN.rstrip("/").rsplit("/", 1)[1]
    html = str(render_markdown(f"![]({OWN})", item_uuid=ITEM, alt_texts={image_id: "De kassa-app"}))
    assert 'alt="De kassa-app"' in html


def test_another_lessons_image_is_not_shown() -> None:
    other = uuid.uuid4()
    source = f"![x](/learning/lessons/{other}/images/{uuid.uuid4()}/)"
    html = str(render_markdown(source, item_uuid=ITEM))
    assert "<img" not in html
