"""YAML as people write the project's files: ``NO`` is Norway, ``no`` Norwegian, ``on``
an English word, and a key written twice is an error.

PyYAML follows YAML 1.1, where ``yes``, ``no``, ``on``, ``off`` and their capitalised
forms are booleans: ``NO:`` in a list of country codes became ``False``, ``[on, today]``
became ``[True, "today"]``, and a feed's ``country: NO`` was refused as "not a country
code, got False". :class:`Loader` reads them as YAML 1.2 does, as strings; only
``true`` and ``false`` (any case) stay booleans, and ``6e2`` is a number as in YAML
1.2, not a string.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

__all__ = ["Loader", "load", "non_strings", "repeated_key"]

_BOOL = "tag:yaml.org,2002:bool"
_MERGE = "tag:yaml.org,2002:merge"


class Loader(yaml.SafeLoader):
    """``yaml.SafeLoader`` with YAML 1.2's booleans (``true`` and ``false`` only) that
    refuses a key written twice in one mapping, which PyYAML would let the second
    silently replace (a feed's second ``url:``)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if (twice := repeated_key(node)) is not None:
            key_node, first = twice
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key_node.value!r} (first on line {first})",
                key_node.start_mark)
        return super().construct_mapping(node, deep=deep)


Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
# YAML 1.2 floats need no dot before an exponent: 6e2 is 600.0, not the string "6e2".
Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float", re.compile(r"^[-+]?[0-9]+[eE][-+]?[0-9]+$"),
    list("-+0123456789")
)


def repeated_key(node: yaml.MappingNode) -> tuple[yaml.ScalarNode, int] | None:
    """The first key of ``node`` written again, with the line of its first writing; None
    when every key is written once. Keys a merge brings (``<<: *defaults``) may be
    written again: that overrides them."""
    first: dict[tuple[str, str], int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE:
            continue
        key = (key_node.tag, key_node.value)
        if key in first:
            return key_node, first[key]
        first[key] = key_node.start_mark.line + 1
    return None


def load(text: str) -> Any:
    """One YAML document, read by :class:`Loader`; raises ``yaml.YAMLError``."""
    return yaml.load(text, Loader=Loader)  # a SafeLoader: builds plain data only


def non_strings(data: Any, where: str = "") -> list[str]:
    """Where ``data`` holds a key or a scalar that is not a string ("zh/NO", "en[0]"):
    the analysis data files hold words and names only, so a number, a null or a boolean
    there is a slip of the pen (an empty value, an unquoted ``true``)."""
    found: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            here = f"{where}/{key}" if where else str(key)
            if not isinstance(key, str):
                found.append(f"{here} (key {key!r})")
            found.extend(non_strings(value, here))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found.extend(non_strings(value, f"{where}[{i}]"))
    elif not isinstance(data, str):
        found.append(f"{where or 'the file'} ({data!r})")
    return found
