"""Article and feed text reaches Slack, webhooks and the console inert."""

import re
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.cloudevents import alert_event
from streams.delivery import console_line, mark_spans, mrkdwn_escape, slack_message
from streams.records import Alert

HOSTILE = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<@U024BE7LH>",
    "<#C024BE7LH>",
    "<https://attacker.example/login|Verify your account>",
    "&lt;!channel&gt;",
]
CONTROL = "\x1b[31mred\x1b[0m \u202eevil\u202c \x00nul"


def _alert(**fields: Any) -> Alert:
    base: dict[str, Any] = dict(
        alert_id="a1", version=1, rule="bilateral-meetings", severity="medium",
        event_type="bilateral_meeting", story_id="s1", article_id="x",
        title="Lavrov and Wang Yi talk", url="https://news.example/a?x=1", source="Wire",
        lang="en", countries=["CN", "RU"], regions=[], keywords=[],
        evidence="Lavrov held talks with Wang Yi.",
        created_at=datetime(2026, 12, 1, tzinfo=UTC), parties=["CN", "RU"],
        modality="talks", spans=[[0, 6, "Lavrov", "party"], [11, 16, "talks", "trigger"]],
    )
    return Alert(**(base | fields))


def _mrkdwn_texts(message: dict[str, Any]) -> list[str]:
    """Every string Slack reads as mrkdwn: the notification text and mrkdwn objects."""
    texts = [message["text"]]
    for block in message["blocks"]:
        for obj in [block.get("text"), *block.get("fields", []), *block.get("elements", [])]:
            if isinstance(obj, dict) and obj.get("type") == "mrkdwn":
                texts.append(obj["text"])
    return texts


def _special(texts: list[str]) -> list[str]:
    """Slack's special sequences (<...>) found in mrkdwn strings."""
    return [m for t in texts for m in re.findall(r"<[^>]*>", t)]


@pytest.mark.parametrize("payload", HOSTILE)
def test_feed_text_cannot_ping_or_disguise_a_link_on_slack(payload: str) -> None:
    alert = _alert(title=f"Talks {payload}", source=f"Wire {payload}",
                   evidence=f"Lavrov held talks {payload} with Wang Yi.")
    message = slack_message(alert)
    specials = _special(_mrkdwn_texts(message))
    # the only special sequence left is the service's own link to the article
    label = mrkdwn_escape(payload).replace("|", "¦")  # a bar would end the label
    assert specials == [f"<https://news.example/a?x=1|Wire {label}>"]
    assert payload not in "".join(_mrkdwn_texts(message))
    header = message["blocks"][0]["text"]
    assert header["type"] == "plain_text" and payload in header["text"]  # shown as text


def test_the_services_own_marks_stay() -> None:
    message = slack_message(_alert(evidence="Lavrov held <b>talks</b> with Wang Yi.",
                                   spans=[[0, 6, "Lavrov", "party"]]))
    evidence = message["blocks"][2]["text"]["text"]
    assert evidence == "> *Lavrov* held &lt;b&gt;talks&lt;/b&gt; with Wang Yi."
    fields = [f["text"] for f in message["blocks"][1]["fields"]]
    assert fields[0].startswith("*Event*\n")


def test_a_link_cannot_be_broken_out_of() -> None:
    message = slack_message(_alert(url="https://news.example/a|<!channel>>x y",
                                   source="Wire"))
    specials = _special(_mrkdwn_texts(message))
    assert specials == ["<https://news.example/a%7C%3C!channel%3E%3Ex%20y|Wire>"]
    for scheme in ("javascript:alert(1)", "file:///etc/passwd"):
        assert _special(_mrkdwn_texts(slack_message(_alert(url=scheme)))) == []


def test_control_characters_and_bidi_overrides_are_removed() -> None:
    message = slack_message(_alert(title=CONTROL, evidence=CONTROL, source=CONTROL, spans=None))
    body = orjson.dumps(message).decode()
    for raw in ("\\u001b", "\\u202e", "\\u0000"):
        assert raw not in body
    assert "red" in message["blocks"][0]["text"]["text"]


def test_the_console_line_is_inert_in_a_terminal() -> None:
    line = console_line(_alert(title=CONTROL, source="<!channel>\x1b]0;title\x07"))
    assert "\x1b" not in line and "\u202e" not in line and "\x00" not in line
    assert line.isprintable()


