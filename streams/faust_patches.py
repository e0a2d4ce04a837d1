"""One correction to mode-streaming 0.7 (the service library under faust-streaming 0.15):
stream records dropped when a rebalance ends.

Faust suspends flow control when partitions are revoked and empties the agents' input
queues then (records of partitions that may now belong to another worker). When table
recovery ends it *resumes* flow control, and mode's ``FlowControlEvent.resume`` empties
the queues a second time. By then the queues can hold records of the partitions just
assigned to this worker: the fetcher runs while the changelogs are read, and hands
stream records to the agents, which wait for the resume. Those records were thrown away
unprocessed; on a partition with no committed offset the seek that follows recovery does
not move back, so they were never processed and the next commit went past them. A worker
restarted after SIGKILL skipped the articles already waiting on its partitions in 4 of
10 runs of the crash test (tests/integration/test_alerts.py).

The correction: resuming flow control no longer empties the queues (the emptying at
revocation stays). A record fetched during recovery is processed once recovery is
complete; where the seek to the committed offset then fetches it again, it is processed
twice — at-least-once, which every stage absorbs (dedup replays, story suppression,
the delivered-alerts table).

The corrected ``resume`` is shared by every queue Faust makes with
``clear_on_resume=True``: the agents' stream and channel queues (the case above) and the
table manager's changelog queue. The changelog queue is safe too: revocation still
empties every queue (``FlowControlEvent.clear`` at suspension), and what the fetcher
puts into the changelog queue while recovery runs belongs to the assignment just
received, so keeping it through the resume is what recovery wants; an event applied
twice to a table sets the same key to the same value.

mode-streaming is pinned in pyproject.toml, and ``apply`` checks the replaced function's
source against the one this correction was written for (a canary test does the same).
"""

from __future__ import annotations

import hashlib
import inspect
import textwrap

from mode.utils.queues import FlowControlEvent

_PATCHED = "_mediawatch_keeps_queued_records"

#: SHA-256 of the source of mode-streaming 0.7.1's ``FlowControlEvent.resume`` (dedented),
#: the function replaced here. mode-streaming is pinned in pyproject.toml; if an upgrade
#: changes ``resume``, ``apply`` refuses to patch it and the canary test fails, so that
#: the correction is re-examined rather than applied blindly.
KNOWN_RESUME_SHA256 = "da6fc70c770ea01b0ccee8833de3ea239acb3e2545a83c17827fb4718dbafcd7"


class UnknownOriginalError(RuntimeError):
    """``FlowControlEvent.resume`` is not the function this correction replaces."""


def _source_digest(function: object) -> str:
    source = textwrap.dedent(inspect.getsource(function))  # type: ignore[arg-type]
    return hashlib.sha256(source.encode()).hexdigest()


def _resume(self: FlowControlEvent) -> None:
    """Resume production into the queues, keeping what they hold."""
    self._suspend.clear()
    self._resume.set()


setattr(_resume, _PATCHED, True)


def apply() -> None:
    """Install the correction (idempotent); refuse an original it was not written for."""
    original = FlowControlEvent.resume
    if getattr(original, _PATCHED, False):
        return
    digest = _source_digest(original)
    if digest != KNOWN_RESUME_SHA256:
        raise UnknownOriginalError(
            "mode's FlowControlEvent.resume is not the one streams/faust_patches.py "
            f"corrects (source sha256 {digest}); re-examine the correction before "
            "upgrading mode-streaming")
    FlowControlEvent.resume = _resume  # type: ignore[method-assign]
