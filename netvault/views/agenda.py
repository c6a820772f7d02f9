"""The agenda as text, Markdown, HTML (through the templates) or JSON."""

from __future__ import annotations

from pathlib import Path

from ..playbook.agenda import Agenda
from .jsondoc import document_json

FORMATS = ("text", "markdown", "html", "json")
TEMPLATE_NAMES = {"text": "agenda.txt.j2", "markdown": "agenda.md.j2", "html": "agenda.html.j2"}


def render_agenda(
    agenda: Agenda,
    fmt: str,
    vault_root: Path | None = None,
    color: bool = False,
) -> str:
    if fmt == "json":
        return document_json(agenda.as_dict())
    if fmt not in TEMPLATE_NAMES:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    from .templates import environment, printable_output, render_template  # Jinja2: not for JSON

    finalize, style = printable_output(color)
    env = environment(vault_root, finalize)
    env.filters["style"] = style
    return render_template(
        env, TEMPLATE_NAMES[fmt], agenda=agenda, today=agenda.today, sections=agenda.sections
    )
