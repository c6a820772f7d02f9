"""Benchmark of ``import mail`` and ``import calendar`` on generated inputs.

Generates (seeded) a vault of ``--contacts`` people, an mbox of
``--messages`` messages with bodies of 6–14 KB (100,000 messages: about
1 GB, the size of a real Takeout mailbox) where a third of the mail is
with contacts, a tenth is newsletters and lists, and the rest with
strangers, and a calendar of ``--events`` events (a tenth of them weekly
series).  Then times whole processes, with peak memory: the first import
of the mailbox, the same import again, the calendar, and reading every
byte of the mbox (the floor).  Prints a Markdown table.

    .venv/bin/python benchmark/evidence.py                    # 100,000 messages, 5,000 events
    .venv/bin/python benchmark/evidence.py --messages 5000    # a quick run
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import TODAY, run_child  # noqa: E402
from generate import generate_vault  # noqa: E402

ME = "sam.rivera@mail.example"
FLOOR = "import sys\nwith open(sys.argv[1], 'rb') as f:\n    while f.read(1 << 20):\n        pass\n"


def contact_addresses(vault: Path) -> list[str]:
    found = []
    for path in sorted((vault / "people").rglob("*.md")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("email:"):
                found.append(line.split(":", 1)[1].strip().strip('"'))
    return found


def write_mbox(path: Path, count: int, addresses: list[str], rng: random.Random) -> int:
    words = "the deck pricing meeting next week thanks update offsite notes plan hiring role coffee".split()
    bodies = [" ".join(rng.choice(words) for _ in range(rng.randrange(1000, 2300))) + "\n" for _ in range(200)]
    start = datetime(2019, 1, 1, tzinfo=timezone.utc)
    span = int((datetime(2026, 11, 20, tzinfo=timezone.utc) - start).total_seconds())
    with open(path, "w", encoding="utf-8") as handle:
        for number in range(count):
            when = start + timedelta(seconds=rng.randrange(span))
            kind = rng.random()
            extra = ""
            if kind < 0.33 and addresses:
                other = rng.choice(addresses)
            elif kind < 0.43:
                other = f"news{rng.randrange(50)}@lists.example"
                extra = "List-Id: <list.example>\nPrecedence: bulk\n"
            else:
                other = f"person{rng.randrange(20_000)}@elsewhere.example"
            sender, to = (ME, other) if rng.random() < 0.5 else (other, ME)
            body = rng.choice(bodies)
            handle.write(
                f"From - {when:%a %b %d %H:%M:%S %Y}\n"
                f"From: {sender}\nTo: {to}\nSubject: {rng.choice(words)} {number}\n"
                f"Date: {when:%a, %d %b %Y %H:%M:%S %z}\nMessage-ID: <{number}.{rng.getrandbits(40):x}@bench.example>\n"
                f"{extra}\n{body}\n"
            )
    return path.stat().st_size


def write_ics(path: Path, count: int, addresses: list[str], rng: random.Random) -> None:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//netvault bench//EN"]
    for number in range(count):
        day = date(2025, 1, 1) + timedelta(days=rng.randrange(700))
        people = rng.sample(addresses, k=min(len(addresses), rng.randrange(1, 4))) if addresses else []
        lines += ["BEGIN:VEVENT", f"UID:e{number}@bench.example", "DTSTAMP:20250101T000000Z",
                  f"DTSTART:{day:%Y%m%d}T{rng.randrange(8, 18):02d}0000Z", f"SUMMARY:Meeting {number}",
                  f"ORGANIZER:mailto:{ME}"]
        lines += [f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{a}" for a in people]
        if number % 10 == 0:
            lines.append("RRULE:FREQ=WEEKLY;COUNT=20")
        if rng.random() < 0.5:
            lines.append("LOCATION:https://meet.google.com/abc-defg-hij")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=5_000)
    parser.add_argument("--contacts", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="netvault-evidence-"))
    try:
        vault = work / "vault"
        generate_vault(vault, args.contacts, seed=args.seed)
        config = vault / "netvault.toml"
        config.write_text(config.read_text(encoding="utf-8") + f'\n[me]\nemails = ["{ME}"]\n', encoding="utf-8")
        rng = random.Random(args.seed)
        addresses = contact_addresses(vault)
        mbox, ics = work / "All mail.mbox", work / "calendar.ics"
        size = write_mbox(mbox, args.messages, addresses, rng)
        write_ics(ics, args.events, addresses, rng)
        base = [sys.executable, "-m", "netvault.cli"]
        common = ["--vault", str(vault), "--today", TODAY.isoformat()]
        rows = [
            ("floor: read every byte of the mbox", [sys.executable, "-c", FLOOR, str(mbox)]),
            (f"`import mail` ({args.messages:,} messages, {size / 1e9:.2f} GB), first", [*base, "import", "mail", str(mbox), *common]),
            ("`import mail` again (the same mailbox)", [*base, "import", "mail", str(mbox), *common]),
            (f"`import calendar` ({args.events:,} events, a tenth weekly series)", [*base, "import", "calendar", str(ics), *common]),
        ]
        print(f"**Evidence imports**: a vault of {args.contacts:,} contacts ({len(addresses):,} with an address), seed {args.seed}.\n")
        print("| command | seconds | peak RSS |")
        print("|---|--:|--:|")
        for label, argv in rows:
            seconds, rss, code = run_child(argv, work, work / "row.err")
            if code != 0:
                print(f"| {label} | failed ({code}) | |")
                sys.stderr.write((work / "row.err").read_text(errors="replace"))
                continue
            print(f"| {label} | {seconds:.2f} s | {rss / 1024:.0f} MB |")
        evidence = vault / "interactions"
        files = list(evidence.rglob("*.md")) if evidence.exists() else []
        print(f"\n{len(files)} evidence files written, {sum(f.stat().st_size for f in files) / 1e6:.1f} MB.")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
