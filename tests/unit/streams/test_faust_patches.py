"""The flow-control correction of streams.faust_patches on mode's real classes."""

from __future__ import annotations

from mode.utils.queues import FlowControlEvent, FlowControlQueue

from streams import faust_patches


async def test_resuming_flow_keeps_queued_records_and_revoking_still_clears() -> None:
    faust_patches.apply()
    faust_patches.apply()  # idempotent
    flow = FlowControlEvent(initially_suspended=True)
    queue: FlowControlQueue[str] = FlowControlQueue(flow_control=flow, clear_on_resume=True)
    queue.put_nowait("fetched during recovery")
    assert not flow.is_active()

    flow.resume()
    assert flow.is_active()
    assert queue.qsize() == 1  # Faust 0.15 emptied the queue here
    assert await queue.get() == "fetched during recovery"

    queue.put_nowait("of a revoked partition")
    flow.suspend()
    flow.clear()  # what Faust does when partitions are revoked
    assert queue.qsize() == 0
