import pytest

from producers.feedurls import canonical_feed_url, feed_host, feed_url_identity


@pytest.mark.parametrize(("url", "canonical"), [
    ("HTTP://News.Example.COM:80/rss.xml", "http://news.example.com/rss.xml"),
    ("https://news.example.com:443/rss?b=2&a=1#top", "https://news.example.com/rss?b=2&a=1"),
    # The query is the feed's own: kept as written, whatever an article URL would lose.
    ("https://news.example.com/rss?utm_source=x&cat=world",
     "https://news.example.com/rss?utm_source=x&cat=world"),
    ("https://news.example.com/index.php?rss", "https://news.example.com/index.php?rss"),
    ("https://news.example.com/feed.php?rss=1", "https://news.example.com/feed.php?rss=1"),
    ("https://news.example.com/x?outputType=rss", "https://news.example.com/x?outputType=rss"),
    ("https://news.example.com/feed?src=sports&ref=home",
     "https://news.example.com/feed?src=sports&ref=home"),
    ("https://news.example.com/feed?from=world", "https://news.example.com/feed?from=world"),
    ("https://news.example.com/feed?id=5;cat=2", "https://news.example.com/feed?id=5;cat=2"),
    ("https://news.example.com/search?q=%E9t%E9", "https://news.example.com/search?q=%E9t%E9"),
    # Unlike an article URL, a feed URL keeps its scheme and its m./www. host.
    ("http://m.news.example.com/feed/", "http://m.news.example.com/feed/"),
    ("https://www.news.example.com//a//rss", "https://www.news.example.com/a/rss"),
    ("https://news.example.com:8443/rss", "https://news.example.com:8443/rss"),
    ("https://أخبار.example/rss", "https://أخبار.example/rss"),
])
def test_canonical_feed_url(url: str, canonical: str) -> None:
    assert canonical_feed_url(url) == canonical


@pytest.mark.parametrize("url", ["ftp://x.example/rss", "/rss.xml", "news.example.com/rss",
                                 "https://user:pw@x.example/rss", "http://x.example:99999/"])
def test_not_a_feed_url(url: str) -> None:
    with pytest.raises(ValueError):
        canonical_feed_url(url)


def test_identity_ignores_scheme_www_and_trailing_slash() -> None:
    same = {feed_url_identity(u) for u in [
        "http://www.news.example.com/rss/", "https://news.example.com/rss",
        "https://NEWS.example.com:443/rss?utm_medium=feed"]}
    assert len(same) == 1
    assert feed_url_identity("https://m.news.example.com/rss") not in same
    assert feed_url_identity("https://news.example.com/rss?cat=2") not in same


def test_feeds_told_apart_by_their_query_are_not_duplicates() -> None:
    urls = ["https://news.example.com/feed?from=world", "https://news.example.com/feed?src=sports",
            "https://news.example.com/feed", "https://news.example.com/index.php?rss",
            "https://news.example.com/index.php", "https://news.example.com/f?q=%E9",
            "https://news.example.com/f?q=%E8"]
    assert len({feed_url_identity(u) for u in urls}) == len(urls)
    assert feed_url_identity("https://news.example.com/rss?b=2&a=1") == feed_url_identity(
        "https://www.news.example.com/rss?a=1&b=2&utm_source=x")


def test_feed_host() -> None:
    assert feed_host("https://News.Example.com.:8080/rss") == "news.example.com"
