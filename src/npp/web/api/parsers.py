"""The API's JSON parser: DRF's, with limits, and every unusable body a 400 in the contract's
error shape (never a 500).

- at most ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bytes (Django's own limit, 2.5 MB; case facts are a
  few kB): DRF reads the request stream directly, so Django's check alone does not apply;
- text in the declared charset (UTF-8 by default); an unknown charset is refused, not a crash;
- no ``NaN`` or ``Infinity`` (not JSON);
- nesting deeper than Python's decoder can follow is refused (it raised ``RecursionError``).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class BodyError(ParseError):
    """The body cannot be used (too large, wrong encoding, too deep): shown as it is."""


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1 if limit is not None else -1) if stream is not None else b""
        if limit is not None and len(raw) > limit:
            raise BodyError(f"the request body is larger than {limit} bytes")
        encoding = parsers.get_encoding(parser_context or {})
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise BodyError(f"the request body is not {encoding} text") from None
        try:
            return json.loads(text, parse_constant=_no_constants)
        except RecursionError:
            raise BodyError("not valid JSON: nested too deeply") from None
        except ValueError as exc:
            raise ParseError(str(exc)) from None
