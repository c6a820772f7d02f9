"""A first build renders its person pages in a pool of processes: the pages
are byte for byte those of a build in one process, and a broken template is
reported as it is there, with nothing written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from netvault.read import pool
from netvault.site import pages
from netvault.site.build import build_site
from netvault.views.errors import RenderError

from .conftest import TODAY
from .test_cache import age
from .test_snapshot import RecordingPool, _generate

pytestmark = pytest.mark.skipif(pool.cores() < 2, reason="one core")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def vault(tmp_path):
    root = tmp_path / "generated"
    _generate(root, 60)
    age(root)
    return root


def test_pages_rendered_in_a_pool_equal_those_rendered_here(vault, tmp_path, monkeypatch):
    build_site(vault, tmp_path / "here", TODAY)
    monkeypatch.setattr(pages, "PARALLEL_FROM", 10)
    monkeypatch.setattr(pages, "CHUNK", 4)
    monkeypatch.setattr(pool, "ProcessPoolExecutor", RecordingPool)
    RecordingPool.started.clear()
    report = build_site(vault, tmp_path / "pooled", TODAY)
    assert RecordingPool.started and RecordingPool.started[0] >= 2
    assert report.written
    here, pooled = _files(tmp_path / "here"), _files(tmp_path / "pooled")
    assert here.keys() == pooled.keys()
    different = [rel for rel in here if here[rel] != pooled[rel] and not rel.startswith(".netvault")]
    assert different == []
    # the records the pool sent back let the next build skip every page
    RecordingPool.started.clear()
    again = build_site(vault, tmp_path / "pooled", TODAY)
    assert again.written == () and RecordingPool.started == []


def test_a_broken_template_fails_a_pooled_build_and_writes_nothing(vault, tmp_path, monkeypatch):
    monkeypatch.setattr(pages, "PARALLEL_FROM", 10)
    monkeypatch.setattr(pages, "CHUNK", 4)
    override = vault / ".netvault" / "templates" / "site"
    override.mkdir(parents=True)
    (override / "person.html.j2").write_text("{{ person.name | no_such_filter }}")
    with pytest.raises(RenderError):
        build_site(vault, tmp_path / "out", TODAY)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out" / "people").glob("*.html"))
    shutil.rmtree(override)
