"""``netvault watch``: rebuild the site as the vault changes, optionally serve it."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import click

from ..read.loader import load_vault
from ..read.settings import load_config
from ..site.build import build_site
from ..site.output import BuildError, link_out_of_the_vault
from ..site.serve import (
    LiveReload,
    RemoteRefused,
    is_loopback,
    make_server,
    serve_in_background,
)
from ..site.watch import DEBOUNCE_SECONDS, BuildFailed
from ..site.watch import watch as watch_vault
from ..values.problems import ERROR
from ..views.errors import RenderError
from . import options
from .options import (
    NetvaultError,
    count_problems,
    plural,
    safe,
    say,
    say_lines,
    today_option,
    vault_options,
)


@click.command()
@vault_options
@today_option
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where to write the site (default: [vault] output in netvault.toml, _site/).",
)
@click.option("--serve", is_flag=True, help="Also serve the site with live reload.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port for --serve (0: any free port).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address for --serve. Only this machine can read the pages unless you name another address.",
)
@click.option(
    "--debounce", type=click.FloatRange(0, 10), default=DEBOUNCE_SECONDS, hidden=True
)
def watch(
    root: Path,
    today: date,
    out: Path | None,
    serve: bool,
    port: int,
    host: str,
    debounce: float,
) -> None:
    """Build the site, then rebuild it whenever a note, netvault.toml or a template changes.

    One line per rebuild: what changed, problems found, pages written, how
    long it took. A broken note or template is reported and watching goes on.
    With --serve, pages open at http://127.0.0.1:8000/ and reload themselves
    after each rebuild. Ctrl-C stops.

    Example:

    \b
        netvault watch --serve --port 8000
    """
    ctx = click.get_current_context()
    # Without --today the date is read at each rebuild: a watch left running overnight moves on.
    fixed_day = (
        ctx.get_parameter_source("today") is not click.core.ParameterSource.DEFAULT
    )
    if out is None:
        config, _ = load_config(root)
        out = root / config.output
    out = Path(os.path.abspath(out))  # the watcher compares it with absolute event paths
    link = link_out_of_the_vault(root, out)
    if link is not None:
        raise NetvaultError(
            f"refusing to build into {out}: {link} is a link out of the vault; netvault "
            "never writes (or serves) through such a link (give --out that folder itself)"
        )
    live = LiveReload()
    shown: set = set()

    memo: dict = {}  # what each unchanged file held: only changed files are parsed again

    def build(changed: frozenset[str]) -> str:
        day = today if fixed_day else options.clock_today()
        try:
            result = build_site(root, out, day, vault=load_vault(root, day, memo=memo))
        except (BuildError, RenderError) as exc:
            raise BuildFailed(safe(str(exc))) from None
        # Errors not shown by the previous build; the rest are counted.
        errors = [p for p in result.problems if p.severity == ERROR]
        new = [p.format() for p in errors if p.format() not in shown]
        shown.clear()
        shown.update(p.format() for p in errors)
        written, removed = _count(result.written), _count(result.removed)
        if written or removed:
            live.bump()
        pages = [f"{plural(written, 'page')} written"] if written else []
        pages += [f"{removed} removed"] if removed else []
        summary = f"{count_problems(result.problems)}, {', '.join(pages) or 'no page changed'}"
        kept = [
            f"{page} was changed since netvault wrote it: your version is kept as {copy}"
            for page, copy in result.kept
        ]
        return "\n".join([summary, *new, *kept])

    server = None
    if serve:
        explicit = (
            ctx.get_parameter_source("host") is click.core.ParameterSource.COMMANDLINE
        )
        try:
            server = make_server(
                out,
                host=host,
                port=port,
                live=live,
                allow_remote=explicit,
                report=lambda line: say(line, err=True),
            )
        except RemoteRefused as exc:
            raise NetvaultError(str(exc)) from None
        except OSError as exc:
            raise NetvaultError(
                f"cannot serve on {host}:{port}: {exc.strerror or exc}"
            ) from None
        if not is_loopback(host):
            say(
                f"Serving on {host}: other machines that reach this address can read your contacts.",
                err=True,
            )
    try:
        if server is not None:
            serve_in_background(server)
            say(f"Serving {server.url} (Ctrl-C to stop)")
        say(f"Watching {root} for changes; writing the site to {out}")
        watch_vault(root, build, report=say_lines, debounce=debounce, ignore=[out])
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
    say("Stopped.")


def _count(value) -> int:
    return value if isinstance(value, int) else len(value)
