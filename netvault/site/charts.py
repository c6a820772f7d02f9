"""The network page's charts as inline SVG: the funnel, origins, interactions
per month and who knows whom.

SVG is built from escaped parts only: every value that comes from the vault
passes through ``_text`` (one printable line, then ``html.escape`` with
quotes), and only the finished string is marked safe for the template.
"""

from __future__ import annotations

import html

from ..playbook.funnel import NO_CIRCLE
from ..read.settings import CIRCLES
from ..values.problems import printable
from .network import NetworkModel


def _text(value: object) -> str:
    """A vault value as SVG/HTML text: one printable line, then escaped."""
    return html.escape(printable(str(value)), quote=True)


def _num(value: float) -> str:
    text = f"{value + 0.0:.1f}" if value else "0"  # never "-0"
    return text.removesuffix(".0")


def _open_svg(ident: str, width: float, height: float, title: str, desc: str, view: str | None = None) -> list[str]:
    box = view or f"0 0 {_num(width)} {_num(height)}"
    return [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="nv-chart" id="{ident}" viewBox="{box}" '
            f'role="img" aria-labelledby="{ident}-title {ident}-desc">'
        ),
        f'<title id="{ident}-title">{_text(title)}</title>',
        f'<desc id="{ident}-desc">{_text(desc)}</desc>',
    ]


def _listing(counts) -> str:
    return "; ".join(f"{c.label}: {c.count}" for c in counts)


def funnel_svg(model: NetworkModel) -> str:
    """The circles as a funnel: cold at the top, buddies at the bottom, each
    bar as wide as its share of the widest, centred."""
    width, row, top = 600.0, 34.0, 10.0
    rows = list(model.circles)
    height = top * 2 + row * len(rows)
    most = max((c.count for c in rows), default=0) or 1
    parts = _open_svg(
        "nv-funnel",
        width,
        height,
        "People in each circle",
        f"From cold to buddy, then no circle. {_listing(rows)}.",
    )
    label_w, bar_w = 130.0, width - 130.0 - 60.0
    for i, count in enumerate(rows):
        y = top + i * row
        w = max(bar_w * count.count / most, 2.0 if count.count else 0.0)
        x = label_w + (bar_w - w) / 2
        cls = _css_class(count.key)
        parts.append(f'<g class="nv-row {cls}" aria-label="{_text(count.label)}: {count.count}">')
        parts.append(
            f'<text x="{_num(label_w - 8)}" y="{_num(y + row / 2)}" text-anchor="end" '
            f'dominant-baseline="middle">{_text(count.label)}</text>'
        )
        if w:
            parts.append(
                f'<rect class="nv-bar" x="{_num(x)}" y="{_num(y + 4)}" width="{_num(w)}" '
                f'height="{_num(row - 8)}" rx="3"/>'
            )
        parts.append(
            f'<text class="nv-value" x="{_num(label_w + bar_w + 8)}" y="{_num(y + row / 2)}" '
            f'dominant-baseline="middle">{count.count}</text>'
        )
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


def origins_svg(model: NetworkModel) -> str:
    """Horizontal bars, one per origin, most people first."""
    width, row, top = 600.0, 24.0, 8.0
    rows = list(model.origins)
    height = top * 2 + row * max(len(rows), 1)
    most = max((c.count for c in rows), default=0) or 1
    parts = _open_svg(
        "nv-origins",
        width,
        height,
        "People by origin",
        f"Where people in the network come from. {_listing(rows) or 'Nobody yet'}.",
    )
    label_w, bar_w = 200.0, width - 200.0 - 50.0
    for i, count in enumerate(rows):
        y = top + i * row
        w = bar_w * count.count / most
        parts.append(f'<g class="nv-row" aria-label="{_text(count.label)}: {count.count}">')
        parts.append(
            f'<text x="{_num(label_w - 8)}" y="{_num(y + row / 2)}" text-anchor="end" '
            f'dominant-baseline="middle">{_text(_shorten(count.label, 28))}</text>'
        )
        parts.append(
            f'<rect class="nv-bar" x="{_num(label_w)}" y="{_num(y + 3)}" width="{_num(w)}" '
            f'height="{_num(row - 6)}" rx="2"/>'
        )
        parts.append(
            f'<text class="nv-value" x="{_num(label_w + w + 6)}" y="{_num(y + row / 2)}" '
            f'dominant-baseline="middle">{count.count}</text>'
        )
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


