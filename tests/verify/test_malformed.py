"""Bodies that are not case facts at all: malformed, huge, deeply nested, wrongly typed or
not UTF-8, sent to every API endpoint that reads JSON and to ``npp assess``.

The answer is always a client error in the contract's shape (``{"errors": [{"field",
"problem"}]}``: 400, or 415 for a body that is not JSON at all), never 500, never a traceback;
``npp assess`` exits 2 with one line per problem and nothing on standard output.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from npp.web.cases import actions
from processes import without_database

from .conftest import ROOT, th_facts

GOOD = json.dumps(th_facts()).encode()
DEEP = b"[" * 100_000 + b"]" * 100_000
DEEP_OBJECT = b'{"a":' * 50_000 + b"1" + b"}" * 50_000
DEEP_IN_FACTS = (
    b'{"jurisdiction": "TH", "offences": [{"category": "prostitution", "description": '
    + b"[" * 5_000
    + b"]" * 5_000
    + b"}]}"
)
HUGE = b'{"jurisdiction": "TH", "offences": [{"category": "prostitution"}], "x": "'
HUGE = HUGE + b"a" * (12 * 1024 * 1024) + b'"}'
MANY_KEYS = json.dumps({f"k{n}": n for n in range(200_000)}).encode()

#: (name, body, content type, acceptable statuses)
BODIES: list[tuple[str, bytes, str | None, set[int]]] = [
    ("empty", b"", "application/json", {400}),
    ("whitespace", b"   \n", "application/json", {400}),
    ("truncated", GOOD[:-7], "application/json", {400}),
    ("not json", b"{not json", "application/json", {400}),
    ("null", b"null", "application/json", {400}),
    ("number", b"1e999999", "application/json", {400}),
    ("string", b'"TH"', "application/json", {400}),
    ("list", b"[1, 2]", "application/json", {400}),
    ("NaN", b'{"jurisdiction": "TH", "offences": [], "x": NaN}', "application/json", {400}),
    ("Infinity", b'{"person": {"age": Infinity}}', "application/json", {400}),
    ("deeply nested list", DEEP, "application/json", {400}),
    ("deeply nested object", DEEP_OBJECT, "application/json", {400}),
    ("deep value in facts", DEEP_IN_FACTS, "application/json", {400}),
    ("12 MB body", HUGE, "application/json", {400}),
    ("200,000 keys", MANY_KEYS, "application/json", {400}),
    ("latin-1 bytes", GOOD.replace(b"raid", b"r\xe9id"), "application/json", {400}),
    ("invalid utf-8", b'{"jurisdiction": "\xff\xfe"}', "application/json", {400}),
    ("utf-8 BOM", b"\xef\xbb\xbf" + GOOD, "application/json", {200, 201, 400}),
    ("utf-16", json.dumps(th_facts()).encode("utf-16"), "application/json", {400}),
    (
        "utf-16 declared",
        json.dumps(th_facts()).encode("utf-16"),
        "application/json; charset=utf-16",
        {200, 201, 400},
    ),
    ("bogus charset", GOOD, "application/json; charset=no-such-codec", {200, 201, 400}),
    ("lone surrogate", b'{"jurisdiction": "TH\\ud800"}', "application/json", {400}),
    (
        "nul",
        b'{"jurisdiction": "TH\\u0000", "offences": [{"category": "x"}]}',
        "application/json",
        {400},
    ),
    ("duplicate keys", b'{"jurisdiction": "XX", "jurisdiction": "TH"}', "application/json", {400}),
    (
        "form",
        b"jurisdiction=TH&offences=prostitution",
        "application/x-www-form-urlencoded",
        {415},
    ),
    ("multipart", b"--x\r\n\r\n--x--", "multipart/form-data; boundary=x", {415}),
    ("text", GOOD, "text/plain", {415}),
    ("xml", b"<facts/>", "application/xml", {415}),
    ("no content type", GOOD, None, {415}),
]

CASE_BODY_PATHS = ["/api/v1/cases", "/api/v1/cases/{ref}/facts", "/api/v1/cases/{ref}/person"]


@pytest.fixture
def send(client: Any, officer: Any, case: Any, token_for: Any) -> Any:
    auth = {"HTTP_AUTHORIZATION": f"Token {token_for(officer)}"}

    def go(method: str, path: str, body: bytes, ctype: str | None) -> Any:
        url = path.format(ref=case.reference)
        return client.generic(method.upper(), url, body, content_type=ctype or "", **auth)

    return go


def _check(r: Any, allowed: set[int]) -> None:
    assert r.status_code in allowed, (r.status_code, r.content[:300])
    if r.status_code >= 400:
        body = r.json()
        assert body["errors"], body
        for e in body["errors"]:
            assert set(e) >= {"field", "problem"} and e["problem"], e
        text = r.content.decode()
        assert "Traceback" not in text and "File " not in text


@pytest.mark.django_db
@pytest.mark.parametrize("name,body,ctype,allowed", BODIES, ids=[b[0] for b in BODIES])
def test_assessment_endpoint(
    send: Any, name: str, body: bytes, ctype: str | None, allowed: set[int]
) -> None:
    _check(send("post", "/api/v1/assessments", body, ctype), allowed)


@pytest.mark.django_db
@pytest.mark.parametrize("name,body,ctype,allowed", BODIES, ids=[b[0] for b in BODIES])
def test_case_endpoints(
    send: Any, case: Any, name: str, body: bytes, ctype: str | None, allowed: set[int]
) -> None:
    """The same bodies where a case is created or changed: nothing is written."""
    version = case.version
    for method, path in [("post", CASE_BODY_PATHS[0]), ("put", CASE_BODY_PATHS[1]),
                         ("put", CASE_BODY_PATHS[2]),
                         ("post", "/api/v1/cases/{ref}/decisions")]:  # fmt: skip
        r = send(method, path, body, ctype)
        _check(r, allowed | {400})
        assert r.status_code != 201 and r.status_code != 200, (path, r.status_code)
    case.refresh_from_db()
    assert case.version == version


@pytest.mark.django_db
def test_a_valid_body_still_works(send: Any, case: Any) -> None:
    """(The harness itself: a good request through the same path is accepted.)"""
    assert send("post", "/api/v1/assessments", GOOD, "application/json").status_code == 200
    r = send(
        "put",
        "/api/v1/cases/{ref}/facts",
        json.dumps({"facts": th_facts(), "version": case.version}).encode(),
        "application/json",
    )
    assert r.status_code == 200, r.content[:300]
    assert isinstance(actions.Conflict(1), Exception)


CLI_INPUTS = [
    (name, body)
    for name, body, ctype, allowed in BODIES
    if ctype == "application/json" and allowed == {400}
] + [("nul byte", b'{"jurisdiction": "TH\x00"}'), ("binary", bytes(range(256)) * 4)]


@pytest.mark.parametrize("name,body", CLI_INPUTS, ids=[c[0] for c in CLI_INPUTS])
@pytest.mark.parametrize("how", ["file", "stdin"])
def test_cli(name: str, body: bytes, how: str, tmp_path: Any) -> None:
    cmd, env = [sys.executable, "-m", "npp.cli.main", "assess"], without_database()
    if how == "file":
        path = tmp_path / "case.json"
        path.write_bytes(body)
        r = subprocess.run([*cmd, str(path)], capture_output=True, cwd=ROOT, timeout=120, env=env)
    else:
        r = subprocess.run(
            [*cmd, "-"], input=body, capture_output=True, cwd=ROOT, timeout=120, env=env
        )
    err = r.stderr.decode("utf-8", "replace")
    assert r.returncode == 2, (r.returncode, err[-2000:])
    assert r.stdout == b""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines and all(": " in line for line in lines), lines
