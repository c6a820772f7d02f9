"""The top-level command is lazy: ``--help`` and ``--version`` import no command
module, and what they print still comes from the real commands."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from netvault import __version__
from netvault.cli import COMMANDS, main

from .conftest import REPO

HEAVY = ("yaml", "jinja2", "markdown_it", "nh3", "watchdog")


def context() -> click.Context:
    return click.Context(main, info_name="netvault")


def test_the_listed_commands_are_the_registry_sorted():
    assert main.list_commands(context()) == sorted(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_registered_command_resolves_to_a_command_of_that_name(name):
    command = main.get_command(context(), name)
    assert isinstance(command, click.Command)
    assert command.name == name


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_short_help_in_the_registry_is_the_commands_own(name):
    """What ``netvault --help`` lists without importing the command is what
    click derives from the command's docstring: its first sentence."""
    command = main.get_command(context(), name)
    short = COMMANDS[name][1]
    assert command.short_help is None
    assert short == command.get_short_help_str(limit=10**6)
    first_line = command.help.strip().split("\n", 1)[0].strip()
    assert short.startswith(first_line)


def test_an_unknown_command_is_none_not_an_import():
    assert main.get_command(context(), "no-such-command") is None
    result = CliRunner().invoke(main, ["no-such-command"])
    assert result.exit_code == 2
    assert "No such command 'no-such-command'" in result.output


@pytest.mark.parametrize("width", [60, 80, 100, 200])
def test_help_lists_every_command_as_click_would_from_the_real_commands(width):
    result = CliRunner().invoke(main, ["--help"], terminal_width=width)
    assert result.exit_code == 0, result.output
    listing = result.stdout.split("Commands:\n", 1)[1]
    names = [line.split()[0] for line in listing.splitlines() if line.strip()]
    assert names == sorted(COMMANDS)

    eager = click.Group("netvault", context_settings=main.context_settings)
    for name in COMMANDS:
        eager.add_command(main.get_command(context(), name))
    formatter = click.HelpFormatter(width=width, max_width=100)
    eager.format_commands(click.Context(eager, info_name="netvault"), formatter)
    assert "Commands:\n" + listing == formatter.getvalue()


def _modules_after(*args: str) -> set[str]:
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from netvault.cli import main\n"
        f"result = CliRunner().invoke(main, {list(args)!r})\n"
        "assert result.exit_code == 0, result.output\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=REPO, check=True
    )
    return set(done.stdout.split())


@pytest.mark.parametrize("args", [("--help",), ("--version",), ("-h",)])
def test_help_and_version_import_no_heavy_library_and_no_command(args):
    modules = _modules_after(*args)
    assert not modules & set(HEAVY)
    assert sorted(m for m in modules if m.startswith("netvault")) == ["netvault", "netvault.cli"]


def test_one_commands_help_imports_only_that_command():
    modules = _modules_after("init", "--help")
    assert "netvault.cli.create" in modules
    others = {f"netvault.cli.{m}" for m in ("adopt", "announce", "edit", "goals", "people", "playbook", "site", "view", "watch")}
    assert not others & modules
    assert not {"markdown_it", "nh3", "watchdog"} & modules


def test_the_shared_options_module_imports_no_yaml():
    script = "import sys\nimport netvault.cli.options\nprint('\\n'.join(sorted(sys.modules)))\n"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=REPO, check=True
    )
    assert not set(done.stdout.split()) & set(HEAVY)


def test_version_still_prints_the_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.stdout == f"netvault, version {__version__}\n"


def test_a_non_utf8_argument_is_still_refused_before_any_command_loads():
    result = CliRunner().invoke(main, ["show", "caf\udce9"])
    assert result.exit_code == 2
    assert "is not UTF-8 text" in result.output
