from pathlib import Path

import pytest

from analysis.rules import (
    BILATERAL_MEETING,
    DEFAULT_RULES_FILE,
    SANCTIONS_RHETORIC,
    RouteError,
    RulesError,
    dyad_matches,
    evaluate,
    load_rules,
    parse_rules,
    route_problems,
    story_key,
)

MEETING = {"lang": "ru", "countries": ["CN", "RU", "UA"], "regions": ["eastern-asia"],
           "keywords": ["diplomacy"],
           "events": [{"type": BILATERAL_MEETING, "parties": ["CN", "RU"], "modality": "call",
                       "evidence": "Лавров и Ван И провели телефонный разговор.",
                       "spans": [[0, 6, "Лавров", "party"]]}],
           "sanctions_rhetoric": {"present": True, "stance": "condemn",
                                  "evidence": "Стороны осудили санкции.", "spans": []}}


def rules(body: str) -> list:  # type: ignore[type-arg]
    return list(parse_rules(body, "rules.yaml").rules)


def test_the_shipped_rules_load() -> None:
    ruleset = load_rules(DEFAULT_RULES_FILE)
    assert {r.name for r in ruleset.rules} >= {"bilateral-meetings", "sanctions-rhetoric"}


@pytest.mark.parametrize(("pattern", "parties", "expected"), [
    (("RU", "CN"), ["CN", "RU"], True),
    (("CN", "RU"), ["CN", "RU"], True),
    (("RU", "*"), ["CN", "RU"], True),
    (("*", "RU"), ["RU", "US"], True),
    (("RU", "*"), ["CN", "US"], False),
    (("*", "*"), ["CN", "US"], True),
    (("RU", "US"), ["CN", "RU"], False),
])
def test_dyad_patterns_match_in_any_order(pattern: tuple[str, str], parties: list[str],
                                          expected: bool) -> None:
    assert dyad_matches(pattern, parties) is expected


def test_conditions_select_events() -> None:
    ruleset = rules("""
rules:
  - name: ru-any
    routes: [console]
    when: {event: bilateral_meeting, dyads: [RU-*]}
  - name: us-cn
    routes: [console]
    when: {event: bilateral_meeting, dyads: [US-CN]}
  - name: condemn-in-russian
    routes: [console]
    when: {event: sanctions_rhetoric, stance: [condemn], languages: [ru]}
  - name: impose-only
    routes: [console]
    when: {event: sanctions_rhetoric, stance: impose}
  - name: all-countries
    routes: [console]
    when: {countries: {all: [CN, RU, UA]}, keywords: {any: [diplomacy]}}
  - name: needs-region
    routes: [console]
    when: {regions: {any: [western-europe]}}
  - name: from-feed
    routes: [console]
    when: {sources: [other-feed]}
""")
    fired = {(m.rule.name, m.event_type) for m in evaluate(ruleset, MEETING, source="feed-1")}
    assert fired == {
        ("ru-any", BILATERAL_MEETING),
        ("condemn-in-russian", SANCTIONS_RHETORIC),
        ("all-countries", BILATERAL_MEETING),
        ("all-countries", SANCTIONS_RHETORIC),
    }
    match = next(m for m in evaluate(ruleset, MEETING) if m.rule.name == "ru-any")
    assert match.parties == ("CN", "RU") and match.modality == "call"
    assert match.spans == ([0, 6, "Лавров", "party"],)


def test_an_article_reporting_two_meetings_matches_each_pair_once() -> None:
    second = {"type": BILATERAL_MEETING, "parties": ["FR", "IN"], "modality": "meeting",
              "evidence": "Modi met Macron in Paris.", "spans": []}
    roundup = {**MEETING, "events": [*MEETING["events"], second, MEETING["events"][0]]}
    (rule,) = rules("rules:\n  - {name: r, routes: [console], when: {event: bilateral_meeting}}")
    assert [m.parties for m in evaluate([rule], roundup)] == [("CN", "RU"), ("FR", "IN")]
    (only,) = rules("rules:\n  - {name: r, routes: [console], when: {dyads: [IN-*]}}")
    assert [m.parties for m in evaluate([only], roundup)] == [("FR", "IN")]


