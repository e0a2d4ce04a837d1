"""Which dead letters `mediawatch deadletter replay` sends again, and how."""

import orjson

from streams.replay import ReplayReport, replay_event

EVENT = {"specversion": "1.0", "id": "a1.2", "type": "org.mediawatch.alert",
         "data": {"alert_id": "a1", "version": 2, "routes": ["console", "slack", "hooks"]}}


def _record(reason: str, route: str | None = "slack", value: bytes | None = None) -> dict:  # type: ignore[type-arg]
    record = {"reason": reason, "error": "HTTP 503", "value": (
        value if value is not None else orjson.dumps(EVENT)).decode()}
    if route is not None:
        record["route"] = route
    return record


def test_a_failed_route_gets_the_alert_again_and_only_that_route() -> None:
    event, route = replay_event(_record("gave_up"))
    assert route == "slack" and event is not None
    assert event["data"]["routes"] == ["slack"]
    assert {k: v for k, v in event["data"].items() if k != "routes"} == {
        "alert_id": "a1", "version": 2}
    assert event["id"] == "a1.2"  # the same alert version: delivered once at most
    assert replay_event(_record("rejected", route="hooks"))[1] == "hooks"


def test_what_is_left_alone() -> None:
    assert replay_event(_record("poison_message", route=None)) == (None, "poison_message")
    assert replay_event(_record("gave_up", route=None)) == (None, "no_route")
    assert replay_event(_record("gave_up", value=b"{not json")) == (None, "not_an_alert")
    assert replay_event(_record("gave_up", value=b"[1]")) == (None, "not_an_alert")
    assert replay_event(_record("gave_up"), routes={"hooks"}) == (None, "other_route")


def test_the_summary_counts_routes_and_reasons() -> None:
    report = ReplayReport()
    report.replayed.update(["slack", "slack", "hooks"])
    report.skipped.update(["poison_message"])
    assert report.summary() == ("replayed 3 alert(s) (hooks 1, slack 2); "
                                "left alone 1 (poison_message 1)")
