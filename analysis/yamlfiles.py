"""YAML as people write the project's files: ``NO`` is Norway, ``no`` Norwegian, ``on``
an English word, and a key written twice is an error.

PyYAML follows YAML 1.1, where ``yes``, ``no``, ``on``, ``off`` and their capitalised
forms are booleans: ``NO:`` in a list of country codes became ``False``, ``[on, today]``
became ``[True, "today"]``, and a feed's ``country: NO`` was refused as "not a country
code, got False". :class:`Loader` reads them as YAML 1.2 does, as strings; only
``true`` and ``false`` (any case) stay booleans.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

__all__ = ["Loader", "load", "non_strings"]

_BOOL = "tag:yaml.org,2002:bool"


class Loader(yaml.SafeLoader):
    """``yaml.SafeLoader`` with YAML 1.2's booleans (``true`` and ``false`` only) that
    refuses a key written twice in one mapping, which PyYAML would let the second
    silently replace (a feed's second ``url:``)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        first: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # "<<: *defaults": what it brings may be overridden
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                seen = first.setdefault(key, line)
            except TypeError:  # an unhashable key: the constructor says so next
                continue
            if seen != line:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r} (first on line {seen})",
                    key_node.start_mark)
        return super().construct_mapping(node, deep=deep)


Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


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