def test_a_stance_without_an_event_selects_sanctions_only() -> None:
    # every condition given must hold: a meeting has no stance
    (rule,) = rules("rules:\n  - {name: r, routes: [console], when: {stance: [condemn]}}")
    assert [m.event_type for m in evaluate([rule], MEETING)] == [SANCTIONS_RHETORIC]
    (rule,) = rules("rules:\n  - {name: r, routes: [console], when: {dyads: [RU-CN]}}")
    assert [m.event_type for m in evaluate([rule], MEETING)] == [BILATERAL_MEETING]


def test_the_readme_rules_example_loads() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```")[0] for b in readme.split("```yaml\n")[1:]]
    (example,) = [b for b in blocks if b.startswith("routes:")]
    ruleset = parse_rules(example, "README.md")
    assert ruleset.rules and ruleset.routes


def test_story_key_groups_a_meeting_across_languages_and_outlets() -> None:
    (rule,) = rules("rules:\n  - {name: r, routes: [console], when: {event: bilateral_meeting}}")
    (match,) = evaluate([rule], MEETING)
    assert story_key(match, "story-a", "2026-11-24") == story_key(match, "story-b", "2026-11-24")
    assert story_key(match, "story-a", "2026-11-24") != story_key(match, "story-a", "2026-11-25")


