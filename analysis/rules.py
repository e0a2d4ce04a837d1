"""Alert rules: loading and validating the YAML rules file, evaluating rules over an
analysis result, and the key under which one story's alerts are suppressed.

Pure: plain values in, plain values out; the only files read are the rules file and,
in ``Route.target``, a route's URL and secret files. The rules file::

    routes:                        # named delivery routes besides "console" and "slack"
      analysts-webhook:
        type: webhook              # webhook | slack
        url_file: /run/secrets/analysts-webhook-url   # or url: https://...
        secret_file: /run/secrets/analysts-hmac       # HMAC-SHA256 signing key
    rules:
      - name: russia-china
        severity: high             # low | medium | high | critical
        routes: [console, slack]
        when:
          event: bilateral_meeting # or a list; default: both event types
          dyads: [RU-CN, RU-*]     # any order; * matches any country
          countries: {any: [RU, CN]}   # or {all: [...]}
          regions: {any: [eastern-asia]}
          keywords: {any: [nuclear]}
          languages: [ar, ru, zh]
          sources: [feed-id-1]
      - name: sanctions-condemned
        routes: [slack]
        when:
          stance: [condemn, impose]    # sanctions stance: selects sanctions_rhetoric
        shadow: false              # true: evaluated and counted, never delivered
        suppression:
          window_hours: 48         # one alert per story and rule within the window
          renotify:
            sources_at: [5, 20]    # re-notify when the story reaches these source counts
            new_language: false    # re-notify when a new language reports it
            severity_rose: true

Errors name the file, the line and the field: ``rules.yaml:12: rules[0].when.dyads[1]:
bad dyad pattern 'RUS-CN' (expected XX-YY with ISO alpha-2 codes or *)``.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

from analysis import yamlfiles
from analysis.errors import AnalysisError
from analysis.gazetteer import gazetteer
from analysis.jsonlines import error_line
from analysis.keywords import topic_ids
from analysis.langid import is_language_code

BILATERAL_MEETING = "bilateral_meeting"
SANCTIONS_RHETORIC = "sanctions_rhetoric"
EVENT_TYPES = (BILATERAL_MEETING, SANCTIONS_RHETORIC)
STANCES = ("impose", "threaten", "condemn", "lift", "mention")
SEVERITIES = ("low", "medium", "high", "critical")
BUILTIN_ROUTES = ("console", "slack")
ROUTE_TYPES = ("slack", "webhook")
DEFAULT_RULES_FILE = Path(__file__).parent / "data" / "rules.yaml"
MAX_WINDOW_HOURS = 8760

# Matched with fullmatch: "$" would also take a code followed by a newline ("RU\n").
_DYAD = re.compile(r"([A-Z]{2}|\*)-([A-Z]{2}|\*)")
_CODE = re.compile(r"[A-Z]{2}")


class RulesError(AnalysisError, ValueError):
    """The rules file is invalid; the message names file, line and field."""


class RouteError(AnalysisError):
    """A delivery route cannot be built here: its url or secret file is missing,
    unreadable or empty, or holds no http(s) URL."""


def is_http_url(value: str) -> bool:
    """True if ``value`` is an http(s) URL with a host; False for one urllib cannot read
    (``http://[::1/x``), whose ValueError would quote it, password and all."""
    try:
        parsed = urlparse(value)
        return parsed.scheme in ("http", "https") and bool(parsed.hostname)
    except ValueError:
        return False


@dataclass(frozen=True)
class Route:
    name: str
    type: str
    url: str | None = None
    url_file: str | None = None
    secret_file: str | None = None

    def target(self) -> tuple[str, bytes | None]:
        """The URL and the signing key (None: unsigned) this route posts with, read from
        its files. Raises RouteError; the message never quotes a file's content."""
        url = self.url or _read_secret(self.url_file or "", f"route {self.name!r}: url_file")
        if not url:
            raise RouteError(f"route {self.name!r}: its url_file is empty")
        if not is_http_url(url):
            raise RouteError(f"route {self.name!r}: its url_file does not hold an http(s) "
                             "URL (its content is not shown)")
        if self.type == "slack" or not self.secret_file:
            return url, None
        secret = _read_secret(self.secret_file, f"route {self.name!r}: secret_file")
        if not secret:  # never send unsigned what was meant to be signed
            raise RouteError(f"route {self.name!r}: its secret_file is empty")
        return url, secret.encode()


def route_problems(ruleset: RuleSet, slack_problem: str | None = None) -> list[str]:
    """Why each route the rules send to cannot be built here (the worker dead-letters
    its alerts as ``misconfigured``), found without building it. ``slack_problem``: why
    the built-in slack route cannot, which the settings configure, not the rules."""
    problems = []
    for name in sorted({r for rule in ruleset.rules for r in rule.routes}):
        if name == "slack" and slack_problem:
            problems.append(slack_problem)
        elif (route := ruleset.routes.get(name)) is not None:
            try:
                route.target()
            except RouteError as exc:
                problems.append(str(exc))
    return problems


def unsigned_routes(ruleset: RuleSet) -> list[str]:
    """The webhook routes the rules send to that have no ``secret_file``: their requests
    carry no signature, which a receiver cannot tell from a forged one."""
    return sorted(name for name in {r for rule in ruleset.rules for r in rule.routes}
                  if (route := ruleset.routes.get(name)) is not None
                  and route.type == "webhook" and not route.secret_file)


def _read_secret(path: str, what: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise RouteError(f"{what} {path!r} cannot be read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise RouteError(f"{what} {path!r} is not UTF-8 text") from None


@dataclass(frozen=True)
class Selector:
    """``{any: [...]}`` or ``{all: [...]}`` over a set of tags."""

    values: frozenset[str]
    mode: str = "any"

    def matches(self, tags: Iterable[str]) -> bool:
        present = set(tags)
        if self.mode == "all":
            return self.values <= present
        return bool(self.values & present)


@dataclass(frozen=True)
class RenotifyPolicy:
    sources_at: tuple[int, ...] = ()
    new_language: bool = False
    severity_rose: bool = True


@dataclass(frozen=True)
class Suppression:
    window_hours: float = 48.0
    renotify: RenotifyPolicy = RenotifyPolicy()


@dataclass(frozen=True)
class Condition:
    events: frozenset[str] = frozenset(EVENT_TYPES)
    dyads: tuple[tuple[str, str], ...] = ()
    countries: Selector | None = None
    regions: Selector | None = None
    keywords: Selector | None = None
    languages: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    stances: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Rule:
    name: str
    severity: str = "medium"
    routes: tuple[str, ...] = ("console", "slack")
    when: Condition = Condition()
    suppression: Suppression = Suppression()
    #: evaluated, suppressed and counted (mediawatch_shadow_alerts_total) but never
    #: delivered: a new rule watched before it goes live
    shadow: bool = False


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    routes: Mapping[str, Route] = field(default_factory=dict)


@dataclass(frozen=True)
class Match:
    """One rule fired on one event of one article."""

    rule: Rule
    event_type: str
    evidence: str
    parties: tuple[str, ...] | None = None
    modality: str | None = None
    stance: str | None = None
    spans: tuple[Any, ...] = ()


# ------------------------------------------------------------------ evaluation
def dyad_matches(pattern: tuple[str, str], parties: Sequence[str]) -> bool:
    if len(parties) != 2:
        return False
    a, b = pattern
    x, y = parties
    return ((a in ("*", x)) and (b in ("*", y))) or ((a in ("*", y)) and (b in ("*", x)))


def _article_matches(when: Condition, analysis: Mapping[str, Any], source: str | None) -> bool:
    if when.countries and not when.countries.matches(analysis.get("countries") or ()):
        return False
    if when.regions and not when.regions.matches(analysis.get("regions") or ()):
        return False
    if when.keywords and not when.keywords.matches(analysis.get("keywords") or ()):
        return False
    if when.languages and analysis.get("lang") not in when.languages:
        return False
    return not (when.sources and source not in when.sources)


def evaluate(rules: Iterable[Rule], analysis: Mapping[str, Any],
             source: str | None = None) -> list[Match]:
    """Matches of ``rules`` against an analysis dict (the ``mediawatch analyze`` contract);
    ``source`` is the article's feed id. At most one match per rule and meeting pair (an
    article reporting two meetings reports two stories), and one per rule for sanctions
    rhetoric."""
    events: Sequence[Mapping[str, Any]] = analysis.get("events") or ()
    meetings = [e for e in events if e.get("type") == BILATERAL_MEETING]
    sanctions: Mapping[str, Any] = analysis.get("sanctions_rhetoric") or {}
    matches: list[Match] = []
    for rule in rules:
        when = rule.when
        if not _article_matches(when, analysis, source):
            continue
        if BILATERAL_MEETING in when.events and not when.stances:  # a meeting has none
            pairs: set[tuple[str, ...]] = set()
            for meeting in meetings:
                parties = tuple(meeting.get("parties") or ())
                if parties in pairs or (when.dyads and not any(
                        dyad_matches(d, parties) for d in when.dyads)):
                    continue
                pairs.add(parties)
                matches.append(Match(
                    rule=rule, event_type=BILATERAL_MEETING,
                    evidence=str(meeting.get("evidence") or ""), parties=parties,
                    modality=meeting.get("modality"),
                    spans=tuple(meeting.get("spans") or ())))
        if (SANCTIONS_RHETORIC in when.events and sanctions.get("present")
                and (not when.stances or sanctions.get("stance") in when.stances)
                and not when.dyads):
            matches.append(Match(
                rule=rule, event_type=SANCTIONS_RHETORIC,
                evidence=str(sanctions.get("evidence") or ""), stance=sanctions.get("stance"),
                spans=tuple(sanctions.get("spans") or ())))
    return matches


def story_key(match: Match, story_id: str, published_day: str) -> str:
    """What makes two reports "the same story" for one rule.

    A bilateral meeting is the same story in every language and outlet when it has the
    same parties on the same (UTC) day; other events follow the dedup story id.
    """
    if match.event_type == BILATERAL_MEETING and match.parties:
        return f"{match.rule.name}|{BILATERAL_MEETING}|{'-'.join(match.parties)}|{published_day}"
    return f"{match.rule.name}|{match.event_type}|{story_id}"


def story_day(published: datetime) -> str:
    """The UTC day a report is dated, as a story key takes it."""
    return published.astimezone(UTC).date().isoformat()


def alert_id(key: str) -> str:
    """Stable id of the alert of one rule on one story (from its story key)."""
    return hashlib.blake2b(key.encode(), digest_size=12).hexdigest()


# ------------------------------------------------------------------ loading
class _Reader:
    """Walks a composed YAML node tree, keeping line numbers for error messages."""

    def __init__(self, origin: str) -> None:
        self.origin = origin

    def fail(self, node: yaml.Node | None, where: str, message: str) -> RulesError:
        line = f":{node.start_mark.line + 1}" if node is not None else ""
        return RulesError(f"{self.origin}{line}: {where}: {message}")

    def mapping(self, node: yaml.Node, where: str,
                allowed: Iterable[str]) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, where, "expected a mapping")
        result: dict[str, yaml.Node] = {}
        allowed_set = set(allowed)
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):  # "? [a, b]" or "{[a]: b}"
                raise self.fail(key_node, where or "<top>",
                                "expected a field name, found a list or mapping")
            key = key_node.value
            if key not in allowed_set:
                raise self.fail(key_node, f"{where}.{key}" if where else key,
                                f"unknown field (allowed: {', '.join(sorted(allowed_set))})")
            result[key] = value_node
        self.written_once(node, where)
        return result

    def written_once(self, node: yaml.MappingNode, where: str) -> None:
        """Fail on a key of ``node`` written twice, which PyYAML would keep silently."""
        if (twice := yamlfiles.repeated_key(node)) is not None:
            key_node, first = twice
            key = key_node.value
            raise self.fail(key_node, f"{where}.{key}" if where else key,
                            f"written twice (first on line {first})")

    def scalar(self, node: yaml.Node, where: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.value == "":
            raise self.fail(node, where, "expected a non-empty value")
        return str(node.value)

    def strings(self, node: yaml.Node, where: str) -> list[tuple[str, yaml.Node]]:
        if isinstance(node, yaml.ScalarNode):
            return [(self.scalar(node, where), node)]
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            raise self.fail(node, where, "expected a value or a non-empty list")
        return [(self.scalar(item, f"{where}[{i}]"), item) for i, item in enumerate(node.value)]

    def number(self, node: yaml.Node, where: str) -> float:
        try:
            value = float(self.scalar(node, where))
        except ValueError:
            raise self.fail(node, where, "expected a number") from None
        if not math.isfinite(value) or value <= 0:  # float() reads "nan", "inf", "1e400"
            raise self.fail(node, where, "expected a finite positive number")
        return value

    def boolean(self, node: yaml.Node, where: str) -> bool:
        value = self.scalar(node, where).lower()
        if value not in ("true", "false"):
            raise self.fail(node, where, "expected true or false")
        return value == "true"

    def choice(self, node: yaml.Node, where: str, options: Sequence[str]) -> str:
        value = self.scalar(node, where)
        if value not in options:
            raise self.fail(node, where, f"{value!r} is not one of {', '.join(options)}")
        return value


@cache
def vocabulary() -> dict[str, frozenset[str]]:
    """What the analysis can give in each tag field a rule selects on: country codes,
    region ids (UN M49 and named regions) and keyword topic ids."""
    gz = gazetteer()
    return {
        "countries": gz.codes,
        "regions": frozenset(r for rs in gz.m49.values() for r in rs) | set(gz.region_members),
        "keywords": frozenset(topic_ids()),
    }


#: Codes written for a country that ISO 3166-1 codes otherwise.
_COMMON_MISTAKES = {"UK": "GB", "EL": "GR"}


def _unknown(value: str, field: str) -> str:
    """Why ``value`` cannot select anything in the tag field ``field``."""
    if field == "countries":
        hint = (f"; the code is {_COMMON_MISTAKES[value]}" if value in _COMMON_MISTAKES
                else "")
        return f"{value!r} is not a country code the analysis gives{hint}"
    close = difflib.get_close_matches(value.lower().replace("_", "-"),
                                      sorted(vocabulary()[field]), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return (f"{value!r} is not one of the {field[:-1]} ids the analysis gives{hint}; "
            "a condition on it would never hold")


def _selector(r: _Reader, node: yaml.Node, where: str, field: str) -> Selector:
    if isinstance(node, yaml.MappingNode):
        fields = r.mapping(node, where, ("any", "all"))
        if len(fields) != 1:
            raise r.fail(node, where, "expected exactly one of any, all")
        ((mode, values_node),) = fields.items()
        where = f"{where}.{mode}"
    else:
        mode, values_node = "any", node
    values = r.strings(values_node, where)
    known = vocabulary()[field]
    for i, (value, item) in enumerate(values):
        if field == "countries" and not _CODE.fullmatch(value):
            raise r.fail(item, f"{where}[{i}]",
                         f"{value!r} is not an ISO 3166-1 alpha-2 code")
        if value not in known:
            raise r.fail(item, f"{where}[{i}]", _unknown(value, field))
    return Selector(frozenset(v for v, _ in values), mode)


def _dyad(r: _Reader, value: str, item: yaml.Node, where: str) -> tuple[str, str]:
    found = _DYAD.fullmatch(value.upper())
    if not found:
        raise r.fail(item, where, f"bad dyad pattern {value!r} "
                     "(expected XX-YY with ISO alpha-2 codes or *)")
    a, b = found.group(1), found.group(2)
    for code in (a, b):
        if code != "*" and code not in vocabulary()["countries"]:
            raise r.fail(item, where, _unknown(code, "countries"))
    if a == b != "*":
        raise r.fail(item, where, f"{value!r} pairs a country with itself: a bilateral "
                     "meeting has two")
    return a, b


#: The event type a condition field applies to (its other events never meet it).
_ONLY_FOR = {"dyads": (BILATERAL_MEETING, "dyads only apply"),
             "stance": (SANCTIONS_RHETORIC, "stance only applies")}


def _condition(r: _Reader, node: yaml.Node, where: str) -> Condition:
    fields = r.mapping(node, where, ("event", "dyads", "countries", "regions", "keywords",
                                     "languages", "sources", "stance"))
    kwargs: dict[str, Any] = {}
    if "event" in fields:
        kwargs["events"] = frozenset(
            r.choice(item, f"{where}.event", EVENT_TYPES)
            for _v, item in r.strings(fields["event"], f"{where}.event"))
    if "dyads" in fields:
        kwargs["dyads"] = tuple(
            _dyad(r, value, item, f"{where}.dyads[{i}]")
            for i, (value, item) in enumerate(r.strings(fields["dyads"], f"{where}.dyads")))
    for name in ("countries", "regions", "keywords"):
        if name in fields:
            kwargs[name] = _selector(r, fields[name], f"{where}.{name}", name)
    if "languages" in fields:
        languages = r.strings(fields["languages"], f"{where}.languages")
        for i, (value, item) in enumerate(languages):
            if not is_language_code(value):
                raise r.fail(item, f"{where}.languages[{i}]", f"{value!r} is not a "
                             "language code as the analysis gives them (ISO 639-1 in lower "
                             "case: ar, en, es, fr, ru, zh…)")
        kwargs["languages"] = frozenset(v for v, _ in languages)
    if "sources" in fields:
        kwargs["sources"] = frozenset(
            v for v, _ in r.strings(fields["sources"], f"{where}.sources"))
    if "stance" in fields:
        kwargs["stances"] = frozenset(
            r.choice(item, f"{where}.stance", STANCES)
            for _v, item in r.strings(fields["stance"], f"{where}.stance"))
    condition = Condition(**kwargs)
    if "dyads" in fields and "stance" in fields:
        raise r.fail(fields["stance"], f"{where}.stance", "dyads apply to bilateral_meeting "
                     "events and stance to sanctions_rhetoric events: no event meets both "
                     "(write two rules)")
    for name, (kind, only) in _ONLY_FOR.items():
        if name not in fields:
            continue
        if kind not in condition.events:
            raise r.fail(fields[name], f"{where}.{name}", f"{only} to {kind} events")
        if "event" in fields and len(condition.events) > 1:
            raise r.fail(fields[name], f"{where}.{name}", f"{only} to {kind} events: the "
                         f"rule's other event type would never match (give event: {kind}, "
                         "or write two rules)")
    return condition


def _suppression(r: _Reader, node: yaml.Node, where: str) -> Suppression:
    fields = r.mapping(node, where, ("window_hours", "renotify"))
    window = (r.number(fields["window_hours"], f"{where}.window_hours")
              if "window_hours" in fields else Suppression.window_hours)
    if window > MAX_WINDOW_HOURS:
        raise r.fail(fields["window_hours"], f"{where}.window_hours",
                     f"at most {MAX_WINDOW_HOURS} (a year)")
    policy = RenotifyPolicy()
    if "renotify" in fields:
        rw = f"{where}.renotify"
        rf = r.mapping(fields["renotify"], rw, ("sources_at", "new_language", "severity_rose"))
        sources_at: tuple[int, ...] = ()
        if "sources_at" in rf:
            values = []
            for i, (_v, item) in enumerate(r.strings(rf["sources_at"], f"{rw}.sources_at")):
                number = r.number(item, f"{rw}.sources_at[{i}]")
                if number != int(number) or number < 2:
                    raise r.fail(item, f"{rw}.sources_at[{i}]", "expected a whole number ≥ 2")
                values.append(int(number))
            sources_at = tuple(sorted(set(values)))
        policy = RenotifyPolicy(
            sources_at=sources_at,
            new_language=(r.boolean(rf["new_language"], f"{rw}.new_language")
                          if "new_language" in rf else False),
            severity_rose=(r.boolean(rf["severity_rose"], f"{rw}.severity_rose")
                           if "severity_rose" in rf else True))
    return Suppression(window_hours=window, renotify=policy)


def parse_rules(text: str, origin: str = "<rules>") -> RuleSet:
    """Parse and validate a rules file's text; RulesError names file, line and field."""
    r = _Reader(origin)
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise RulesError(f"{origin}{line}: not valid YAML: {exc}") from None
    except RecursionError:  # PyYAML composes nested collections recursively
        raise RulesError(f"{origin}: not valid YAML: nested too deeply") from None
    if root is None:
        raise RulesError(f"{origin}: the rules file is empty")
    top = r.mapping(root, "", ("rules", "routes"))
    routes: dict[str, Route] = {}
    if "routes" in top:
        if not isinstance(top["routes"], yaml.MappingNode):
            raise r.fail(top["routes"], "routes", "expected a mapping of route names")
        r.written_once(top["routes"], "routes")
        for key_node, value_node in top["routes"].value:
            name = r.scalar(key_node, "routes")  # a route name: neither list nor mapping
            where = f"routes.{name}"
            if name in BUILTIN_ROUTES:
                raise r.fail(key_node, where, "is a built-in route name")
            fields = r.mapping(value_node, where, ("type", "url", "url_file", "secret_file"))
            if "type" not in fields:
                raise r.fail(value_node, f"{where}.type", "missing field")
            kind = r.choice(fields["type"], f"{where}.type", ROUTE_TYPES)
            url = r.scalar(fields["url"], f"{where}.url") if "url" in fields else None
            url_file = (r.scalar(fields["url_file"], f"{where}.url_file")
                        if "url_file" in fields else None)
            if bool(url) == bool(url_file):
                raise r.fail(value_node, where, "needs exactly one of url, url_file")
            if url and not is_http_url(url):
                raise r.fail(fields["url"], f"{where}.url", "expected an http(s) URL with a host")
            secret = (r.scalar(fields["secret_file"], f"{where}.secret_file")
                      if "secret_file" in fields else None)
            routes[name] = Route(name, kind, url, url_file, secret)
    if "rules" not in top:
        raise r.fail(root, "rules", "missing field")
    rules_node = top["rules"]
    if not isinstance(rules_node, yaml.SequenceNode) or not rules_node.value:
        raise r.fail(rules_node, "rules", "expected a non-empty list")
    rules: list[Rule] = []
    names: set[str] = set()
    for i, node in enumerate(rules_node.value):
        where = f"rules[{i}]"
        fields = r.mapping(node, where,
                           ("name", "severity", "routes", "when", "suppression", "shadow"))
        for required in ("name", "when", "routes"):
            if required not in fields:
                raise r.fail(node, f"{where}.{required}", "missing field")
        name = r.scalar(fields["name"], f"{where}.name")
        if name in names:
            raise r.fail(fields["name"], f"{where}.name", f"duplicate rule name {name!r}")
        names.add(name)
        route_names = []
        for j, (route, item) in enumerate(r.strings(fields["routes"], f"{where}.routes")):
            if route not in BUILTIN_ROUTES and route not in routes:
                raise r.fail(item, f"{where}.routes[{j}]", f"unknown route {route!r} "
                             f"(defined: {', '.join([*BUILTIN_ROUTES, *routes])})")
            route_names.append(route)
        rules.append(Rule(
            name=name,
            severity=(r.choice(fields["severity"], f"{where}.severity", SEVERITIES)
                      if "severity" in fields else "medium"),
            routes=tuple(route_names),
            when=_condition(r, fields["when"], f"{where}.when"),
            suppression=(_suppression(r, fields["suppression"], f"{where}.suppression")
                         if "suppression" in fields else Suppression()),
            shadow=r.boolean(fields["shadow"], f"{where}.shadow") if "shadow" in fields
            else False,
        ))
    return RuleSet(tuple(rules), routes)


def load_rules(path: Path | None = None) -> RuleSet:
    """The rules of ``path`` (default: the rules file shipped with the service)."""
    path = path or DEFAULT_RULES_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesError(f"{path}: cannot read the rules file: {exc.strerror}") from None
    return parse_rules(text, str(path))


# ------------------------------------------------------------------ trying rules out
def match_dict(match: Match) -> dict[str, Any]:
    """A match as the JSON the rule tools print."""
    found: dict[str, Any] = {"rule": match.rule.name, "severity": match.rule.severity,
             "routes": list(match.rule.routes), "event_type": match.event_type,
             "parties": list(match.parties) if match.parties else None,
             "modality": match.modality, "stance": match.stance,
             "evidence": match.evidence}
    if match.rule.shadow:
        found["shadow"] = True
    return found


@dataclass(frozen=True)
class MatchedLine:
    """One article line with what the rules made of it."""

    doc: Any                  # analysis.Document
    line: dict[str, Any]      # the JSON object of the line
    lang: str                 # as the analysis found it
    matches: list[Match]


def matched_lines(rules: RuleSet, lines: Iterable[str | bytes]
                  ) -> Iterator[MatchedLine | AnalysisError]:
    """Each JSON line of an article (the ``mediawatch analyze`` input, plus an optional
    ``feed_id`` for rules on ``sources``) with the matches of ``rules`` on it, or the
    error that says why the line is not an article."""
    from analysis.documents import analyze, document_lines  # the core's front door
    from analysis.errors import InvalidDocumentError

    for item in document_lines(lines):
        if isinstance(item, InvalidDocumentError):
            yield item
            continue
        doc, obj = item
        feed = obj.get("feed_id")
        analysis = analyze(doc).to_dict()
        yield MatchedLine(doc, obj, analysis["lang"], evaluate(
            rules.rules, analysis, source=feed if isinstance(feed, str) else None))


def try_lines(rules: RuleSet, lines: Iterable[str | bytes]) -> Iterator[dict[str, Any]]:
    """For each article line (see ``matched_lines``), the alerts ``rules`` would raise
    on it before story suppression: ``{"id", "title", "alerts": [...]}``; a line that
    is not an article yields ``{"id", "error"}`` (the id it gave, or None)."""
    for item in matched_lines(rules, lines):
        if isinstance(item, AnalysisError):
            yield error_line(item)
            continue
        yield {"id": item.doc.id, "title": item.doc.title,
               "alerts": [match_dict(m) for m in item.matches]}
