"""One correction to faust-streaming 0.15: stream records dropped when a rebalance ends.

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
"""

from __future__ import annotations

from mode.utils.queues import FlowControlEvent

_PATCHED = "_mediawatch_keeps_queued_records"


def _resume(self: FlowControlEvent) -> None:
    """Resume production into the queues, keeping what they hold."""
    self._suspend.clear()
    self._resume.set()


setattr(_resume, _PATCHED, True)


def apply() -> None:
    """Install the correction (idempotent)."""
    if not getattr(FlowControlEvent.resume, _PATCHED, False):
        FlowControlEvent.resume = _resume  # type: ignore[method-assign]
