from pathlib import Path

import pytest

from producers.registry import Feed, FeedsFileError, load_feeds, parse_feeds


def test_feeds_file_is_loaded(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text("feeds:\n  - id: a\n    url: https://a.example/rss\n"
                    "  - {id: b, url: 'http://b.example/atom', name: B, language: ar,"
                    " interval_seconds: 60, country: SA}\n")
    assert load_feeds(path) == [
        Feed(id="a", url="https://a.example/rss", name="a"),
        Feed(id="b", url="http://b.example/atom", name="B", language="ar",
             interval_seconds=60.0, country="SA"),
    ]
    assert Feed.from_json(load_feeds(path)[1].to_json()).country == "SA"


def test_a_norwegian_outlet_is_written_as_people_write_it(tmp_path: Path) -> None:
    """NO and no are Norway and Norwegian, not the booleans of YAML 1.1."""
    path = tmp_path / "feeds.yaml"
    path.write_text("feeds:\n  - {id: nrk, url: 'https://nrk.example/rss', country: NO,"
                    " language: no}\n  - {id: on, url: 'https://on.example/rss'}\n")
    nrk, on = load_feeds(path)
    assert (nrk.country, nrk.language) == ("NO", "no")
    assert on.id == "on"


@pytest.mark.parametrize(("data", "message"), [
    ({"feed": []}, "expected a mapping with a 'feeds' list"),
    ({"feeds": ["x"]}, r"feeds\[0\]: expected a mapping"),
    ({"feeds": [{"id": "a"}]}, r"feeds\[0\]: 'url'"),
    ({"feeds": [{"id": "a", "url": "ftp://x"}]}, r"'url' must be an http"),
    ({"feeds": [{"id": "a", "url": "http://x", "colour": 1}]}, "unknown field.*colour"),
    ({"feeds": [{"id": "a", "url": "http://x"}, {"id": "a", "url": "http://y"}]},
     r"feeds\[1\]: duplicate id 'a' \(feeds\[0\]\)"),
    ({"feeds": [{"id": "a", "url": "http://x", "interval_seconds": -1}]}, "interval"),
    ({"feeds": [{"id": "a", "url": "http://x", "interval_seconds": True}]},
     r"feeds\[0\] \(feed a\): 'interval_seconds' must be a positive number.*True"),
    ({"feeds": [{"id": "a", "url": "http://x", "interval_seconds": float("nan")}]},
     r"\(feed a\): 'interval_seconds'.*nan"),
    ({"feeds": [{"id": "a", "url": "http://x", "interval_seconds": float("inf")}]},
     r"\(feed a\): 'interval_seconds'.*inf"),
    ({"feeds": [{"id": "a", "url": "http://x", "country": "sa"}]}, "'country' must be an ISO"),
    ({"feeds": [{"id": "a", "url": "http://x", "country": "SAU"}]}, "alpha-2"),
    ({"feeds": [{"id": "a", "url": "http://x", "country": 1}]}, "country"),
])
def test_invalid_entries_are_named(data: object, message: str) -> None:
    with pytest.raises(FeedsFileError, match=message):
        parse_feeds(data, "feeds.yaml")


def test_an_interval_is_read_as_yaml_1_2_writes_it(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text("feeds:\n  - {id: a, url: 'https://a.example/rss', interval_seconds: 6e2}\n"
                    "  - {id: b, url: 'https://b.example/rss', interval_seconds: .nan}\n")
    with pytest.raises(FeedsFileError, match=r"feeds\[1\] \(feed b\): 'interval_seconds'"):
        load_feeds(path)
    path.write_text("feeds:\n  - {id: a, url: 'https://a.example/rss', interval_seconds: 6e2}\n")
    (feed,) = load_feeds(path)
    assert feed.interval_seconds == 600.0


def test_a_field_written_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "feeds.yaml"
    path.write_text("feeds:\n  - id: a\n    url: https://a.example/rss\n"
                    "    url: https://b.example/rss\n")
    with pytest.raises(FeedsFileError, match=r"duplicate key 'url' \(first on line 3\)"):
        load_feeds(path)


def test_unreadable_and_non_yaml_files(tmp_path: Path) -> None:
    with pytest.raises(FeedsFileError, match="cannot read"):
        load_feeds(tmp_path / "absent.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("feeds: [unclosed")
    with pytest.raises(FeedsFileError, match="not valid YAML"):
        load_feeds(bad)


@pytest.mark.parametrize("name", ["feeds.yaml", "feeds.compose.yaml"])
def test_the_sample_feeds_poll_no_faster_than_the_floor(name: str) -> None:
    """A feed's interval_seconds below MEDIAWATCH_FEED_MIN_INTERVAL_SECONDS is raised to
    it: a sample that sets less promises a poll rate it does not get."""
    from streams.settings import Settings

    path = Path(__file__).resolve().parents[3] / "deploy" / "examples" / name
    floor = Settings().feed_min_interval_seconds
    feeds = load_feeds(path)
    assert feeds and all(feed.interval_seconds is None or feed.interval_seconds >= floor
                         for feed in feeds)


def test_a_url_scheme_in_capitals_is_a_url() -> None:
    # schemes are case-insensitive: "feeds add" took HTTPS:// while a feeds file did not
    (feed,) = parse_feeds({"feeds": [{"id": "a", "url": "HTTPS://a.example/rss"}]})
    assert feed.url == "HTTPS://a.example/rss"
