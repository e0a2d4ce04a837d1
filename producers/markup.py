"""How much work a feed or page body asks of its parser, measured before it is parsed.

Pure: bytes in, counts out. The parsers the producer uses have shapes of input on
which their time or memory grows much faster than the body:

- feedparser's strict parser looks each attribute of an element up among all the
  element's attributes (``xml.sax`` ``getValueByQName``), and lxml's HTML parser
  (under trafilatura) compares each attribute with those before it: both are quadratic
  in the attributes of one element. 16,000 attributes on one feed element take 2 s;
  the 10 MiB a fetch may read would take hours.
- trafilatura over lxml takes about 1.5 KiB and 40 µs per element or attribute: a
  9.6 MB page of ``<p>a</p>`` repeated (1.2 million elements) took 46 s and 1.7 GiB.

No real feed or article page comes near :data:`MAX_ATTRIBUTES` attributes on one
element, nor a page :data:`MAX_PAGE_MARKUP` elements and attributes, so a body beyond
either is not parsed: the feed counts a parse error, the page keeps the feed's summary.

Every start tag (``<`` and a letter) is read the way the HTML standard's tokenizer
reads it, which lxml's HTML parser follows and which reads well-formed XML as XML
does; a repeated attribute counts each time, and so does a "tag" in a script. The
scan may count more attributes than a parser keeps, never fewer (a property test
holds it to lxml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Attributes one element may carry; beyond it the body is refused unparsed.
MAX_ATTRIBUTES = 256
#: Elements and attributes together an article page may hold; beyond it the page is
#: not extracted. trafilatura over lxml takes about 1.5 KiB for each.
MAX_PAGE_MARKUP = 150_000

#: One attribute as HTML reads it (the HTML standard's tokenizer, which lxml's parser
#: follows): a name runs to a space, "/", ">" or "=" (its first character may be any
#: other); a value, after "=", is quoted or runs to a space or ">". Possessive: linear.
_ATTRIBUTE = rb"""[\s/]*+[^\s/>][^\s/>=]*+(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s>]*+))?+"""
ATTRIBUTE = re.compile(_ATTRIBUTE)
#: A start tag with its attributes, up to (not including) its ">"; group 1 its name.
START_TAG = re.compile(rb"(<[A-Za-z][^\s/>]*+)(?:" + _ATTRIBUTE + rb")*+")


@dataclass(frozen=True)
class Shape:
    elements: int          # start tags
    attributes: int        # attributes on them all
    most_attributes: int   # the most on one start tag (a count beyond the limit the
    #                        scan was given stops one past it)


def shape(body: bytes, attribute_limit: int = MAX_ATTRIBUTES) -> Shape:
    """The start tags of ``body``, their attributes, and the most attributes one of
    them carries, counted up to ``attribute_limit + 1``."""
    elements = attributes = most = 0
    # A tag with more attributes than the limit is longer than twice the limit: only
    # those are counted one at a time, to stop past the limit.
    shortest = 2 * attribute_limit
    for match in START_TAG.finditer(body):
        elements += 1
        start, end = match.span()
        if end - start < 4:  # "<p a" is the shortest tag with an attribute
            continue
        after_name = match.end(1)
        if end - start <= shortest:
            count = len(ATTRIBUTE.findall(body, after_name, end))
        else:
            count = 0
            for _ in ATTRIBUTE.finditer(body, after_name, end):
                count += 1
                if count > attribute_limit:
                    break
        attributes += count
        most = max(most, count)
    return Shape(elements, attributes, most)


def refusal(body: bytes, attribute_limit: int = MAX_ATTRIBUTES,
            markup_limit: int | None = None) -> str | None:
    """Why ``body`` is not to be parsed, or None: an element with more than
    ``attribute_limit`` attributes, or (when ``markup_limit`` is given) more elements
    and attributes together than it. A body in UTF-16 or UTF-32 is read without its
    zero bytes, which leaves its markup readable."""
    if b"\x00" in body:
        body = body.replace(b"\x00", b"")
    found = shape(body, attribute_limit)
    if found.most_attributes > attribute_limit:
        return f"an element carries more than {attribute_limit:,} attributes"
    markup = found.elements + found.attributes
    if markup_limit is not None and markup > markup_limit:
        return (f"{found.elements:,} elements and {found.attributes:,} attributes, "
                f"more than {markup_limit:,} together")
    return None
