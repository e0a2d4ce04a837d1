"""The markup scan that keeps bodies the parsers would spend hours or gigabytes on from
being parsed: attribute counts over-counted, never under-counted."""

from __future__ import annotations

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from producers.markup import MAX_ATTRIBUTES, MAX_PAGE_MARKUP, refusal, shape


def attributes(n: int, template: str = 'a{i}="v"', sep: str = " ") -> str:
    return sep.join(template.format(i=i) for i in range(n))


@pytest.mark.parametrize(("markup", "elements", "attrs", "most"), [
    (b"<p>text</p>", 1, 0, 0),
    (b'<a href="https://example.org/x?a=1&b=2" title="a > b">x</a>', 1, 2, 2),
    (b"<input type=checkbox checked disabled>", 1, 3, 3),
    (b"<img src=x.png alt='two words'/><br/>", 2, 2, 2),
    (b"<p>1 < 2 and 3 > 2</p>", 1, 0, 0),             # "< 2" is no tag
    (b"<![CDATA[x]]><!-- <p a=1> --><?xml version='1.0'?>", 1, 1, 1),  # over-counted
])
def test_counts(markup: bytes, elements: int, attrs: int, most: int) -> None:
    found = shape(markup)
    assert (found.elements, found.attributes, found.most_attributes) == (elements, attrs, most)


@pytest.mark.parametrize("tag", [
    "<title " + attributes(300) + ">t</title>",
    "<p " + attributes(300, "a{i}=v") + ">",                  # unquoted values
    "<p " + attributes(300, "a{i}") + ">",                    # bare names
    "<p " + attributes(300, "a{i}=v", " / ") + ">",           # slashes between
    "<p " + attributes(300, 'a{i}=">"') + ">",                # ">" inside values
    "<p " + attributes(300, 'a{i}="<p>"') + ">",              # "<" inside values
    "<p " + attributes(300, "a{i}=v", ' " ') + ">",           # stray quotes between
    "<p " + attributes(300, "a{i}=v", "\n\t") + ">",
    "<p " + attributes(300),                                  # never closed
])
def test_an_element_crowded_with_attributes_is_refused(tag: str) -> None:
    body = f"<rss><channel><item>{tag}</item></channel></rss>"
    assert refusal(body.encode()) == f"an element carries more than {MAX_ATTRIBUTES} attributes"
    # in UTF-16 as well
    assert refusal(body.encode("utf-16")) is not None


def test_many_attributes_spread_over_elements_pass_for_feeds_not_pages() -> None:
    one = "<p " + attributes(MAX_ATTRIBUTES) + ">x</p>"
    assert refusal(one.encode()) is None
    body = (one * (MAX_PAGE_MARKUP // MAX_ATTRIBUTES + 1)).encode()
    assert refusal(body) is None
    assert refusal(body, markup_limit=MAX_PAGE_MARKUP) is not None
    elements = b"<p>a</p>" * (MAX_PAGE_MARKUP + 1)
    assert refusal(elements, markup_limit=MAX_PAGE_MARKUP) == (
        f"{MAX_PAGE_MARKUP + 1:,} elements and 0 attributes, "
        f"more than {MAX_PAGE_MARKUP:,} together")


def test_a_long_value_is_one_attribute() -> None:
    body = b'<p title="' + b"word " * 200_000 + b'">x</p>'
    assert shape(body).attributes == 1 and refusal(body) is None


NAMES = st.text("abcdefgh", min_size=1, max_size=3)
VALUES = st.text("ab <>/='\" \n", max_size=6)
SEPARATORS = st.sampled_from([" ", "  ", "\n", " / ", "/", ' " ', " ' ", "\t", "", " = ", "=", "<"])
QUOTES = st.sampled_from(['"', "'", ""])


@st.composite
def tags(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 12))):
        name = draw(NAMES)
        if draw(st.booleans()):
            quote = draw(QUOTES)
            value = draw(VALUES)
            if quote:
                value = value.replace(quote, "")
            else:
                value = "".join(c for c in value if c not in " \n\t>\"'")
            name += f"={quote}{value}{quote}"
        parts.append(draw(SEPARATORS) + name)
    return "<p" + "".join(parts) + ">x</p>"


@settings(max_examples=300, deadline=None)
@given(st.lists(tags(), min_size=1, max_size=4))
def test_never_fewer_attributes_than_lxml_reads(elements: list[str]) -> None:
    html = "<html><body>" + "".join(elements) + "</body></html>"
    tree = lxml.html.fromstring(html)
    read = [len(element.attrib) for element in tree.iter() if isinstance(element.tag, str)]
    found = shape(html.encode())
    assert found.attributes >= sum(read)
    assert found.most_attributes >= max(read)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text("ab =\"'/<>\n!?-", max_size=40), min_size=1, max_size=4))
def test_never_fewer_attributes_than_lxml_reads_in_tag_soup(soups: list[str]) -> None:
    html = "<html><body>" + "".join(f"<p {soup}>x</p>" for soup in soups) + "</body></html>"
    tree = lxml.html.fromstring(html)
    read = [len(element.attrib) for element in tree.iter() if isinstance(element.tag, str)]
    found = shape(html.encode())
    assert found.attributes >= sum(read)
    assert found.most_attributes >= max(read)
