import hashlib
import re
import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.dedup import fingerprint
from analysis.fingerprints import (
    _words_utf8,
    canonical_url,
    canonical_url_id,
    clean_link,
    content_hash,
    guid_key,
    normalized_content,
    url_id,
)
from analysis.text import clean_text


@pytest.mark.parametrize(("url", "canonical"), [
    ("HTTPS://WWW.Example.COM:443/World/Story/", "https://example.com/World/Story"),
    ("http://example.com:80/a?b=2&a=1#comments", "https://example.com/a?a=1&b=2"),
    ("https://example.com/a?utm_source=rss&utm_medium=x&fbclid=1&gclid=2&id=7",
     "https://example.com/a?id=7"),
    # one article of two feeds of one outlet, each with its own campaign tag
    ("https://www.example.fr/article.html?xtor=RSS-3208", "https://example.fr/article.html"),
    ("https://example.com/a?WT.mc_id=feed&CMP=share&ncid=x&id=7",
     "https://example.com/a?id=7"),
    ("https://m.example.com/news/item", "https://example.com/news/item"),
    ("https://amp.example.com/news/item/amp/", "https://example.com/news/item"),
    ("https://example.com/news/item.amp", "https://example.com/news/item"),
    ("https://example.com:8080/x", "https://example.com:8080/x"),
    ("https://example.com", "https://example.com/"),
    ("https://news.example.co.uk//a//b", "https://news.example.co.uk/a/b"),
    # a query byte that is no UTF-8 stays itself: two searches are two articles
    ("https://example.com/s?q=%E9t%E9", "https://example.com/s?q=%E9t%E9"),
    ("https://example.com/s?q=%e8t%e8", "https://example.com/s?q=%E8t%E8"),
    ("https://example.com/s?q=%C3%A9&r=é&s=中", "https://example.com/s?q=%C3%A9&r=%C3%A9&s=%E4%B8%AD"),
])
def test_canonical_url(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical


@pytest.mark.parametrize(("url", "link"), [
    ("https://example.com/news.php?12345", "https://example.com/news.php?12345"),
    ("HTTP://example.com/a?utm_source=rss&q=%E9&id=7&fbclid=x#top",
     "http://example.com/a?q=%E9&id=7"),
    ("https://example.com/a?utm_medium=feed", "https://example.com/a"),
    ("https://example.com/a?b=1&&c", "https://example.com/a?b=1&c"),
])
def test_clean_link_keeps_the_query_as_written_but_tracking(url: str, link: str) -> None:
    assert clean_link(url) == link


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


# ---------------------------------------------------------------- fast word split
WORD_RE = re.compile(r"\w+")

TRICKY_TEXTS = [
    "", "a", "_", "__init__ x_1 _y_", "Talks in Moscow, 3.5% up", "1,000.50 -3 +4 #5",
    "ÉCOLE élève naïve café", "e\u0301te\u0301 cafe\u0301", "\u0301\u0308 leading marks",
    "ﬁne ﬂow", "İstanbul ışık STRASSE straße", "٣٤ ١٢٣ x² ½ Ⅻ ⑩ ²³",
    "«quoted» — “curly” ‘single’ … • ° € £ © ™", "中文，日本語。カタカナ・ひらがな「引用」",
    "新华社北京3月3日电（记者 王林）", "𝔘nicode 𝟘 𠀀𠀁 🎉 emoji",
    "lone \ud800 surrogate \udfff end",
    "\x00ctrl\x1f\x7f\x80\x9f chars", "ǅ ᾈ Ωω ΣΑΣ", "zero\u200bwidth\u200d joiner\ufeff",
    "عربيـًٌ، نص؛ سؤال؟", "русский текст, ёлка", "a\u3000b\u00a0c\u2028d\u2029e",
    "한국어 ไทย हिन्दी ქართული", "tab\tnew\nline\r\nvt\x0bff\x0c", "é" * 39, "中" * 13 + "a",
]
#: Characters the fast paths treat differently: ASCII word and non-word characters,
#: letters and digits of other scripts, combining marks, punctuation, symbols, spaces,
#: Han and kana, characters of other planes and lone surrogates.
ALPHABET = sorted(set("".join(TRICKY_TEXTS)))


def reference_content(title: str, text: str) -> str:
    folded = unicodedata.normalize("NFKC", f"{clean_text(title)}\n{clean_text(text)}")
    return " ".join(WORD_RE.findall(folded.casefold()))


def test_non_ascii_word_characters_are_the_alphanumeric_ones() -> None:
    """What the fast word split relies on: beyond ASCII, ``\\w`` is ``str.isalnum``."""
    chars = "".join(map(chr, range(0x80, sys.maxunicode + 1)))
    assert re.findall(r"\w", chars) == [c for c in chars if c.isalnum()]


@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_fast_word_split_is_the_regex_split(text: str) -> None:
    assert _words_utf8(text) == " ".join(WORD_RE.findall(text)).encode()


@given(st.text(alphabet=st.sampled_from(ALPHABET), max_size=120)
       | st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=120))
def test_fast_word_split_is_the_regex_split_on_any_text(text: str) -> None:
    assert _words_utf8(text) == " ".join(WORD_RE.findall(text)).encode()


@given(st.text(alphabet=st.sampled_from(ALPHABET), max_size=60),
       st.text(alphabet=st.sampled_from(ALPHABET), max_size=120))
def test_content_hash_is_that_of_the_regex_words(title: str, text: str) -> None:
    content = reference_content(title, text)
    assert normalized_content(title, text) == content
    expected = None if len(content) < 40 else hashlib.blake2b(
        content.encode(), digest_size=10).hexdigest()
    assert content_hash(title, text) == expected


@pytest.mark.parametrize("n", [38, 39, 40, 41])
@pytest.mark.parametrize("char", ["a", "é", "中", "𝔘"])
def test_content_hash_counts_characters_not_bytes(n: int, char: str) -> None:
    text = char * n
    assert (content_hash("", text) is None) == (len(reference_content("", text)) < 40)