def test_every_value_of_the_console_line_is_inert_in_a_terminal() -> None:
    # the analysis takes a feed's declared language as written when the start of an
    # article has no letters
    line = console_line(_alert(lang="\x1b]0;pwned\x07\x1b[1A\x1b[2K\r\n\u009b2J",
                               rule="ops\x1b[31m", modality="talks\u202e"))
    assert line.isprintable()
    assert "lang=\\x1b]0;pwned\\x07\\x1b[1A\\x1b[2K\\r\\n\\x9b2J " in line
    assert line.startswith("ALERT [ops\\x1b[31m] bilateral meeting (talks\\u202e) ")


def test_the_webhook_body_carries_the_text_as_json_data() -> None:
    alert = _alert(title=CONTROL + " <!channel>", evidence="<@U1>")
    body = orjson.dumps(alert_event(alert))
    assert b"\x1b" not in body and b"\x00" not in body  # JSON escapes control characters
    data = orjson.loads(body)["data"]
    assert data["title"] == alert.title and data["evidence"] == "<@U1>"  # data, unchanged


@pytest.mark.parametrize(("evidence", "spans", "quoted"), [
    ("Lavrov held\r\ntalks with Wang Yi.", [[0, 6, "Lavrov", "party"]],
     "> *Lavrov* held talks with Wang Yi."),
    ("Lavrov held talks\n>with Wang Yi.", None, "> Lavrov held talks &gt;with Wang Yi."),
    ("Lavrov\x0bheld\x85talks\u2028with\u2029Wang\x1c\x1dYi.\t\r", None,
     "> Lavrov held talks with Wang Yi."),
    ("\n\nLavrov   held\n\n talks with\x00Wang Yi.", [[11, 15, "held", "trigger"]],
     "> Lavrov *held* talks with Wang Yi."),
])
def test_the_evidence_is_one_quoted_line(evidence: str, spans: list[list[Any]] | None,
                                         quoted: str) -> None:
    text = slack_message(_alert(evidence=evidence, spans=spans))["blocks"][2]["text"]["text"]
    assert text == quoted


def test_mark_spans_escapes_each_piece() -> None:
    assert mark_spans("a<b & c>", [[2, 3, "b", "x"]]) == "a&lt;*b* &amp; c&gt;"
    assert mark_spans("x > y", None) == "x &gt; y"


def test_malformed_spans_are_skipped_not_fatal() -> None:
    spans: Any = [["a", 2], [0, None], "x", [1], [True, 3], [2, 3, "b", "party"], None]
    assert mark_spans("a<b & c>", spans) == "a&lt;*b* &amp; c&gt;"
    message = slack_message(_alert(spans=[[0, "six"], {"start": 0}]))
    assert message["blocks"][2]["text"]["text"] == "> Lavrov held talks with Wang Yi."


def test_receivers_verify_signatures_in_constant_time_within_a_window() -> None:
    from streams.delivery import sign, verify
    key, body = b"k3y", b'{"id":"a1.1"}'
    signature = sign(key, "1000", body)
    assert verify(key, "1000", body, signature, now=1000.0)
    assert verify(key, "1000", body, signature, now=1299.0)
    assert not verify(key, "1000", body, signature, now=1301.0)    # too old: a replay
    assert not verify(key, "1000", body + b" ", signature, now=1000.0)  # body changed
    assert not verify(b"other", "1000", body, signature, now=1000.0)
    assert not verify(key, "1001", body, signature, now=1000.0)    # timestamp changed
    assert not verify(key, "soon", body, signature, now=1000.0)


def test_a_link_longer_than_slack_takes_shows_the_source_name_only() -> None:
    from streams.delivery import _slack_link
    from streams.records import MAX_URL_CHARS

    long_url = "https://news.example/" + "a" * MAX_URL_CHARS
    assert _slack_link(long_url, "Example <News>") == "Example &lt;News&gt;"
    assert _slack_link("https://news.example/a", "N").startswith("<https://news.example/a|")


#: Slack's limits on Block Kit text: a header's plain text, a section's or a context
#: element's text object, a section field; the notification text (longer is cut).
SLACK_LIMITS = {"header": 150, "section": 3000, "field": 2000, "context": 3000, "text": 4000}


