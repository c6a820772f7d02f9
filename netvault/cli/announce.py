"""``netvault announce``: after landing a job, thank and update everyone who helped."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..values.names import fold
from .complete import contact_names
from .options import (
    echo_json,
    CHANNEL_OPTION,
    NetvaultError,
    apply_edits,
    checked,
    dry_run_option,
    find_contact,
    report_edits,
    say,
    today_option,
    vault_options,
)

# The reader, the writer and the playbook are imported where they are used:
# a shell completion loads this module to learn its commands' parameters, no more.


@click.command()
@vault_options
@today_option
@click.argument("names", nargs=-1, metavar="[NAME]...", shell_complete=contact_names)
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="Everyone with this tag (repeatable).")
@click.option("--template", default="thank-you", show_default=True, metavar="NAME",
              help="Message template: thank-you, update, or your own in .netvault/templates/messages/.")
@click.option("--news", metavar="TEXT", help='Your news, e.g. "I start at Northlight as Director of Product on 5 January".')
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write the messages as Markdown to FILE (default: standard output).")
@click.option("--html", "html_out", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Also write an HTML page with a mailto: link per person.")
@click.option("--log", "log_it", is_flag=True,
              help='Record a #gave entry ("sent news: ...") for each person: every file or none.')
@CHANNEL_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: the Markdown messages; json: the messages as data.")
@dry_run_option
def announce(root, today, names, tags, template, news, out, html_out, log_it, channel, fmt, dry_run):
    """Thank and update everyone who helped: one personal message each.

    Each message has the person's name, what they helped with (the newest
    favour you asked them, #asked, else the newest log entry that mentions
    help), your news and an offer to help back. People come from --tag and
    NAME arguments, in name order. The message templates live in
    templates/messages/; a file of the same name in the vault's
    .netvault/templates/messages/ takes its place, and a new file there is a
    new template.

    Example:

    \b
        netvault announce --tag job-search-2025 --template thank-you \\
            --news "I start at Northlight as Director of Product on 5 January" \\
            --out thanks.md --html thanks.html --log
    """
    from ..edit.errors import EditError
    from ..edit.files import atomic_write
    from ..edit.record import entry_line, log_transform
    from ..read.loader import load_vault
    from ..views.messages import AnnounceError, build_messages, log_text, render_html, render_markdown, tagged
    from ..views.errors import RenderError

    if not names and not tags:
        raise click.UsageError("say who to write to: --tag TAG and/or NAME arguments")
    if log_it and not (news or "").strip():
        raise click.UsageError("--log records the news you sent; give it with --news TEXT")
    vault = load_vault(root, today)
    people = tagged(vault, tags)
    for name in names:
        people.append(find_contact(vault, name))
    if not people:
        known = sorted({t for c in vault.contacts for t in c.tags}, key=lambda t: (fold(t), t))
        raise NetvaultError(
            f"nobody in the vault is tagged {', '.join(tags)}"
            + (f"; tags in use: {', '.join(known)}" if known else "; no contact has tags")
        )
    try:
        messages = build_messages(vault, people, today, template, news)
        markdown = render_markdown(messages, tags, template, today)
        page = render_html(messages, tags, template, today, vault.root) if html_out else None
    except (AnnounceError, RenderError) as exc:
        raise NetvaultError(str(exc)) from None

    targets = [(path, text) for path, text in ((out, markdown), (html_out, page)) if path is not None]
    _refuse_contact_files(vault, [path for path, _ in targets])
    if fmt == "json":
        data = {
            "date": today.isoformat(),
            "html": str(html_out) if html_out else None,
            "logged": log_it and not dry_run,
            "messages": [m.as_dict() for m in messages],
            "news": news,
            "out": str(out) if out else None,
            "tags": list(tags),
            "template": template,
        }
        echo_json(data)
    elif out is None:
        click.echo(markdown, nl=False)
    for path, text in targets:
        if dry_run:
            say(f"dry run: {path} not written", err=True)
            continue
        try:
            atomic_write(path, text.encode("utf-8"), None)
        except EditError as exc:
            raise NetvaultError(str(exc)) from None
        if fmt == "text":
            say(f"Wrote {len(messages)} {'message' if len(messages) == 1 else 'messages'} to {path}")
    if log_it:
        line = checked(entry_line, today, log_text(news), channel and channel.lower(), True)
        transform = log_transform(line, today, today, vault.config.log_heading, vault.config)
        contacts = [m.contact for m in messages]
        edits = apply_edits(vault, [(c, transform) for c in contacts], dry_run, today)
        report_edits(
            [(edit, f"Logged for {c.name} ({c.path}): {line[2:]}") for edit, c in zip(edits, contacts)],
            dry_run,
        )


def _refuse_contact_files(vault, paths) -> None:
    """--out and --html never overwrite a contact, nor any other file of the
    vault (a note, the settings), nor a new file in a contacts folder (it
    would be read as a contact); and they are two different files."""
    from ..read.walk import in_contacts_folder

    contacts = {os.path.realpath(Path(vault.root) / c.path): c for c in vault.contacts}
    root = os.path.realpath(vault.root)
    real = [os.path.realpath(path) for path in paths]
    if len(set(real)) != len(real):
        raise NetvaultError("--out and --html name the same file; give them different names")
    for path, target in zip(paths, real):
        contact = contacts.get(target)
        if contact is not None:
            raise NetvaultError(f"{path} is {contact.name}'s contact file; write the messages elsewhere")
        if target == root or not target.startswith(root.rstrip(os.sep) + os.sep):
            continue
        rel = os.path.relpath(target, root).replace(os.sep, "/")
        if os.path.lexists(target):
            raise NetvaultError(
                f"{path} is a file of the vault ({rel}); netvault does not overwrite it: "
                "write the messages to a new file"
            )
        if in_contacts_folder(rel, vault.config) and rel.lower().endswith(".md"):
            raise NetvaultError(
                f"{path} is in a contacts folder, where it would be read as a contact; "
                "write the messages elsewhere"
            )