@pytest.mark.parametrize(("body", "message"), [
    ("rules:\n  - name: a\n    routes: [console]\n    when: {event: meeting}\n",
     r"rules.yaml:4: rules\[0\]\.when\.event: 'meeting' is not one of"),
    ("rules:\n  - name: a\n    routes: [console]\n    when:\n      dyads: [RUS-CN]\n",
     r"rules.yaml:5: rules\[0\]\.when\.dyads\[0\]: bad dyad pattern 'RUS-CN'"),
    ("rules:\n  - name: a\n    routes: [pager]\n    when: {}\n",
     r"rules.yaml:3: rules\[0\]\.routes\[0\]: unknown route 'pager'"),
    ("rules:\n  - name: a\n    routes: [console]\n    colour: red\n    when: {}\n",
     r"rules.yaml:4: rules\[0\]\.colour: unknown field"),
    ("rules:\n  - name: a\n    when: {}\n",
     r"rules.yaml:2: rules\[0\]\.routes: missing field"),
    ("rules:\n  - name: a\n    routes: [console]\n    severity: urgent\n    when: {}\n",
     r"rules.yaml:4: rules\[0\]\.severity: 'urgent' is not one of"),
    ("rules:\n  - name: a\n    routes: [console]\n    when: {countries: {any: [Russia]}}\n",
     r"rules.yaml:4: rules\[0\]\.when\.countries\.any\[0\]: 'Russia' is not an ISO"),
    ("rules:\n  - name: a\n    routes: [console]\n    when: {}\n"
     "    suppression: {renotify: {sources_at: [1]}}\n",
     r"rules.yaml:5: rules\[0\]\.suppression\.renotify\.sources_at\[0\]: expected a whole"),
    ("routes:\n  ops: {type: webhook}\nrules:\n  - {name: a, routes: [ops], when: {}}\n",
     r"rules.yaml:2: routes\.ops: needs exactly one of url, url_file"),
    ("rules:\n  - {name: a, routes: [console], when: {}}\n"
     "  - {name: a, routes: [console], when: {}}\n",
     r"rules.yaml:3: rules\[1\]\.name: duplicate rule name 'a'"),
    ("rules:\n  - {name: a, routes: [console], when: {}, shadow: maybe}\n",
     r"rules.yaml:2: rules\[0\]\.shadow: expected true or false"),
    ("rules:\n  - name: a\n    routes: [console]\n    when: {event: bilateral_meeting}\n"
     "    when: {}\n",
     r"rules.yaml:5: rules\[0\]\.when: written twice \(first on line 4\)"),
    ("routes:\n  ops: {type: webhook, url: 'http://a'}\n  ops: {type: webhook, url: 'http://b'}\n"
     "rules:\n  - {name: a, routes: [ops], when: {}}\n",
     r"rules.yaml:3: routes\.ops: written twice"),
    ("rules:\n  - {name: a, routes: [console], when: {countries: [UK]}}\n",
     r"rules.yaml:2: rules\[0\]\.when\.countries\[0\]: 'UK' is not a country code the "
     r"analysis gives; the code is GB"),
    ("rules:\n  - {name: a, routes: [console], when: {dyads: [RU-QQ]}}\n",
     r"rules.yaml:2: rules\[0\]\.when\.dyads\[0\]: 'QQ' is not a country code"),
    ("rules:\n  - {name: a, routes: [console], when: {dyads: [ru-ru]}}\n",
     r"rules.yaml:2: rules\[0\]\.when\.dyads\[0\]: 'ru-ru' pairs a country with itself"),
    ("rules:\n  - {name: a, routes: [console], when: {regions: [eastern_asia]}}\n",
     r"rules.yaml:2: rules\[0\]\.when\.regions\[0\]: 'eastern_asia' is not one of the "
     r"region ids the analysis gives \(did you mean 'eastern-asia'\?\)"),
    ("rules:\n  - {name: a, routes: [console], when: {keywords: {all: [nuclaer]}}}\n",
     r"rules.yaml:2: rules\[0\]\.when\.keywords\.all\[0\]: 'nuclaer' is not one of the "
     r"keyword ids the analysis gives \(did you mean 'nuclear'\?\)"),
    ("rules:\n  - {name: a, routes: [console], when: {languages: [ru, RU]}}\n",
     r"rules.yaml:2: rules\[0\]\.when\.languages\[1\]: 'RU' is not a language code"),
    ("rules:\n  - {name: a, routes: [console], when: {languages: [english]}}\n",
     r"rules.yaml:2: rules\[0\]\.when\.languages\[0\]: 'english' is not a language code"),
    ("rules:\n  - name: a\n    routes: [console]\n"
     "    when: {event: bilateral_meeting, stance: [impose]}\n",
     r"rules.yaml:4: rules\[0\]\.when\.stance: stance only applies to sanctions_rhetoric"),
    ("rules:\n  - name: a\n    routes: [console]\n"
     "    when: {event: [bilateral_meeting, sanctions_rhetoric], dyads: [RU-CN]}\n",
     r"rules.yaml:4: rules\[0\]\.when\.dyads: dyads only apply to bilateral_meeting events: "
     r"the rule's other event type would never match"),
    ("rules:\n  - {name: a, routes: [console], when: {dyads: [RU-CN], stance: [lift]}}\n",
     r"rules.yaml:2: rules\[0\]\.when\.stance: dyads apply to bilateral_meeting events and "
     r"stance to sanctions_rhetoric events: no event meets both"),
    ("rules:\n  - {name: a, routes: [console], when: {},"
     " suppression: {window_hours: 1e306}}\n",
     r"rules.yaml:2: rules\[0\]\.suppression\.window_hours: at most 8760"),
    ("rules: [\n", r"rules.yaml:2: not valid YAML"),
    ("", r"rules.yaml: the rules file is empty"),
])
def test_errors_name_file_line_and_field(body: str, message: str) -> None:
    with pytest.raises(RulesError, match=message):
        parse_rules(body, "rules.yaml")


def test_a_missing_rules_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match=r"absent\.yaml: cannot read"):
        load_rules(tmp_path / "absent.yaml")


def test_named_routes_are_parsed() -> None:
    ruleset = parse_rules("""
routes:
  ops:
    type: webhook
    url: https://ops.example.org/hooks/mediawatch
    secret_file: /run/secrets/ops
rules:
  - {name: a, routes: [console, ops], when: {}}
""")
    assert ruleset.routes["ops"].type == "webhook"
    assert ruleset.rules[0].routes == ("console", "ops")


def test_a_route_url_needs_a_host() -> None:
    with pytest.raises(RulesError, match=r"rules.yaml:2: routes\.ops\.url: expected an http"):
        parse_rules("routes:\n  ops: {type: webhook, url: 'https://'}\n"
                    "rules:\n  - {name: a, routes: [ops], when: {}}\n", "rules.yaml")