def months_svg(model: NetworkModel) -> str:
    """Interactions per calendar month, oldest on the left."""
    width, height = 600.0, 220.0
    left, right, top, bottom = 30.0, 10.0, 20.0, 36.0
    months = list(model.months)
    most = max((m.total for m in months), default=0) or 1
    total = sum(m.total for m in months)
    first = months[0].label if months else ""
    last = months[-1].label if months else ""
    parts = _open_svg(
        "nv-months",
        width,
        height,
        "Interactions per month",
        f"{total} interactions from {first} to {last}. "
        + "; ".join(f"{m.label}: {m.total}" for m in months)
        + ".",
    )
    plot_w, plot_h = width - left - right, height - top - bottom
    slot = plot_w / max(len(months), 1)
    base = top + plot_h
    parts.append(
        f'<line class="nv-axis" x1="{_num(left)}" y1="{_num(base)}" x2="{_num(width - right)}" y2="{_num(base)}"/>'
    )
    for i, m in enumerate(months):
        x = left + i * slot
        h = plot_h * m.total / most
        parts.append(f'<g class="nv-row" aria-label="{m.label}: {m.total}">')
        if h:
            parts.append(
                f'<rect class="nv-bar" x="{_num(x + slot * 0.15)}" y="{_num(base - h)}" '
                f'width="{_num(slot * 0.7)}" height="{_num(h)}" rx="2"/>'
            )
        parts.append(
            f'<text class="nv-value" x="{_num(x + slot / 2)}" y="{_num(base - h - 5)}" '
            f'text-anchor="middle">{m.total}</text>'
        )
        name, year = m.label.split(" ")
        parts.append(
            f'<text x="{_num(x + slot / 2)}" y="{_num(base + 15)}" text-anchor="middle">{name}</text>'
        )
        if i == 0 or m.month.month == 1:
            parts.append(
                f'<text class="nv-year" x="{_num(x + slot / 2)}" y="{_num(base + 30)}" '
                f'text-anchor="middle">{year}</text>'
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


def graph_svg(model: NetworkModel) -> str:
    """Who knows whom: the circles as concentric rings around you (buddies
    innermost), people on their ring in order of name.  Only people with a
    link are drawn; only the best connected are named, the rest on hover."""
    graph = model.graph
    knows = sum(1 for e in graph.edges if e.kind == "knows")
    introduced = len(graph.edges) - knows
    desc = (
        f"{len(graph.nodes)} people with links, {knows} who-knows-whom links and "
        f"{introduced} introductions, drawn as rings by circle with buddies innermost. "
        "The same links are listed below the drawing."
    )
    if not graph.nodes:
        parts = _open_svg("nv-graph", 600, 60, "Who knows whom", "Nobody has knows or introduced_by links yet.")
        parts.append('<text x="300" y="35" text-anchor="middle">No links yet</text></svg>')
        return "\n".join(parts)
    half = graph.size / 2
    parts = _open_svg(
        "nv-graph", graph.size, graph.size, "Who knows whom", desc,
        view=f"{_num(-half)} {_num(-half)} {_num(graph.size)} {_num(graph.size)}",
    )
    parts.append(
        '<defs><marker id="nv-arrow" viewBox="0 0 10 10" refX="16" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" '
        'class="nv-arrowhead"/></marker></defs>'
    )
    for ring in graph.rings:
        parts.append(
            f'<circle class="nv-ring {_css_class(ring.circle)}" cx="0" cy="0" r="{_num(ring.radius)}"/>'
        )
        parts.append(
            f'<text class="nv-ring-label" x="0" y="{_num(-ring.radius - 6)}" '
            f'text-anchor="middle">{_text(ring.circle)}</text>'
        )
    parts.append('<text class="nv-you" x="0" y="0" text-anchor="middle" dominant-baseline="middle">you</text>')
    at = {n.path: n for n in graph.nodes}
    parts.append('<g class="nv-edges">')
    for edge in graph.edges:
        a, b = at[edge.source], at[edge.target]
        extra = ' marker-end="url(#nv-arrow)"' if edge.kind == "introduced" else ""
        parts.append(
            f'<line class="nv-edge nv-{edge.kind}" data-from="{_text(a.path)}" data-to="{_text(b.path)}" '
            f'x1="{_num(a.x)}" y1="{_num(a.y)}" x2="{_num(b.x)}" y2="{_num(b.y)}"{extra}/>'
        )
    parts.append("</g>")
    parts.append('<g class="nv-nodes">')
    for node in graph.nodes:
        parts.append(
            f'<a href="{_text(node.href)}" class="nv-node {_css_class(node.circle or NO_CIRCLE)}" '
            f'data-path="{_text(node.path)}" data-circle="{_text(node.circle or NO_CIRCLE)}" '
            f'aria-label="{_text(node.name)}">'
        )
        parts.append(f"<title>{_text(node.name)}</title>")
        parts.append(f'<circle cx="{_num(node.x)}" cy="{_num(node.y)}" r="6"/>')
        if node.labelled:
            right = node.x >= 0
            parts.append(
                f'<text x="{_num(node.x + (9 if right else -9))}" y="{_num(node.y)}" '
                f'text-anchor="{"start" if right else "end"}" dominant-baseline="middle">'
                f"{_text(_shorten(node.name, 24))}</text>"
            )
        parts.append("</a>")
    parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _css_class(circle: str) -> str:
    # circles are netvault's own words, never a user's text
    return "nv-" + (circle if circle in CIRCLES else "none")
