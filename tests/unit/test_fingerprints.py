import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.dedup import fingerprint
from analysis.fingerprints import canonical_url, canonical_url_id, content_hash, guid_key, url_id
from analysis.text import clean_text


@pytest.mark.parametrize(("url", "canonical"), [
    ("HTTPS://WWW.Example.COM:443/World/Story/", "https://example.com/World/Story"),
    ("http://example.com:80/a?b=2&a=1#comments", "https://example.com/a?a=1&b=2"),
    ("https://example.com/a?utm_source=rss&utm_medium=x&fbclid=1&gclid=2&id=7",
     "https://example.com/a?id=7"),
    ("https://m.example.com/news/item", "https://example.com/news/item"),
    ("https://amp.example.com/news/item/amp/", "https://example.com/news/item"),
    ("https://example.com/news/item.amp", "https://example.com/news/item"),
    ("https://example.com:8080/x", "https://example.com:8080/x"),
    ("https://example.com", "https://example.com/"),
    ("https://news.example.co.uk//a//b", "https://news.example.co.uk/a/b"),
])
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


@pytest.mark.parametrize("bad", ["", "not a url", "ftp://example.com/x", "/relative/path"])
def test_canonical_url_refuses_non_http(bad: str) -> None:
    with pytest.raises(ValueError):
        canonical_url(bad)


def test_variants_share_an_id_and_others_do_not() -> None:
    assert url_id("https://example.com/a?utm_campaign=x") == url_id("http://m.example.com/a/")
    assert url_id("https://example.com/a") != url_id("https://example.com/b")
    assert len(url_id("https://example.com/a")) == 20


def test_guid_keys_are_scoped_by_feed() -> None:
    assert guid_key("feed-a", "1") != guid_key("feed-b", "1")
    assert guid_key("feed-a", " 1 ") == guid_key("feed-a", "1")


def test_content_hash_ignores_case_spacing_and_punctuation() -> None:
    a = content_hash("Talks in Moscow", "The ministers met on Tuesday, officials said.")
    b = content_hash("TALKS IN MOSCOW!", "The  ministers met on Tuesday officials said")
    assert a is not None and a == b
    assert content_hash("Talks", "Other text entirely, with more words here.") != a
    assert content_hash("", "short") is None


@given(st.text(max_size=300))
def test_url_id_never_raises(text: str) -> None:
    assert len(url_id(text)) == 20


@pytest.mark.parametrize(("title", "text"), [
    ("<b>Talks</b> in Cairo", "<p>The ministers met.</p><p>Share on Facebook</p>\nSource: Wire"),
    ("Ruto &amp; Steinmeier", "Kenyan President William Ruto received his German guest.\n"
                              "https://wire.example/x\nBy Staff Writer"),
])
def test_a_hash_of_cleaned_text_needs_no_second_cleaning(title: str, text: str) -> None:
    """fingerprint cleans once and hashes with ``cleaned=True``: the same hash."""
    assert content_hash(clean_text(title).replace("\n", " "), clean_text(text),
                        cleaned=True) == content_hash(title, text)


@given(st.lists(st.sampled_from(["a", "amp", ".amp", "/", "//", "m.", "www.", "x?y=1",
                                 "&utm_source=2", "#f", "%41", "é"]), max_size=12),
       st.sampled_from(["http://", "https://", "HTTPS://"]),
       st.sampled_from(["m.example.com", "www.amp.example.co.uk", "example.com:443"]))
def test_a_canonical_url_is_its_own_canonical_form(parts: list[str], scheme: str,
                                                    host: str) -> None:
    """The producer keys an article by the canonical URL it made; the worker may make it
    canonical again: both must give the same id."""
    try:
        once = canonical_url(f"{scheme}{host}/{''.join(parts)}")
    except ValueError:
        return
    assert canonical_url(once) == once
    assert canonical_url_id(once) == url_id(once)


def test_a_given_url_key_is_the_url_id_it_stands_for() -> None:
    doc = {"id": "a", "url": "https://example.com/a.amp.amp?utm_source=x", "title": "T",
           "text": "Some text of the article, long enough to be hashed as content."}
    key = url_id(doc["url"])
    assert fingerprint(doc, url_key=key) == fingerprint(doc)
