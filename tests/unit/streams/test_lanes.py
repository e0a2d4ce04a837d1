"""Delivery lanes without Kafka: order per (route, partition), independence of lanes,
the bound on what is held, and letting go (park) with the items not done."""

from __future__ import annotations

import asyncio
from collections import defaultdict

from streams.lanes import Lanes


class Routes:
    """Work that records what each route finished; a route can be blocked until
    released, or fail by interruption."""

    def __init__(self) -> None:
        self.finished: dict[str, list[str]] = defaultdict(list)
        self.done: list[str] = []
        self.gates: dict[str, asyncio.Event] = {}
        self.started: dict[str, list[str]] = defaultdict(list)
        self.changed = asyncio.Condition()

    async def _changed(self) -> None:
        async with self.changed:
            self.changed.notify_all()

    async def until(self, predicate) -> None:  # type: ignore[no-untyped-def]
        async with asyncio.timeout(5), self.changed:
            await self.changed.wait_for(predicate)

    def block(self, route: str) -> asyncio.Event:
        self.gates[route] = asyncio.Event()
        return self.gates[route]

    async def work(self, route: str, item: str, interrupt: asyncio.Event) -> bool:
        self.started[route].append(item)
        gate = self.gates.get(route)
        if gate is not None:
            waiting = asyncio.ensure_future(gate.wait())
            stopping = asyncio.ensure_future(interrupt.wait())
            await asyncio.wait([waiting, stopping], return_when=asyncio.FIRST_COMPLETED)
            waiting.cancel()
            stopping.cancel()
            if not gate.is_set():
                return False  # interrupted before an outcome
        await asyncio.sleep(0)
        self.finished[route].append(item)
        await self._changed()
        return True

    async def on_done(self, item: str) -> None:
        self.done.append(item)
        await self._changed()


async def settle(lanes: Lanes[str], routes: Routes, done: int) -> None:
    await routes.until(lambda: len(routes.done) >= done)


async def test_each_route_gets_a_partitions_items_in_order() -> None:
    routes = Routes()
    lanes = Lanes(routes.work, routes.on_done, max_pending=100)
    items = [(f"story{i % 3}-v{i // 3}", i % 3) for i in range(12)]
    for item, partition in items:
        assert await lanes.submit(item, partition, ["slack", "hook"])
    await settle(lanes, routes, 12)
    for route in ("slack", "hook"):
        for partition in range(3):
            mine = [item for item, p in items if p == partition]
            got = [item for item in routes.finished[route] if item.startswith(f"story{partition}")]
            assert got == mine
    assert sorted(routes.done) == sorted(item for item, _ in items)
    assert len(lanes) == 0


async def test_a_blocked_route_holds_only_its_own_items() -> None:
    routes = Routes()
    gate = routes.block("slack")
    lanes = Lanes(routes.work, routes.on_done, max_pending=100)
    for i in range(5):
        await lanes.submit(f"a{i}", i % 2, ["slack", "hook"])
    await routes.until(lambda: len(routes.finished["hook"]) >= 5)
    assert routes.finished["slack"] == [] and routes.done == []  # done needs every route
    assert len(lanes) == 5
    # one item per partition is in progress on the blocked route; the rest wait behind it
    assert sorted(routes.started["slack"]) == ["a0", "a1"]
    gate.set()
    await settle(lanes, routes, 5)
    assert sorted(routes.finished["slack"]) == ["a0", "a1", "a2", "a3", "a4"]
    assert [i for i in routes.finished["slack"] if int(i[1]) % 2 == 0] == ["a0", "a2", "a4"]


async def test_submit_waits_while_the_bound_is_held() -> None:
    routes = Routes()
    gate = routes.block("slack")
    lanes = Lanes(routes.work, routes.on_done, max_pending=3)
    for i in range(3):
        await lanes.submit(f"a{i}", 0, ["slack"])
    fourth = asyncio.ensure_future(lanes.submit("a3", 0, ["slack"]))
    await asyncio.sleep(0.05)
    assert not fourth.done() and len(lanes) == 3
    gate.set()
    async with asyncio.timeout(5):
        assert await fourth
    await settle(lanes, routes, 4)
    assert routes.finished["slack"] == ["a0", "a1", "a2", "a3"]


async def test_an_item_with_no_route_is_done_at_once() -> None:
    routes = Routes()
    lanes = Lanes(routes.work, routes.on_done, max_pending=1)
    assert await lanes.submit("nothing", 0, [])
    assert routes.done == ["nothing"] and len(lanes) == 0


async def test_park_interrupts_and_returns_what_is_not_done_in_order() -> None:
    routes = Routes()
    routes.block("slack")
    lanes = Lanes(routes.work, routes.on_done, max_pending=100, drain_timeout=2)
    for i in range(6):
        await lanes.submit(f"a{i}", i % 3, ["slack", "hook"])
    await routes.until(lambda: len(routes.finished["hook"]) >= 6)
    async with asyncio.timeout(1):  # the blocked waits end at once, not at drain_timeout
        left = await lanes.park()
    assert left == ["a0", "a1", "a2", "a3", "a4", "a5"]
    assert routes.done == [] and len(lanes) == 0 and lanes.lanes() == []
    # parked: nothing is taken until resume
    assert not await lanes.submit("late", 0, ["hook"])
    lanes.resume()
    routes.gates.clear()
    assert await lanes.submit("again", 0, ["slack"])
    await settle(lanes, routes, 1)
    assert routes.done == ["again"]


async def test_park_lets_an_attempt_in_progress_finish() -> None:
    routes = Routes()
    finishing = asyncio.Event()

    async def slow(route: str, item: str, interrupt: asyncio.Event) -> bool:
        finishing.set()
        await asyncio.sleep(0.1)  # an HTTP request under way ignores the interrupt
        routes.finished[route].append(item)
        return True

    lanes = Lanes(slow, routes.on_done, max_pending=10, drain_timeout=5)
    await lanes.submit("a0", 0, ["slack"])
    await lanes.submit("a1", 0, ["slack"])
    await finishing.wait()
    left = await lanes.park()
    assert routes.done == ["a0"] and left == ["a1"]


async def test_a_submitter_waiting_for_room_is_refused_when_parked() -> None:
    routes = Routes()
    routes.block("slack")
    lanes = Lanes(routes.work, routes.on_done, max_pending=1, drain_timeout=1)
    await lanes.submit("a0", 0, ["slack"])
    waiting = asyncio.ensure_future(lanes.submit("a1", 0, ["slack"]))
    await asyncio.sleep(0.01)
    assert await lanes.park() == ["a0"]
    async with asyncio.timeout(1):
        assert await waiting is False


async def test_a_failing_work_does_not_stall_its_lane(caplog) -> None:  # type: ignore[no-untyped-def]
    routes = Routes()

    async def work(route: str, item: str, interrupt: asyncio.Event) -> bool:
        if item == "bad":
            raise RuntimeError("boom")
        return True

    lanes = Lanes(work, routes.on_done, max_pending=10)
    await lanes.submit("bad", 0, ["slack"])
    await lanes.submit("good", 0, ["slack"])
    await settle(lanes, routes, 2)
    assert routes.done == ["bad", "good"]
    assert "failed on an item" in caplog.text