def test_a_route_reads_its_url_and_key_from_its_files(tmp_path: Path) -> None:
    (tmp_path / "url").write_text("https://hooks.example.org/a\n")
    (tmp_path / "key").write_text("s3cret\n")
    ruleset = parse_rules(f"""
routes:
  ops: {{type: webhook, url_file: {tmp_path / "url"}, secret_file: {tmp_path / "key"}}}
  chat: {{type: slack, url_file: {tmp_path / "url"}, secret_file: {tmp_path / "key"}}}
rules:
  - {{name: a, routes: [console, ops, chat], when: {{}}}}
""")
    assert ruleset.routes["ops"].target() == ("https://hooks.example.org/a", b"s3cret")
    assert ruleset.routes["chat"].target() == ("https://hooks.example.org/a", None)
    assert route_problems(ruleset) == []


def test_routes_that_cannot_be_built_here_are_named_without_their_secrets(
        tmp_path: Path) -> None:
    (tmp_path / "empty").write_text("\n")
    (tmp_path / "not-a-url").write_text("hunter2\n")
    (tmp_path / "url").write_text("https://hooks.example.org/a\n")
    ruleset = parse_rules(f"""
routes:
  absent: {{type: webhook, url_file: {tmp_path / "absent"}}}
  empty: {{type: webhook, url_file: {tmp_path / "empty"}}}
  garbled: {{type: slack, url_file: {tmp_path / "not-a-url"}}}
  unsigned: {{type: webhook, url_file: {tmp_path / "url"}, secret_file: {tmp_path / "empty"}}}
  unused: {{type: webhook, url_file: {tmp_path / "absent"}}}
rules:
  - {{name: a, routes: [console, slack, absent, empty, garbled, unsigned], when: {{}}}}
""")
    problems = route_problems(ruleset, "route 'slack': no file")
    assert [p.split(":")[0] for p in problems] == [
        "route 'absent'", "route 'empty'", "route 'garbled'", "route 'slack'",
        "route 'unsigned'"]
    assert "No such file" in problems[0] and "empty" in problems[1]
    assert "hunter2" not in "".join(problems)
    with pytest.raises(RouteError, match="secret_file is empty"):
        ruleset.routes["unsigned"].target()
    assert route_problems(ruleset) == problems[:3] + problems[4:]


@pytest.mark.parametrize("url", [
    "http://[::1/hook",                      # an IPv6 address without its closing bracket
    "http://user:pw@[::1/hook",
    "https://user:pw@hooks.example\uff03org/a",  # a host Unicode folds into a "#"
    "http://user:pw@[bad]/hook",             # not an IP address between brackets
])
def test_a_url_file_urllib_cannot_read_is_a_route_error(tmp_path: Path, url: str) -> None:
    (tmp_path / "url").write_text(url + "\n", encoding="utf-8")
    ruleset = parse_rules(f"""
routes:
  ops: {{type: webhook, url_file: {tmp_path / "url"}}}
rules:
  - {{name: a, routes: [ops], when: {{}}}}
""")
    with pytest.raises(RouteError, match="does not hold an http") as raised:
        ruleset.routes["ops"].target()
    assert "pw" not in str(raised.value) and "::1" not in str(raised.value)
    assert [p.split(":")[0] for p in route_problems(ruleset)] == ["route 'ops'"]


@pytest.mark.parametrize("url", ["http://[::1/hook", "http://user:pw@[bad]/hook"])
def test_a_url_urllib_cannot_read_is_a_rules_error(url: str) -> None:
    with pytest.raises(RulesError, match=r"rules.yaml:2: routes\.ops\.url: expected an http"):
        parse_rules(f"routes:\n  ops: {{type: webhook, url: '{url}'}}\n"
                    "rules:\n  - {name: a, routes: [ops], when: {}}\n", "rules.yaml")


def test_a_shadow_rule_is_marked_and_others_are_not() -> None:
    watched, live = rules("rules:\n  - {name: new, routes: [slack], when: {}, shadow: true}\n"
                          "  - {name: old, routes: [console], when: {}}\n")
    assert (watched.shadow, live.shadow) == (True, False)
    assert [m.rule.shadow for m in evaluate([watched, live], MEETING)] == [True, True, False,
                                                                            False]
