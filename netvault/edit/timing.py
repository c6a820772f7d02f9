"""How long the write path waits: for a file another program is saving to
settle, and after a rename for late writes into the replaced original.

Read at call time (``timing.QUIET_SECONDS``), so tests can shorten them.

:func:`handshake` lets a test stop a real ``netvault`` process at a named
point of the write path (after the new version is prepared, after it is
renamed into place) while another process plays an editor saving the same
file, so each interleaving is driven, not hoped for.  It does nothing
unless ``NETVAULT_TEST_HANDSHAKE`` names a folder.
"""

from __future__ import annotations

import os
import time

QUIET_SECONDS = 0.3  # a file changed more recently than this is not settled yet
EMPTY_QUIET_SECONDS = 2.0  # an emptied file may be an editor's save half done
SETTLE_LIMIT = 5.0  # wait at most this long for a busy file to settle
WATCH_SECONDS = 0.3  # watch a replaced original this long for late writes
NEW_FILE_WATCH_SECONDS = 0.1  # when nobody holds the original open: watch the new file
ATTEMPTS = 4  # re-reads when another program keeps changing the file
POLL = 0.01

HANDSHAKE_ENV = "NETVAULT_TEST_HANDSHAKE"
HANDSHAKE_LIMIT = 60.0  # a test that never answers does not hang netvault for good
_reached: set[str] = set()


def handshake(point: str) -> None:
    """With ``NETVAULT_TEST_HANDSHAKE=DIR``: the first time this process
    reaches ``point``, create ``DIR/<point>.reached`` and wait until
    ``DIR/<point>.go`` exists (at most :data:`HANDSHAKE_LIMIT` seconds)."""
    folder = os.environ.get(HANDSHAKE_ENV)
    if not folder or point in _reached:
        return
    _reached.add(point)
    with open(os.path.join(folder, f"{point}.reached"), "w", encoding="utf-8") as handle:
        handle.write(str(os.getpid()))
    go = os.path.join(folder, f"{point}.go")
    deadline = time.monotonic() + HANDSHAKE_LIMIT
    while not os.path.exists(go) and time.monotonic() < deadline:
        time.sleep(POLL)
