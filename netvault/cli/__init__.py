"""The ``netvault`` command: a thin click layer over the library.

One module per group of commands; :mod:`.options` holds what they share.
Only this package talks to the terminal, reads the clock or the environment.
"""

from __future__ import annotations

import re

import click

from .. import __version__
from . import adopt, announce, create, edit, goals, people, playbook, site, view, watch


class NetvaultGroup(click.Group):
    """Refuses arguments that are not valid text before any command runs."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        for arg in args:
            if _SURROGATE.search(arg):
                raw = arg.encode("utf-8", "surrogateescape")
                raise click.UsageError(
                    f"the argument {raw!r} is not UTF-8 text; netvault takes names and "
                    "values as UTF-8 (check the terminal's encoding)",
                    ctx,
                )
        return super().parse_args(ctx, args)


_SURROGATE = re.compile("[\ud800-\udfff]")


@click.group(cls=NetvaultGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="netvault")
def main() -> None:
    """netvault: a personal CRM for career networking that lives in plain text.

    Each person is a Markdown file with YAML frontmatter in a folder (the
    vault). netvault reads it and tells you who to get back in touch with.

    Example:

    \b
        netvault agenda --vault example_vault
    """


for command in (
    view.agenda,
    view.check,
    site.build,
    create.init,
    create.add,
    adopt.adopt,
    edit.log,
    edit.snooze,
    edit.follow_up,
    edit.done,
    edit.move,
    edit.set_command,
    edit.unset,
    watch.watch,
    goals.goal, goals.intro,
    announce.announce,
    playbook.funnel, playbook.top,
    people.show, people.list_command, people.search_command, people.open_command,
):
    main.add_command(command)
