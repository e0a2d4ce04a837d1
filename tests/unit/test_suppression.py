from analysis.rules import RenotifyPolicy, Suppression
from analysis.suppression import StoryAlert, observe

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


def test_severity_rise_renotifies() -> None:
    first = observe(None, key="k", story_id="s", article_id="a", lang="en", severity="medium",
                    now=0.0, suppression=POLICY)
    second = observe(first.state, key="k", story_id="s", article_id="b", lang="en",
                     severity="high", now=1.0, suppression=POLICY)
    assert second.notify and second.reason == "severity" and second.state.version == 2


def test_after_the_window_the_story_alerts_anew_with_a_new_id() -> None:
    first = observe(None, key="k", story_id="s", article_id="a", lang="en", severity="medium",
                    now=0.0, suppression=POLICY)
    later = observe(first.state, key="k", story_id="s", article_id="b", lang="en",
                    severity="medium", now=25 * 3600.0, suppression=POLICY)
    assert later.notify and later.reason == "new"
    assert later.state.alert_id != first.state.alert_id
    assert later.state.version == 1
