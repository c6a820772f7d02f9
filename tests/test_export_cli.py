"""netvault export: to standard output, to a file, and as a vdir."""

from __future__ import annotations

import csv
import io
import json
import shutil
import uuid
from pathlib import Path

import icalendar

from .conftest import REPO, TODAY


def example(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    shutil.copytree(REPO / "example_vault", root)
    return root


def export(run, root, *args):
    return run("export", *args, "--vault", root, "--today", TODAY.isoformat())


def test_each_format_to_standard_output(run, tmp_path):
    root = example(tmp_path)
    ics = export(run, root, "ics", "--alarm", "9h")
    assert ics.exit_code == 0, ics.output
    calendar = icalendar.Calendar.from_ical(ics.stdout_bytes)
    events = calendar.walk("VEVENT")
    assert any(str(e["SUMMARY"]) == "Touch base with Priya Raman" for e in events)
    assert all(e.walk("VALARM") for e in events)
    rows = list(csv.DictReader(io.StringIO(export(run, root, "csv").output)))
    assert len(rows) == 36 and rows[0]["name"] == "Aisha Karim"
    data = json.loads(export(run, root, "json").output)
    assert len(data["contacts"]) == 36
    cards = export(run, root, "vcard", "--version", "4.0").output
    assert cards.count("BEGIN:VCARD") == 36 and "VERSION:4.0" in cards


def test_to_a_file_and_the_same_bytes_every_time(run, tmp_path):
    root = example(tmp_path)
    out = tmp_path / "cal" / "netvault.ics"
    first = export(run, root, "ics", "--out", out)
    assert first.exit_code == 0 and f"Wrote {out}" in first.output
    data = out.read_bytes()
    assert export(run, root, "ics", "--out", out).exit_code == 0
    assert out.read_bytes() == data
    assert export(run, root, "ics").stdout_bytes == data


def test_a_vdir_is_kept_in_step_with_the_vault(run, tmp_path):
    root = example(tmp_path)
    folder = tmp_path / "contacts"
    assert export(run, root, "vcard", "--out", f"{folder}/").exit_code == 0
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 36 and all(uuid.UUID(n[:-4]).version == 5 for n in names)
    theirs = folder / f"{uuid.uuid4()}.vcf"  # another program's card in the same folder
    theirs.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Someone\r\nEND:VCARD\r\n")
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    (root / "people" / "Zoë Hartmann.md").unlink()
    result = export(run, root, "vcard", "--out", folder)
    assert "35 cards (0 changed, 1 removed)" in result.output
    after = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    assert theirs.name in after and len(after) == 36
    assert all(after[name] == before[name] for name in after)  # unchanged cards are not rewritten


def test_bad_options_are_one_line(run, tmp_path):
    root = example(tmp_path)
    for args, text in (
        (("ics", "--alarm", "soon"), "--alarm"),
        (("csv", "--alarm", "9h"), "--alarm is for export ics only"),
        (("ics", "--out", tmp_path), "is a folder"),
        (("pdf",), "pdf"),
    ):
        result = export(run, root, *args)
        assert result.exit_code != 0 and text in result.output, (args, result.output)
        assert "Traceback" not in result.output
