import pytest

from producers.feedurls import canonical_feed_url, feed_host, feed_url_identity


@pytest.mark.parametrize(("url", "canonical"), [
    ("HTTP://News.Example.COM:80/rss.xml", "http://news.example.com/rss.xml"),
    ("https://news.example.com:443/rss?b=2&a=1#top", "https://news.example.com/rss?a=1&b=2"),
    ("https://news.example.com/rss?utm_source=x&cat=world", "https://news.example.com/rss?cat=world"),
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


def test_feed_host() -> None:
    assert feed_host("https://News.Example.com.:8080/rss") == "news.example.com"
