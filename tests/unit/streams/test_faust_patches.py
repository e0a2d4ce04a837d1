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


def test_canary_upstream_resume_is_the_one_corrected() -> None:
    """Fails when mode-streaming's FlowControlEvent.resume changes: re-examine the
    correction (and its pin) before moving to that version. Read from the installed
    module's source, since the class may already carry the correction."""
    import ast
    import hashlib
    import importlib.metadata
    import inspect
    import textwrap

    from mode.utils import queues

    source = inspect.getsource(queues)
    tree = ast.parse(source)
    event = next(node for node in tree.body
                 if isinstance(node, ast.ClassDef) and node.name == "FlowControlEvent")
    resume = next(node for node in event.body
                  if isinstance(node, ast.FunctionDef) and node.name == "resume")
    text = textwrap.dedent(ast.get_source_segment(source, resume, padded=True) or "") + "\n"
    assert importlib.metadata.version("mode-streaming") == "0.7.1"
    assert hashlib.sha256(text.encode()).hexdigest() == faust_patches.KNOWN_RESUME_SHA256


def test_an_unknown_original_is_refused(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import pytest

    def resume(self: FlowControlEvent) -> None:  # a changed upstream
        self._suspend.clear()

    monkeypatch.setattr(FlowControlEvent, "resume", resume)
    with pytest.raises(faust_patches.UnknownOriginalError, match="re-examine"):
        faust_patches.apply()
