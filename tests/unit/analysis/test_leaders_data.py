"""analysis/data/leaders.tsv is what build_leaders.py makes of its public source."""

from datetime import date

from project_scripts import ROOT, load_script

from analysis import Document, analyze
from analysis.gazetteer import gazetteer

DATA = ROOT / "analysis" / "data"
build_leaders = load_script("analysis/data/build_leaders.py", "build_leaders")


def _rows() -> dict[tuple[str, str], tuple[str, list[str]]]:
    rows = {}
    for line in (DATA / "leaders.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            country, role, start, _end, names = line.split("\t")
            rows[(country, role)] = (start, names.split("|"))
    return rows


def test_the_committed_file_is_the_build_of_the_installed_source() -> None:
    committed = (DATA / "leaders.tsv").read_text(encoding="utf-8")
    assert committed == build_leaders.header() + "\n".join(build_leaders.build()) + "\n"


def test_a_sample_agrees_with_the_source() -> None:
    rows = _rows()
    assert len({country for country, _ in rows}) >= 180
    assert rows[("RU", "head_of_state")] == (
        "2012-05-07", ["Vladimir Vladimirovich Putin", "Vladimir Putin", "Putin"])
    assert rows[("CN", "head_of_state")] == ("2013-03-14", ["Xi Jinping"])
    assert rows[("DZ", "head_of_state")][1][-1] == "Tebboune"
    assert rows[("FR", "head_of_state")][0] == "2017-05-14"
    # a leader of several states is written for the most populous one
    assert ("AD", "head_of_state") not in rows
    assert rows[("GB", "head_of_state")][1] == ["Charles III"]
    # short forms the Factbook writes its own way ("DRC", "The Gambia", "Côte d'Ivoire")
    assert rows[("CD", "head_of_state")][1][-1] == "Tshisekedi"
    assert rows[("GM", "head_of_state")][1][-1] == "Barrow"
    assert rows[("CI", "head_of_state")][1][-1] == "Ouattara"
    assert rows[("TR", "head_of_state")][1][-1] == "Erdogan"


def test_office_texts_are_parsed() -> None:
    parse = build_leaders.parse_holder
    assert parse("President Vladimir Vladimirovich PUTIN (since 7 May 2012)") == (
        ["Vladimir", "Vladimirovich"], "Putin", date(2012, 5, 7))
    assert parse("President XI Jinping (since 14 March 2013); Vice President HAN Zheng") == (
        [], "Xi Jinping", date(2013, 3, 14))
    assert parse("King CHARLES III (since 8 September 2022)") == (
        [], "Charles III", date(2022, 9, 8))
    assert parse("represented by Governor General Mary SIMON (since 26 July 2021)") is None
    assert parse("President (vacant)") is None
    # a ";" inside the date's parentheses, an abbreviated month
    assert parse("President Emomali RAHMON (since 16 November 1994; head of state since 1992)") == (
        ["Emomali"], "Rahmon", date(1994, 11, 16))
    assert parse("Prime Minister ANUTIN Charnvirakul (since 5 Sep 2025)") == (
        [], "Anutin Charnvirakul", date(2025, 9, 5))


def test_common_or_short_family_names_never_stand_alone() -> None:
    from collections import Counter
    taken = Counter({"sanchez": 1, "tebboune": 1, "modi": 1})
    assert build_leaders.distinctive("Tebboune", taken, set(), 46_000_000)
    assert not build_leaders.distinctive("Modi", taken, set(), 1_400_000_000)  # short
    assert not build_leaders.distinctive("Tebboune", taken, set(), 90_000)  # small state
    assert not build_leaders.distinctive("Tebboune", taken, {"tebboune"}, 46_000_000)


def test_a_factbook_leader_is_an_office_holder_of_the_analysis() -> None:
    people = [p for p in gazetteer().people.values() if "Tebboune" in p.names]
    assert [p.country for p in people] == ["DZ"]
    # merged with the hand-compiled entry of the same person, not a second one
    assert len([p for p in gazetteer().people.values() if "Putin" in p.names]) == 1
    result = analyze(Document(
        id="x", title="Tebboune receives Ramaphosa",
        text="Tebboune received Ramaphosa for talks on trade and energy.")).to_dict()
    assert [e["parties"] for e in result["events"]] == [["DZ", "ZA"]]
