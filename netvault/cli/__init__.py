"""The ``netvault`` command: a thin click layer over the library.

One module per group of commands; :mod:`.options` holds what they share.
Only this package talks to the terminal, reads the clock or the environment;
the library never imports it.

The commands are loaded lazily: this module imports click and nothing of the
library, so ``netvault --help`` and ``netvault --version`` start fast, and a
command's module (with YAML, Jinja, Markdown or watchdog behind it) is
imported only when that command runs or shows its own help.
"""

from __future__ import annotations

import importlib
import re

import click

from .. import __version__

#: Every command: its name → ("module:attribute", short help). The short help
#: is what ``netvault --help`` lists without importing the command; a test
#: checks it against the help click derives from the real command.
COMMANDS: dict[str, tuple[str, str]] = {
    "add": ("netvault.cli.create:add", "Create a contact file from the template; never overwrites."),
    "adopt": ("netvault.cli.adopt:adopt", "Make an existing vault (an Obsidian vault, say) a netvault vault."),
    "agenda": ("netvault.cli.view:agenda", "Who is due for a touch-base, and why."),
    "announce": ("netvault.cli.announce:announce", "Thank and update everyone who helped: one personal message each."),
    "build": (
        "netvault.cli.site:build",
        ("Write the static pages: the agenda (index.html, agenda.md), one page per person (people/), "
         "everyone by circle (people.html) and the network."),
    ),
    "check": ("netvault.cli.view:check", "Validate the vault: every problem as path:line: severity: message."),
    "done": ("netvault.cli.edit:done", "Mark the follow-up done: clears follow_up and logs it."),
    "follow-up": ("netvault.cli.edit:follow_up", "Promise a next step on a date (sets follow_up: DATE NOTE)."),
    "export": (
        "netvault.cli.interop:export",
        "Write the vault in a standard format, for calendars, phones and scripts.",
    ),
    "funnel": ("netvault.cli.playbook:funnel", "Your circles as a funnel (cold → lukewarm → strategic → buddy)."),
    "goal": (
        "netvault.cli.goals:goal",
        ("Who you know for a goal, by the part they can play: who works there, who creates "
         "the jobs, who made the move; whom you have not talked to in a while (overdue, never, or over "
         "90 days); and which part has nobody yet."),
    ),
    "import": ("netvault.cli.interop:import_command", "Create or update contacts from another program's export."),
    "init": ("netvault.cli.create:init", "Create a new vault: netvault.toml, a contact template, one example contact."),
    "intro": (
        "netvault.cli.goals:intro",
        ("Warm introduction paths to a contact or an org: who, closer to you, can introduce you "
         "to someone colder."),
    ),
    "list": ("netvault.cli.people:list_command", "List people, filtered and sorted."),
    "log": ("netvault.cli.edit:log", "Record an interaction in each contact's log; moves last_contact forward."),
    "merge": ("netvault.cli.merge:merge", "Merge two contact files of one person into KEEP; or find such pairs."),
    "move": ("netvault.cli.edit:move", "Move someone to another circle and log the move (funnel history)."),
    "open": ("netvault.cli.people:open_command", "Open a person's file in $VISUAL or $EDITOR."),
    "rename": (
        "netvault.cli.merge:rename",
        ("Give a contact a new name: the file is renamed, `name:` set, the old name kept as an alias, "
         "and every [[link]] to it rewritten."),
    ),
    "search": ("netvault.cli.people:search_command", "Find people by name, alias, org, role, tag, notes or log."),
    "set": ("netvault.cli.edit:set_command", "Set one frontmatter field, checked and typed like the file format."),
    "show": (
        "netvault.cli.people:show",
        ("One person's card: rhythm, next due and why, the last five interactions, the give/ask ledger, "
         "goals, introductions, whom they know, follow-up, snooze, the channels used over the last year "
         "and birthday."),
    ),
    "snooze": ("netvault.cli.edit:snooze", "Hold off a touch-base until a date (sets snooze_until)."),
    "top": ("netvault.cli.playbook:top", "Your top ten: the contacts with a priority, 1 first."),
    "triage": ("netvault.cli.triage:triage", "Decide, one person at a time, whom you keep up with after an import."),
    "unset": ("netvault.cli.edit:unset", "Remove one frontmatter field (its line, or lines for a block list)."),
    "watch": (
        "netvault.cli.watch:watch",
        "Build the site, then rebuild it whenever a note, netvault.toml or a template changes.",
    ),
}


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


class LazyNetvaultGroup(NetvaultGroup):
    """Commands from :data:`COMMANDS`, each imported when it is asked for."""

    def __init__(self, *args, lazy_commands: dict[str, tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_commands:
            return self._load(cmd_name)
        return super().get_command(ctx, cmd_name)

    def _load(self, cmd_name: str) -> click.Command:
        target = self.lazy_commands[cmd_name][0]
        module_name, attribute = target.split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is a {type(command).__name__}, not a click command")
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from the registry's short help: no command is imported.

        Each row is shortened to the width exactly as click would shorten the
        real command's help (a throwaway command carrying only the short help).
        """
        rows = []
        for name in self.list_commands(ctx):
            if name in self.lazy_commands:
                stand_in = click.Command(name, help=self.lazy_commands[name][1])
            else:
                stand_in = super().get_command(ctx, name)
                if stand_in is None or stand_in.hidden:
                    continue
            rows.append((name, stand_in))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section("Commands"):
                formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in rows])


@click.group(
    cls=LazyNetvaultGroup,
    lazy_commands=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "--version", prog_name="netvault")
def main() -> None:
    """netvault: a personal CRM for career networking that lives in plain text.

    Each person is a Markdown file with YAML frontmatter in a folder (the
    vault). netvault reads it and tells you who to get back in touch with.

    Example:

    \b
        netvault agenda --vault example_vault
    """