def _over_slack_limits(message: dict[str, Any]) -> list[tuple[str, int]]:
    """(place, length) of every text longer than Slack takes."""
    over = []
    if len(message["text"]) > SLACK_LIMITS["text"]:
        over.append(("text", len(message["text"])))
    for block in message["blocks"]:
        kind = block["type"]
        texts = [(kind, block["text"]["text"])] if "text" in block else []
        texts += [("field", f["text"]) for f in block.get("fields", [])]
        texts += [(kind, e["text"]) for e in block.get("elements", [])]
        over += [(place, len(t)) for place, t in texts if len(t) > SLACK_LIMITS[place]]
        assert len(block.get("fields", [])) <= 10
    return over


def test_a_link_too_long_once_encoded_is_dropped_and_every_text_fits() -> None:
    url = "https://x.example/" + "中" * 600  # 618 characters, 5,418 once encoded
    message = slack_message(_alert(url=url, source="Wire"))
    assert _over_slack_limits(message) == []
    context = message["blocks"][3]["elements"][0]["text"]
    assert context.startswith("Wire · en · alert a1 v1")  # the source, not linked
    assert _special(_mrkdwn_texts(message)) == []
    fitting = "https://x.example/" + "中" * 100  # 918 once encoded: still a link
    assert _special(_mrkdwn_texts(slack_message(_alert(url=fitting, source="Wire")))) == [
        "<https://x.example/" + "%E4%B8%AD" * 100 + "|Wire>"]


def test_a_link_that_fits_alone_but_not_beside_a_long_source_name_is_dropped() -> None:
    url = "https://x.example/" + "a" * 2000
    message = slack_message(_alert(url=url, source="&" * 300, source_count=3))
    assert _over_slack_limits(message) == []
    context = message["blocks"][3]["elements"][0]["text"]
    assert context.startswith("&amp;" * 200 + " +2 sources · en")


@pytest.mark.parametrize("payload", HOSTILE)
@pytest.mark.parametrize("field", ["parties", "modality", "stance", "severity", "regions",
                                   "rule", "lang", "alert_id"])
def test_no_field_of_an_alert_can_ping_on_slack(field: str, payload: str) -> None:
    value: Any = [payload, "RU"] if field in ("parties", "regions") else payload
    event = "sanctions_rhetoric" if field == "stance" else "bilateral_meeting"
    message = slack_message(_alert(**{field: value, "event_type": event}))
    assert _special(_mrkdwn_texts(message)) == ["<https://news.example/a?x=1|Wire>"]
    assert mrkdwn_escape(payload[:30]) in "".join(_mrkdwn_texts(message))  # as text


def test_evidence_is_cut_before_it_is_escaped() -> None:
    message = slack_message(_alert(evidence="a & b " * 1000, spans=[[0, 1, "a", "party"]]))
    evidence = message["blocks"][2]["text"]["text"]
    assert len(evidence) <= 3000 and evidence.endswith("…")
    assert re.fullmatch(r"> \*a\* &amp; b( a &amp; b)*( a( &amp;)?)?…", evidence), evidence
    assert mark_spans("<<<<", None, 10) == "&lt;&lt;…"
    assert mark_spans("ab cd", [[3, 5, "cd", "party"]], 6) == "ab…"  # no half bold word


def test_a_blank_title_shows_as_untitled() -> None:
    for title in ("", "   ", "\n\t ", "\x00\x1b"):
        message = slack_message(_alert(title=title))
        assert message["blocks"][0]["text"]["text"] == "(untitled)"
        assert message["text"].endswith(": (untitled)")


_TEXT = st.text(alphabet=st.sampled_from("a &<>|*中\n\x1b!@#"), max_size=3500)


@settings(max_examples=60, deadline=None)
@given(url=_TEXT.map(lambda path: "https://x.example/" + path), source=_TEXT, title=_TEXT,
       evidence=_TEXT, lang=_TEXT, rule=_TEXT, severity=_TEXT, modality=_TEXT,
       parties=st.lists(_TEXT, max_size=5), regions=st.lists(_TEXT, max_size=10),
       source_count=st.integers(1, 10**6))
def test_any_alert_makes_a_message_slack_takes(**fields: Any) -> None:
    message = slack_message(_alert(spans=None, **fields))
    assert _over_slack_limits(message) == []
    assert message["blocks"][0]["text"]["text"].strip()
    specials = _special(_mrkdwn_texts(message))
    assert len(specials) <= 1 and all(s.startswith("<https://x.example/") for s in specials)
