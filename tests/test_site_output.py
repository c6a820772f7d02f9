"""The output folder: never reached through a link out of the vault, never
a file of the user's replaced, leftovers of killed builds cleaned, and a
disk that says no is one clear line."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from netvault.site.output import STALE_SECONDS

from .conftest import TODAY, write_files
from .test_site_build import ADA, BOB, build
from .test_site_watch import JANE, WatchCommand


@pytest.fixture
def vault(make_vault):
    return make_vault({"people/Ada Lovelace.md": ADA, "people/Bob Stone.md": BOB})


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------- links out of the vault


def test_a_linked_output_folder_is_refused_by_build_and_watch(run, vault, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.txt").write_text("not yours to serve\n")
    (vault / "_site").symlink_to(elsewhere)
    result = build(run, vault)
    assert result.exit_code == 1
    assert f"_site is a link to {elsewhere}, outside the vault" in result.stderr
    assert _files(elsewhere) == {"secret.txt": b"not yours to serve\n"}
    result = run("watch", "--vault", vault, "--serve", "--port", "0", "--today", TODAY)
    assert result.exit_code == 1 and "_site is a link out of the vault" in result.stderr
    assert _files(elsewhere) == {"secret.txt": b"not yours to serve\n"}


def test_a_folder_under_a_link_in_the_vault_is_refused_even_when_named(run, vault, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (vault / "published").symlink_to(elsewhere)
    result = build(run, vault, "--out", vault / "published" / "site")
    assert result.exit_code == 1 and "published is a link to" in result.stderr
    assert list(elsewhere.iterdir()) == []


def test_an_output_folder_named_outside_the_vault_is_the_users_choice(run, vault, tmp_path):
    real = tmp_path / "real-site"
    real.mkdir()
    (tmp_path / "site-link").symlink_to(real)
    assert build(run, vault, "--out", tmp_path / "site-link").exit_code == 0
    assert (real / "index.html").exists()


# ---------------------------------------------------------------- files that are not netvault's


def test_a_file_of_the_users_where_a_page_goes_stops_the_build(run, vault):
    site = vault / "_site"
    site.mkdir()
    (site / "index.html").write_text("MY OWN INDEX\n")
    result = build(run, vault)
    assert result.exit_code == 1
    assert "index.html is not a page netvault wrote" in result.stderr
    assert _files(site) == {"index.html": b"MY OWN INDEX\n"}  # nothing else written either


def test_a_page_the_user_changed_is_kept_aside_and_said(run, vault):
    assert build(run, vault).exit_code == 0
    page = vault / "_site" / "people" / "Ada Lovelace.html"
    page.write_text("my notes on Ada\n")
    os.utime(page, (1_790_000_000, 1_790_000_000))
    result = build(run, vault)
    assert result.exit_code == 0
    copy = "people/Ada Lovelace.conflict-2026-09-21T14-13-20.html"
    assert (
        f"people/Ada Lovelace.html was changed since netvault wrote it: your version is kept as {copy}"
        in result.stderr
    )
    assert (vault / "_site" / copy).read_text() == "my notes on Ada\n"
    assert "<!DOCTYPE html>" in page.read_text()
    assert build(run, vault).exit_code == 0  # the copy is the user's now: left alone
    assert (vault / "_site" / copy).exists()


def test_a_changed_page_of_a_deleted_contact_is_not_removed(run, vault):
    assert build(run, vault).exit_code == 0
    page = vault / "_site" / "people" / "Bob Stone.html"
    page.write_text("mine now\n")
    (vault / "people" / "Bob Stone.md").unlink()
    result = build(run, vault)
    assert result.exit_code == 0 and "0 removed" in result.stdout
    assert page.read_text() == "mine now\n"


# ---------------------------------------------------------------- leftovers of killed builds


def test_stale_temporaries_are_reported_by_check_and_removed_by_the_next_build(run, vault):
    assert build(run, vault).exit_code == 0
    site = vault / "_site"
    old = time.time() - STALE_SECONDS - 5
    stale = [site / ".index.html.0123abcd.netvault-tmp", site / "people" / ".Ada Lovelace.html.89abcdef.netvault-tmp"]
    for path in stale:
        path.write_text("half a page")
        os.utime(path, (old, old))
    fresh = site / ".people.html.fedcba98.netvault-tmp"  # perhaps a build running now
    fresh.write_text("being written")
    mine = site / ".my-notes.netvault-tmp"  # not netvault's naming: the user's
    mine.write_text("mine")
    os.utime(mine, (old, old))
    result = run("check", "--vault", vault, "--today", TODAY)
    assert result.exit_code == 0
    assert (
        "_site/.index.html.0123abcd.netvault-tmp: warning: a temporary file of an interrupted build; "
        "the next build removes it" in result.stdout
    )
    assert "_site/people/.Ada Lovelace.html.89abcdef.netvault-tmp: warning:" in result.stdout
    assert "fedcba98" not in result.stdout and "my-notes" not in result.stdout
    assert build(run, vault).exit_code == 0
    assert not any(path.exists() for path in stale)
    assert fresh.exists() and mine.exists()


# ---------------------------------------------------------------- disks that say no


def test_a_read_only_vault_is_one_clear_line(run, small_disk):
    root = write_files(small_disk.path / "vault", {"netvault.toml": "", "people/Jane Doe.md": JANE})
    small_disk.read_only()
    try:
        result = build(run, root)
        assert result.exit_code == 1
        assert result.stderr.strip().splitlines()[-1].endswith("Read-only file system")
        assert "Traceback" not in result.stderr
        assert "_site" in result.stderr
    finally:
        small_disk.read_only(False)
    assert not (root / "_site").exists()


def test_a_full_disk_during_build_is_one_clear_line_and_leaves_no_temporaries(run, small_disk):
    root = write_files(small_disk.path / "vault", {"netvault.toml": "", "people/Jane Doe.md": JANE})
    small_disk.fill()
    result = build(run, root)
    assert result.exit_code == 1
    assert "No space left on device" in result.stderr and "Traceback" not in result.stderr
    leftovers = [p for p in small_disk.path.rglob("*.netvault-tmp")]
    assert leftovers == []


# ---------------------------------------------------------------- watch with a relative vault


def test_watch_with_a_relative_vault_does_not_watch_its_own_output(tmp_path):
    vault = tmp_path / "vault"
    (vault / "people").mkdir(parents=True)
    (vault / "netvault.toml").write_text("")
    (vault / "people" / "Jane Doe.md").write_text(JANE)
    cmd = WatchCommand(["--vault", "vault", "--today", "2026-11-22"], tmp_path)
    seen = []
    try:
        seen.append(cmd.line_with("first build: "))
        (vault / "people" / "Ada Roe.md").write_text(JANE.replace("Jane Doe", "Ada Roe"))
        seen.append(cmd.line_with("Ada Roe"))
        (vault / "people" / "Bob Roe.md").write_text(JANE.replace("Jane Doe", "Bob Roe"))
        while "Bob Roe" not in seen[-1]:
            seen.append(cmd.line_with(" changed"))
    finally:
        cmd.interrupt()
    assert not [line for line in seen if "_site" in line.split(" changed")[0]], seen
    shutil.rmtree(vault / "_site")
