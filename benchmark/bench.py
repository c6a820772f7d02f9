"""Benchmark: how long loading a vault and building the agenda take at scale.

Generates a synthetic vault (contacts with logs, follow-ups, birthdays and
links, and one meeting note per five contacts) in a temporary folder, then times ``load_vault`` + ``build_agenda`` +
rendering, and the whole ``netvault agenda`` command in a subprocess.
Prints medians over several runs; compare medians and ratios, not single
numbers, since shared machines are noisy.

    python benchmark/bench.py                 # 1,000 and 5,000 contacts
    python benchmark/bench.py --sizes 20000 --runs 3
"""

from __future__ import annotations

import argparse
import shutil
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from netvault.agenda import build_agenda
from netvault.loader import load_vault
from netvault.render import render_agenda
from netvault.site.build import build_site

TODAY = date(2026, 11, 22)
CIRCLES = ["buddy", "strategic", "lukewarm", "cold"]
CHANNELS = ["email", "phone", "post", "video", "im", "in-person"]
SETTINGS = '[vault]\ncontacts = ["people"]\n\n[interactions]\nfolders = ["meetings"]\n'


def make_vault(root: Path, count: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    people = root / "people"
    people.mkdir(parents=True)
    (root / "netvault.toml").write_text(SETTINGS)
    names = [f"Person {i:05d}" for i in range(count)]
    for i, name in enumerate(names):
        lines = [
            "---",
            f"name: {name}",
            f"circle: {rng.choice(CIRCLES)}",
            f"org: Org {rng.randrange(200)}",
            f"channels: [{rng.choice(CHANNELS)}, {rng.choice(CHANNELS)}]",
        ]
        if i < 10:
            lines.append(f"priority: {i + 1}")
        if rng.random() < 0.2:
            lines.append(f"follow_up: {TODAY + timedelta(days=rng.randrange(-20, 40))} send the deck")
        if rng.random() < 0.3:
            lines.append(f"birthday: {1960 + rng.randrange(40)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}")
        lines.append(f'knows: ["[[{rng.choice(names)}]]"]')
        lines += ["---", "Some notes about this person.", "", "## Log"]
        day = TODAY - timedelta(days=rng.randrange(0, 400))
        for _ in range(rng.randrange(0, 12)):
            tag = rng.choice(["", "", " #gave", " #asked"])
            lines.append(f"- {day} {rng.choice(CHANNELS)}: caught up{tag}")
            day -= timedelta(days=rng.randrange(5, 90))
        (people / f"{name}.md").write_text("\n".join(lines) + "\n")
    # One meeting note for every five contacts, linking a few of them.
    meetings = root / "meetings"
    meetings.mkdir()
    for i in range(count // 5):
        day = TODAY - timedelta(days=rng.randrange(0, 400))
        attendees = ", ".join(f'"[[{rng.choice(names)}]]"' for _ in range(3))
        body = f"Talked with [[{rng.choice(names)}]] about [[{rng.choice(names)}]].\n- [ ] email [[{rng.choice(names)}]]\n"
        (meetings / f"{day} Meeting {i:05d}.md").write_text(
            f"---\ndate: {day}\nattendees: [{attendees}]\n---\n{body}"
        )


PLAYBOOK = [
    ("show", ["show", "Person 00002"]),
    ("list", ["list", "--org", "Org 7"]),
    ("search", ["search", "caught up"]),
    ("intro", ["intro", "Person 00003"]),
    ("funnel", ["funnel"]),
]


def _run(root: Path, argv: list[str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "netvault.cli", *argv, "--vault", str(root), "--today", TODAY.isoformat()],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def _fresh_build(root: Path) -> None:
    shutil.rmtree(root / "_site", ignore_errors=True)
    build_site(root, None, TODAY)


def _touch_and_build(root: Path, path: Path) -> None:
    """One contact edited (a log line added), then the site rebuilt."""
    with path.open("a") as handle:
        handle.write(f"- {TODAY} email: one more\n")
    build_site(root, None, TODAY)


def median_time(func, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(
        f"{'contacts':>9} {'load':>9} {'no notes':>9} {'agenda':>9} {'render':>9} {'command':>9}"
        f" {'build':>9} {'rebuild':>9}"
        f"  (medians of {args.runs} runs, seconds; 'no notes': load without reading meeting"
        " notes; 'build': the static site into an empty folder; 'rebuild': after one file changed)"
    )
    commands: dict = {}
    runs = args.runs
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "vault"
            make_vault(root, size)
            vault = load_vault(root, TODAY)
            agenda = build_agenda(vault, TODAY)
            load = median_time(lambda: load_vault(root, TODAY), args.runs)
            (root / "netvault.toml").write_text(SETTINGS + "from_notes = false\n")
            no_notes = median_time(lambda: load_vault(root, TODAY), args.runs)
            (root / "netvault.toml").write_text(SETTINGS)
            build = median_time(lambda: build_agenda(vault, TODAY), args.runs)
            render = median_time(lambda: render_agenda(agenda, "html", root), args.runs)
            command = median_time(
                lambda: subprocess.run(
                    [sys.executable, "-m", "netvault.cli", "agenda", "--vault", str(root),
                     "--today", TODAY.isoformat(), "--format", "json"],
                    check=True, stdout=subprocess.DEVNULL,
                ),
                args.runs,
            )
            first_build = median_time(lambda: _fresh_build(root), args.runs)
            build_site(root, None, TODAY)
            one = root / "people" / "Person 00001.md"
            rebuild = median_time(lambda: _touch_and_build(root, one), args.runs)
            print(
                f"{size:>9} {load:>9.3f} {no_notes:>9.3f} {build:>9.3f} {render:>9.3f} {command:>9.3f}"
                f" {first_build:>9.3f} {rebuild:>9.3f}"
            )
            commands[size] = {
                name: median_time(lambda a=argv: _run(root, a), runs)
                for name, argv in PLAYBOOK
            }
    print()
    print(f"{'contacts':>9} " + " ".join(f"{name:>9}" for name, _ in PLAYBOOK) + "  (whole commands, medians, seconds)")
    for size, row in commands.items():
        print(f"{size:>9} " + " ".join(f"{row[name]:>9.3f}" for name, _ in PLAYBOOK))


if __name__ == "__main__":
    main()
