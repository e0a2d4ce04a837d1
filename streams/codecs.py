"""The orjson codec that every record and topic of the service uses."""

from __future__ import annotations

from typing import Any

import orjson
from faust.serializers import codecs


def json_default(obj: Any) -> Any:
    """Nested Faust records (and anything else with ``__json__``) as plain JSON."""
    to_json = getattr(obj, "__json__", None)
    if to_json is None:
        raise TypeError(f"{type(obj).__name__} is not JSON serializable")
    return to_json()


class OrjsonCodec(codecs.Codec):
    """JSON through orjson: datetimes as RFC 3339, bytes out, str or bytes in."""

    def _dumps(self, obj: Any) -> bytes:
        return orjson.dumps(obj, default=json_default, option=orjson.OPT_NON_STR_KEYS)

    def _loads(self, s: bytes) -> Any:
        return orjson.loads(s)


def register() -> None:
    """Make ``serializer="orjson"`` available to Faust (idempotent)."""
    codecs.register("orjson", OrjsonCodec())


register()
