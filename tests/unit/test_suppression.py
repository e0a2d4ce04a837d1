import orjson

from analysis.rules import RenotifyPolicy, Suppression, parse_rules
from analysis.suppression import StoryAlert, observe, simulate_lines

POLICY = Suppression(window_hours=24, renotify=RenotifyPolicy(sources_at=(5, 20)))


def feed(reports: list[tuple[str, str]], policy: Suppression = POLICY,
         start: float = 1_000_000.0) -> list[tuple[bool, str, int, int]]:
    state = None
    seen = []
    for i, (article, lang) in enumerate(reports):
        decision = observe(state, key="k", story_id="s", article_id=article, lang=lang,
                           severity="medium", now=start + i, suppression=policy)
        state = StoryAlert.from_dict(decision.state.to_dict())  # as a table stores it
        seen.append((decision.notify, decision.reason, state.version, state.source_count))
    return seen


def test_ten_copies_notify_once_then_at_the_threshold() -> None:
    reports = [(f"a{i}", ["en", "ru", "fr"][i % 3]) for i in range(10)]
    outcome = feed(reports)
    notified = [(reason, version, count) for notify, reason, version, count in outcome if notify]
    assert notified == [("new", 1, 1), ("sources", 2, 5)]
    assert outcome[-1][3] == 10


def test_the_same_report_again_changes_nothing() -> None:
    outcome = feed([("a", "en"), ("a", "en"), ("a", "en")])
    assert [o[1] for o in outcome] == ["new", "repeat", "repeat"]
    assert outcome[-1][3] == 1


def test_new_language_policy() -> None:
    policy = Suppression(renotify=RenotifyPolicy(new_language=True))
    outcome = feed([("a", "en"), ("b", "en"), ("c", "ar"), ("d", "ar"), ("e", "zh")], policy)
    assert [o[1] for o in outcome] == ["new", "update", "language", "update", "language"]
    assert outcome[-1][2] == 3


def test_a_regional_tag_of_a_language_is_no_new_language() -> None:
    # copies carry their feed's tag; the first report the language the analysis found
    policy = Suppression(renotify=RenotifyPolicy(new_language=True))
    outcome = feed([("a", "en"), ("b", "en-GB"), ("c", "EN_us"), ("d", "fr-CA")], policy)
    assert [o[1] for o in outcome] == ["new", "update", "update", "language"]


def test_severity_rise_renotifies() -> None:
    first = observe(None, key="k", story_id="s", article_id="a", lang="en", severity="medium",
                    now=0.0, suppression=POLICY)
    second = observe(first.state, key="k", story_id="s", article_id="b", lang="en",
                     severity="high", now=1.0, suppression=POLICY)
    assert second.notify and second.reason == "severity" and second.state.version == 2


def test_a_lowered_severity_is_carried_by_the_next_version_and_a_raise_renotifies() -> None:
    # a reload that lowers a rule lowers the alerts of its stories from their next version
    policy = Suppression(renotify=RenotifyPolicy(sources_at=(3,)))
    state = None
    notified = []
    for i, severity in enumerate(["high", "medium", "medium", "medium", "high"]):
        decision = observe(state, key="k", story_id="s", article_id=f"a{i}", lang="en",
                           severity=severity, now=float(i), suppression=policy)
        state = decision.state
        if decision.notify:
            notified.append((decision.reason, state.version, state.severity))
    assert notified == [("new", 1, "high"), ("sources", 2, "medium"), ("severity", 3, "high")]


def test_after_the_window_the_story_alerts_anew_with_a_new_id() -> None:
    first = observe(None, key="k", story_id="s", article_id="a", lang="en", severity="medium",
                    now=0.0, suppression=POLICY)
    later = observe(first.state, key="k", story_id="s", article_id="b", lang="en",
                    severity="medium", now=25 * 3600.0, suppression=POLICY)
    assert later.notify and later.reason == "new"
    assert later.state.alert_id != first.state.alert_id
    assert later.state.version == 1


def test_simulated_alerts_follow_story_suppression_in_article_order() -> None:
    ruleset = parse_rules(
        "rules:\n"
        "  - name: cn-ru\n    routes: [console]\n"
        "    when: {event: bilateral_meeting, dyads: [CN-RU]}\n"
        "    suppression: {renotify: {sources_at: [3]}}\n"
        "  - name: watch\n    routes: [slack]\n    shadow: true\n"
        "    when: {event: bilateral_meeting}\n")
    text = "Russian Foreign Minister Sergei Lavrov met his Chinese counterpart Wang Yi."
    lines = [orjson.dumps({"id": f"a{i}", "title": "Talks", "text": text,
                           "published_at": f"2024-04-09T0{i}:00:00Z"}) for i in range(1, 4)]
    lines.append(orjson.dumps({"id": "a1", "title": "Talks", "text": text,
                               "published_at": "2024-04-09T05:00:00Z"}))
    lines.append(b"{broken")
    out = list(simulate_lines(ruleset, lines))
    sent = [[(a["rule"], a["version"], a["reason"]) for a in o.get("alerts", [])] for o in out]
    assert sent == [[("cn-ru", 1, "new"), ("watch", 1, "new")], [],
                    [("cn-ru", 2, "sources")], [], []]
    assert out[0]["alerts"][1]["shadow"] is True and "shadow" not in out[0]["alerts"][0]
    assert out[1]["suppressed"] == [
        {"rule": "cn-ru", "event_type": "bilateral_meeting",
         "alert_id": out[0]["alerts"][0]["alert_id"], "reason": "update"},
        {"rule": "watch", "event_type": "bilateral_meeting",
         "alert_id": out[0]["alerts"][1]["alert_id"], "reason": "update"}]
    assert {s["reason"] for s in out[3]["suppressed"]} == {"repeat"}  # the same article
    assert "error" in out[4]


def test_an_undated_report_is_of_the_day_of_the_one_before() -> None:
    ruleset = parse_rules("rules:\n  - name: m\n    routes: [console]\n"
                          "    when: {event: bilateral_meeting}\n")
    text = "Russian Foreign Minister Sergei Lavrov met his Chinese counterpart Wang Yi."
    lines = [orjson.dumps({"id": "a", "title": "Talks", "text": text}),   # before any date
             orjson.dumps({"id": "b", "title": "Talks", "text": text,
                           "published_at": "2024-04-09T08:00:00Z"}),
             orjson.dumps({"id": "c", "title": "Talks", "text": text}),   # the same day
             orjson.dumps({"id": "d", "title": "Talks", "text": text,
                           "published_at": "2024-04-10T08:00:00Z"})]
    out = list(simulate_lines(ruleset, lines))
    assert [[a["reason"] for a in o["alerts"]] for o in out] == [["new"], ["new"], [], ["new"]]
    assert [s["reason"] for s in out[2]["suppressed"]] == ["update"]
