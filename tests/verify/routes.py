"""Every route of the web application, read from the URL configuration (not from a list)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    pattern: str  # e.g. "cases/<str:reference>/"
    kwargs: tuple[str, ...]  # the parameters of the pattern

    @property
    def about_a_case(self) -> bool:
        return "reference" in self.kwargs


def _walk(patterns: list[Any], prefix: str, namespace: str | None) -> Iterator[Route]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace) if x) or None
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            converters = getattr(p.pattern, "converters", {}) or {}
            yield Route(name or f"(unnamed) {prefix}{p.pattern}", prefix + str(p.pattern),
                        tuple(converters))  # fmt: skip


def routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns, "", None))


#: A value for each URL parameter (a case's reference and its referral come from the test).
SAMPLE = {
    "cc": "TH",
    "iid": "th.atipa-2008",
    "cid": "th.atipa-2008.s41",
    "key": "where",
    "table": "figures",
    "ext": "csv",
    "stage": "identification",
    "jti": "00000000-0000-4000-8000-000000000000",
    "sid": "th-karaoke-raid-disputed-age",
    "qid": "q1",
    "code": "ZZZZZZ",  # no such session
}


def url(route: Route, **given: Any) -> str:
    kwargs = {k: given[k] if k in given else SAMPLE[k] for k in route.kwargs}
    return reverse(route.name, kwargs=kwargs)


def soon() -> str:
    return (dt.date.today() + dt.timedelta(days=7)).isoformat()
