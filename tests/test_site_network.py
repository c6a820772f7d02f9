"""network.html: the model (funnel, origins, cooling, months, graph), the
SVG drawings (escaped, well-formed, deterministic) and the page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest

from netvault.read.loader import load_vault
from netvault.site.charts import funnel_svg, graph_svg, months_svg, origins_svg
from netvault.site.network import Edge, month_starts, network_model
from netvault.site.pages import network_page
from netvault.views.templates import environment

from .conftest import REPO, TODAY

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = ("<script>alert(1)</script>", '"><svg onload=alert(1)>')


def person(name: str, *lines: str, log: tuple[str, ...] = ()) -> str:
    body = "".join(f"- {entry}\n" for entry in log)
    front = "".join(f"{line}\n" for line in (f"name: {_yaml(name)}", *lines))
    return f"---\n{front}---\n\n## Log\n{body}"


def _yaml(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def load(make_vault, files, config="[vault]\ncontacts = [\"people\"]\n"):
    return load_vault(make_vault(files, config), TODAY)


def all_svgs(model) -> list[str]:
    return [funnel_svg(model), origins_svg(model), months_svg(model), graph_svg(model)]


# ---------------------------------------------------------------- counts


def test_counts_per_circle_in_funnel_order_with_no_circle(make_vault):
    vault = load(
        make_vault,
        {
            "people/A.md": person("A", "circle: buddy"),
            "people/B.md": person("B", "circle: cold"),
            "people/C.md": person("C", "circle: cold"),
            "people/D.md": person("D", "circle: Strategic"),
            "people/E.md": person("E"),
        },
    )
    model = network_model(vault, TODAY)
    assert model.people == 5
    assert [(c.key, c.count) for c in model.circles] == [
        ("cold", 2),
        ("lukewarm", 0),
        ("strategic", 1),
        ("buddy", 1),
        ("no circle", 1),
    ]


def test_origins_grouped_by_spelling_most_first_then_no_origin(make_vault):
    vault = load(
        make_vault,
        {
            "people/A.md": person("A", "origin: former-colleague"),
            "people/B.md": person("B", "origin: Former colleague"),
            "people/C.md": person("C", "origin: headhunter"),
            "people/D.md": person("D", "origin: client"),
            "people/E.md": person("E"),
        },
    )
    origins = network_model(vault, TODAY).origins
    assert [(c.label, c.count) for c in origins] == [
        ("former colleague", 2),
        ("client", 1),
        ("headhunter", 1),
        ("no origin", 1),
    ]


# ---------------------------------------------------------------- cooling


def test_cooling_is_overdue_by_more_than_twice_the_cadence(make_vault):
    # cadence 10 days: due 10 days after the last contact; exactly 2x overdue
    # is 30 days after it, not yet cooling; one day more is.
    def ago(days):
        return (TODAY - timedelta(days=days)).isoformat()

    vault = load(
        make_vault,
        {
            "people/Exactly.md": person("Exactly", "circle: strategic", "cadence: 10d", f"last_contact: {ago(30)}"),
            "people/More.md": person("More", "circle: strategic", "cadence: 10d", f"last_contact: {ago(31)}"),
            "people/Much More.md": person("Much More", "cadence: 10d", log=(f"{ago(100)} email: hello",)),
            "people/Never.md": person("Never", "circle: strategic"),  # never contacted: due, not cooling
            "people/Cold.md": person("Cold", "circle: cold", f"last_contact: {ago(900)}"),  # no rhythm
        },
    )
    cooling = network_model(vault, TODAY).cooling
    assert [(p.name, p.overdue_days, p.cadence_days) for p in cooling] == [
        ("Much More", 90, 10),
        ("More", 21, 10),
    ]
    assert cooling[1].href == "people/More.html"
    assert cooling[0].href == "people/Much%20More.html"
    assert cooling[0].circle is None


def test_cooling_counts_meeting_notes_as_contact(make_vault):
    vault = load(
        make_vault,
        {
            "people/Jane.md": person("Jane", "cadence: 10d", "last_contact: 2026-01-01"),
            "meetings/2026-11-20 Coffee.md": "Met [[Jane]].\n",
        },
        config='[vault]\ncontacts = ["people"]\n[interactions]\nfolders = ["meetings"]\n',
    )
    assert network_model(vault, TODAY).cooling == ()


# ---------------------------------------------------------------- months


def test_month_starts_are_twelve_calendar_months_ending_with_today():
    starts = month_starts(date(2026, 1, 31))
    assert starts[0] == date(2025, 2, 1)
    assert starts[-1] == date(2026, 1, 1)
    assert len(starts) == 12


def test_interactions_per_month(make_vault):
    vault = load(
        make_vault,
        {
            "people/Jane.md": person(
                "Jane",
                "circle: lukewarm",
                log=(
                    "2026-11-22 email: today counts",
                    "2026-11-23 call: tomorrow does not",
                    "2026-12-05 in-person: planned #planned",
                    "2026-11-02 moved lukewarm → buddy",
                    "2026-10-31 im: October",
                    "2025-12-01 email: first day of the window",
                    "2025-11-30 email: just before the window",
                ),
            ),
            "people/Bob.md": person("Bob", log=("2026-10-01 phone: October too",)),
            "meetings/2026-10-03 Meetup.md": "With [[Jane]] and [[Bob]].\n",
            "meetings/2026-12-01 Future.md": "With [[Jane]].\n",
        },
        config='[vault]\ncontacts = ["people"]\n[interactions]\nfolders = ["meetings"]\n',
    )
    months = network_model(vault, TODAY).months
    assert (months[0].label, months[-1].label) == ("Dec 2025", "Nov 2026")
    table = {m.label: (m.from_log, m.from_notes, m.total) for m in months}
    assert table["Nov 2026"] == (1, 0, 1)
    assert table["Oct 2026"] == (2, 2, 4)
    assert table["Dec 2025"] == (1, 0, 1)
    assert sum(m.total for m in months) == 6


# ---------------------------------------------------------------- graph


GRAPH_FILES = {
    "people/Ann.md": person("Ann", "circle: buddy", 'knows: ["[[Bob]]", "[[Nobody]]", "[[Ann]]"]'),
    "people/Bob.md": person("Bob", "circle: strategic", 'knows: ["[[ann]]"]', 'introduced_by: "[[Cy|C.]]"'),
    "people/Cy.md": person("Cy", "circle: cold", "aliases: [Cyrus]"),
    "people/Dee.md": person("Dee", "circle: lukewarm", 'introduced_by: "[[Cyrus]]"'),
    "people/Eve.md": person("Eve", "circle: lukewarm", 'knows: ["[[Unknown Person]]"]'),
}


def test_graph_edges_from_knows_and_introduced_by(make_vault):
    graph = network_model(load(make_vault, GRAPH_FILES), TODAY).graph
    assert graph.edges == (
        Edge("people/Cy.md", "people/Bob.md", "introduced"),
        Edge("people/Cy.md", "people/Dee.md", "introduced"),
        Edge("people/Ann.md", "people/Bob.md", "knows"),  # once, though both say so
    )
    # Eve's only link resolves to nobody, and Ann's link to herself is no edge
    assert [n.name for n in graph.nodes] == ["Ann", "Bob", "Cy", "Dee"]
    assert [r.circle for r in graph.rings] == ["buddy", "strategic", "lukewarm", "cold"]
    radii = [r.radius for r in graph.rings]
    assert radii == sorted(radii)
    for node in graph.nodes:
        ring = next(r for r in graph.rings if r.circle == node.circle)
        assert abs((node.x**2 + node.y**2) ** 0.5 - ring.radius) < 0.2
    assert {n.name: n.degree for n in graph.nodes} == {"Ann": 1, "Bob": 2, "Cy": 2, "Dee": 1}


def test_graph_ambiguous_link_is_ignored(make_vault):
    vault = load(
        make_vault,
        {
            "people/a/Sam.md": person("Sam"),
            "people/b/Sam.md": person("Sam", "name: Sam"),
            "people/Zed.md": person("Zed", 'knows: ["[[Sam]]"]'),
        },
    )
    assert network_model(vault, TODAY).graph.edges == ()


def test_graph_stays_readable_at_hundreds_of_people(make_vault):
    files = {}
    for i in range(300):
        circle = ("buddy", "strategic", "lukewarm", "cold")[i % 4]
        files[f"people/P{i:03d}.md"] = person(f"P{i:03d}", f"circle: {circle}", f'knows: ["[[P{(i + 1) % 300:03d}]]"]')
    files["people/Loner.md"] = person("Loner", "circle: buddy")
    model = network_model(load(make_vault, files), TODAY)
    assert len(model.graph.nodes) == 300  # Loner has no links: not drawn
    assert sum(n.labelled for n in model.graph.nodes) == 40
    points = {(n.x, n.y) for n in model.graph.nodes}
    assert len(points) == 300  # nobody on top of anybody
    ET.fromstring(graph_svg(model))


# ---------------------------------------------------------------- drawing


def test_same_output_twice(make_vault):
    vault = load(make_vault, GRAPH_FILES)
    env = environment(vault.root)
    first = network_model(vault, TODAY), network_page(vault, TODAY, env)
    again = network_model(vault, TODAY), network_page(vault, TODAY, environment(vault.root))
    assert first == again


def test_svgs_are_well_formed_with_text_alternatives(make_vault):
    model = network_model(load(make_vault, GRAPH_FILES), TODAY)
    for svg in all_svgs(model):
        root = ET.fromstring(svg)
        assert root.tag == SVG + "svg"
        assert root.get("role") == "img"
        title, desc = root.find(SVG + "title"), root.find(SVG + "desc")
        assert title is not None and title.text
        assert desc is not None and desc.text
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert "<script" not in svg


def test_empty_vault_draws_empty_charts(make_vault):
    model = network_model(load(make_vault, {}), TODAY)
    assert model.people == 0 and model.cooling == () and model.graph.nodes == ()
    for svg in all_svgs(model):
        ET.fromstring(svg)


@pytest.fixture
def hostile_vault(make_vault):
    files = {}
    for i, name in enumerate(HOSTILE):
        files[f"people/Hostile {i}.md"] = person(
            name,
            "circle: buddy",
            f"origin: {_yaml(name)}",
            "cadence: 1d",
            "last_contact: 2026-01-01",
            f'knows: ["[[Hostile {1 - i}]]"]',
        )
    files["people/Ctrl.md"] = person("bell\x07 and nul-ish \x01", 'knows: ["[[Hostile 0]]"]')
    return load(make_vault, files)


def test_hostile_names_are_only_text_in_the_svg(hostile_vault):
    model = network_model(hostile_vault, TODAY)
    assert {p.name for p in model.cooling} == set(HOSTILE)
    for svg in all_svgs(model):
        root = ET.fromstring(svg)  # control characters would make it unparseable
        assert not root.findall(f".//{SVG}script")
        assert [e for e in root.iter() if e.tag == SVG + "svg"] == [root]
        for element in root.iter():
            assert not any(key.startswith("on") for key in element.attrib)
    graph = ET.fromstring(graph_svg(model))
    titles = {t.text for t in graph.iter(SVG + "title")}
    assert set(HOSTILE) <= titles
    origins = ET.fromstring(origins_svg(model))
    texts = {t.text for t in origins.iter(SVG + "text")}
    assert "<script>alert(1)</script>" in texts


def test_hostile_names_are_only_text_in_the_page(hostile_vault):
    page = network_page(hostile_vault, TODAY, environment(hostile_vault.root))
    tags = StartTags()
    tags.feed(page)
    assert tags.names.count("script") == 1  # netvault's own filter
    assert tags.names.count("svg") == 4  # the four charts, no more
    assert not [attr for attr in tags.attributes if attr.startswith("on")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert re.search(r"&(#34|quot);&gt;&lt;svg onload=alert\(1\)&gt;", page)
    assert "\x07" not in page and "\x01" not in page


class StartTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.names.append(tag)
        self.attributes.extend(name for name, _ in attrs)


# ---------------------------------------------------------------- the page


def test_example_vault_page(tmp_path):
    vault = load_vault(REPO / "example_vault", TODAY)
    page = network_page(vault, TODAY, environment(vault.root))
    assert page.startswith("<!DOCTYPE html>") or "<!DOCTYPE html>" in page[:500]
    assert "<title>Network" in page
    assert "36 people on 2026-11-22" in page
    model = network_model(vault, TODAY)
    assert [(c.key, c.count) for c in model.circles] == [
        ("cold", 3),
        ("lukewarm", 17),
        ("strategic", 8),
        ("buddy", 7),
        ("no circle", 1),
    ]
    for circle, count in (("cold", 3), ("lukewarm", 17), ("strategic", 8), ("buddy", 7), ("no circle", 1)):
        assert f'<tr><th scope="row">{circle}</th><td class="num">{count}</td></tr>' in page
    assert '<tr><th scope="row">former colleague</th><td class="num">7</td></tr>' in page
    assert model.origins[0].label == "former colleague"
    # October 2026: 16 logged, 6 from the ClimateTech meetup note
    assert (
        '<tr><th scope="row">Oct 2026</th><td class="num">16</td><td class="num">6</td>'
        '<td class="num">22</td></tr>'
    ) in page
    assert '<tr><th scope="row">Nov 2026</th><td class="num">2</td><td class="num">0</td>' in page
    assert [p.name for p in model.cooling] == ["Victor Lang"]  # 410 days late on twice a year
    assert len(model.graph.nodes) == 22 and len(model.graph.edges) == 24
    assert 'href="people/S%C3%B8ren%20Kjeldsen.html"' in page
    # every chart in the page is well-formed SVG
    for svg in re.findall(r"<svg .*?</svg>", page, re.DOTALL):
        ET.fromstring(svg)
    assert page.count("<svg ") == 4
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page
