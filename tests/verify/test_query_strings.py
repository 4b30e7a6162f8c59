"""Garbage in query strings and in path parameters, on every route of the URL configuration:
never a 500.

PostgreSQL refuses text containing NUL, and a filter, a page number or a case reference taken
from the URL without checking it reaches the database or a converter; the answer must be a
page (or a 4xx), whatever the value.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from npp.web.cases import actions

from .conftest import login, scale, th_facts
from .routes import routes, url
from .test_authorisation_matrix import TABLE

pytestmark = pytest.mark.django_db

#: Every query parameter a view reads (grep request.GET / query_params).
PARAMS = ["q", "stage", "page", "date", "k", "by", "period", "jurisdiction", "offence",
          "typology", "sex", "age_band", "sector", "next", "identity", "new", "format",
          "language", "role", "code"]  # fmt: skip
VALUES = ["\x00", "a\x00b", "%", "%00", "'", '"', "\\", "-1", "0", "99999999999999999999",
          "1e308", "NaN", "2024-13-45", "0000-00-00", "9999-12-31", "ไทย", "\ufeff", "x" * 5000,
          "[]", "{}", "../../etc/passwd", "<script>", "https://evil.example/",
          "//evil"]  # fmt: skip


@pytest.fixture
def signed_in(client: Any, org_factory: Any, user_factory: Any, settings: Any) -> Any:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    org = org_factory("th-police", "police")
    supervisor = user_factory("supervisor", "supervisor", org)  # cases and statistics
    case = actions.do_create_case(supervisor, th_facts())
    actions.do_refer(
        supervisor, case, org_factory("th-ngo", "ngo"), "legal_aid",
        dt.date.today() + dt.timedelta(days=3), case.version,
    )  # fmt: skip
    client.raise_request_exception = False  # a 500 is reported as an answer, for every route
    return login(client, supervisor), case


def _get_routes(case: Any) -> list[str]:
    out = []
    for r in routes():
        if "GET" in TABLE.get(r.name, {}):
            ref = case.referrals.first()
            out.append(url(r, reference=case.reference, pk=ref.pk if ref else 1))
    return out


@pytest.mark.parametrize("value", VALUES, ids=[repr(v)[:20] for v in VALUES])
def test_every_get_route_survives(signed_in: Any, value: str) -> None:
    client, case = signed_in
    # ``format`` alone: the API answers an unknown format with 404 before the view runs.
    queries = [urlencode({p: value for p in PARAMS if p != "format"}), urlencode({"format": value})]
    failures = []
    for path in _get_routes(case):
        for query in queries:
            r = client.get(f"{path}?{query}")
            if r.status_code >= 500:
                failures.append(f"{path}?{query[:40]}: {r.status_code}")
    assert not failures, failures


def test_random_query_strings(signed_in: Any) -> None:
    client, case = signed_in
    paths = _get_routes(case)

    @settings(max_examples=scale(100, 2000), deadline=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(
        st.sampled_from(paths),
        st.dictionaries(st.sampled_from(PARAMS), st.text(max_size=20), max_size=4),
    )
    def run(path: str, params: dict[str, str]) -> None:
        r = client.get(f"{path}?{urlencode(params)}")
        assert r.status_code < 500, (path, params, r.status_code)

    run()


@pytest.mark.parametrize("value", VALUES, ids=[repr(v)[:20] for v in VALUES])
def test_every_path_parameter_survives(signed_in: Any, value: str) -> None:
    """Each text parameter of each route (a case reference, a state, a citation...) replaced
    by the value, with every method the authorisation table lists."""
    client, _case = signed_in
    failures = []
    for r in routes():
        texts = [k for k in r.kwargs if k != "pk"]
        if not texts:
            continue
        marker = "ZZMARKERZZ"
        path = url(r, **{k: marker for k in texts}, pk=1)
        path = path.replace(marker, quote(value, safe=""))
        for method in TABLE.get(r.name, {}) or {"GET": {}}:
            resp = client.generic(method, path, "{}", content_type="application/json")
            if resp.status_code >= 500:
                failures.append(f"{method} {path[:80]}: {resp.status_code}")
    assert not failures, failures
