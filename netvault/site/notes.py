"""A contact's notes and log lines as HTML: Markdown with ``[[wikilinks]]``
through markdown-it-py (raw HTML off), then the nh3 allow-list sanitiser.
Plain paragraphs skip the parser; other parts are rendered once per build."""

from __future__ import annotations

import re

import markupsafe
import nh3
from markdown_it import MarkdownIt

from ..values.wikilinks import parse_link
from .context import PersonLink, Site

_TAGS = {
    "a", "p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "span", "del", "s", "table", "thead", "tbody",
    "tr", "th", "td",
}
_ATTRIBUTES = {"a": {"href", "title"}, "span": {"class"}, "ol": {"start"}}


def _wikilink_rule(state, silent: bool) -> bool:
    """``[[Target]]`` / ``[[Target|label]]`` as one token, before link parsing."""
    src, pos = state.src, state.pos
    if not src.startswith("[[", pos):
        return False
    end = src.find("]]", pos + 2)
    if end < 0:
        return False
    inner = src[pos + 2 : end]
    if not inner.strip() or "\n" in inner or "[" in inner:
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.content = inner
    state.pos = end + 2
    return True


def parser(site: Site, root: str) -> MarkdownIt:
    """The Markdown parser for pages at ``root``, made once per build."""
    if root not in site._markdown:
        site._markdown[root] = _markdown(site, root)
    return site._markdown[root]


def _markdown(site: Site, root: str) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table").enable("strikethrough")
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)

    def render_wikilink(renderer, tokens, index, options, env) -> str:
        link = parse_link("[[" + tokens[index].content + "]]")
        if link is None:
            return markupsafe.escape("[[" + tokens[index].content + "]]")
        shown = PersonLink(link.text)
        contact = site.resolve(link.target)
        if contact is not None:
            shown = PersonLink(link.label or contact.name, site.href(contact, root))
        text = markupsafe.escape(shown.text)
        if shown.href is None:
            return f'<span class="unresolved">{text}</span>'
        return f'<a href="{markupsafe.escape(shown.href)}">{text}</a>'

    md.add_render_rule("wikilink", render_wikilink)
    return md


def sanitise(html: str) -> markupsafe.Markup:
    """Only an allow-list of tags and attributes; links only to the web,
    e-mail, phone, or relative (the site's own pages)."""
    return markupsafe.Markup(
        nh3.clean(
            html,
            tags=_TAGS,
            attributes=_ATTRIBUTES,
            url_schemes={"http", "https", "mailto", "tel"},
            link_rel="noopener noreferrer nofollow",
            strip_comments=True,
        )
    )


# Text that Markdown leaves as it is: lines of words and plain punctuation,
# each starting with a letter (so never a list, heading, quote, code block or
# table), ending without a space (so never a hard break), with no character
# that starts emphasis, code, a link, an entity or HTML.  For these markdown-it
# and the sanitiser give ``<p>lines</p>`` per paragraph and the text itself
# inline; tests/test_site_incremental.py checks that against them.
_PLAIN_LINE = re.compile(r"[A-Za-z](?:[A-Za-z0-9 ,.;:!?'()/-]*[A-Za-z0-9,.;:!?'()/-])?")
_PLAIN_INLINE = re.compile(r"[A-Za-z0-9 ,.;:!?'()/-]*")
_BLANK_LINE = re.compile(r"[ \t]*")


def notes_chunks(text: str) -> list[tuple[bool, str]] | None:
    """``text`` cut where Markdown cannot carry anything across: (plain, part)
    pairs, a plain part being one paragraph of plain lines (``_PLAIN_LINE``)
    between blank lines, the rest runs of other blocks.  A paragraph starting
    with a letter after a blank line ends any list, quote or indented code
    before it.  None for text where one part can change another: a fence
    (open until closed, blank lines or not), a link definition (``]:``), a
    carriage return (another line break to the parser)."""
    if "```" in text or "~~~" in text or "]:" in text or "\r" in text:
        return None
    blocks: list[tuple[bool, list[str]]] = []  # runs of lines between blank lines
    current: list[str] | None = None
    for line in text.split("\n"):
        if _BLANK_LINE.fullmatch(line):
            current = None
            continue
        if current is None:
            current = []
            blocks.append((True, current))
        current.append(line)
    chunks: list[tuple[bool, str]] = []
    other: list[str] = []
    for _, lines in blocks:
        if all(_PLAIN_LINE.fullmatch(line) for line in lines):
            if other:
                chunks.append((False, "\n\n".join(other) + "\n"))
                other = []
            chunks.append((True, "\n".join(lines)))
        else:
            other.append("\n".join(lines))
    if other:
        chunks.append((False, "\n\n".join(other) + "\n"))
    return chunks


def render_notes(text: str, site: Site, root: str) -> markupsafe.Markup:
    """A contact's notes as HTML.  Their headings start at <h3>, below the
    page's own <h1> and <h2>, so the outline stays in order.

    Plain paragraphs are written without the parser; the other parts are
    rendered once per build however many notes hold them."""
    if not text.strip():
        return markupsafe.Markup("")
    chunks = notes_chunks(text)
    if chunks is None:
        return site.rendered("notes", root, text, lambda: _render_notes(text, site, root))
    html = []
    for plain, part in chunks:
        if plain:
            html.append("<p>" + part + "</p>\n")
        else:
            html.append(site.rendered("notes", root, part, lambda: _render_notes(part, site, root)))
    return markupsafe.Markup("".join(html))


def _render_notes(text: str, site: Site, root: str) -> markupsafe.Markup:
    md = parser(site, root)
    env: dict = {}
    tokens = md.parse(text, env)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + 2)}"
    return sanitise(md.renderer.render(tokens, md.options, env))


def render_inline(text: str, site: Site, root: str) -> markupsafe.Markup:
    return site.rendered("inline", root, text, lambda: _render_inline(text, site, root))


def _render_inline(text: str, site: Site, root: str) -> markupsafe.Markup:
    if _PLAIN_INLINE.fullmatch(text) and text == text.strip():
        return markupsafe.Markup(text)
    return sanitise(parser(site, root).renderInline(text))
