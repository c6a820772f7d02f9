"""How long the write path waits: for a file another program is saving to
settle, and after a rename for late writes into the replaced original.

Read at call time (``timing.QUIET_SECONDS``), so tests can shorten them.
"""

from __future__ import annotations

QUIET_SECONDS = 0.3  # a file changed more recently than this is not settled yet
EMPTY_QUIET_SECONDS = 2.0  # an emptied file may be an editor's save half done
SETTLE_LIMIT = 5.0  # wait at most this long for a busy file to settle
WATCH_SECONDS = 0.3  # watch a replaced original this long for late writes
NEW_FILE_WATCH_SECONDS = 0.1  # when nobody holds the original open: watch the new file
ATTEMPTS = 4  # re-reads when another program keeps changing the file
POLL = 0.01
