"""The authorisation matrix: every route of the URL configuration, as every role and as an
anonymous visitor, for five cases: one of the user's own organisation (``own``), one referred
to it for a service (``service``) and one transferred to it (``transfer``), both without the
person's identifying details, one it owns but transferred to another organisation (``sent``),
and another organisation's case (``other``). See docs/referrals.md for the two kinds.

The routes are read from Django's URL resolvers, and ONE table (:data:`TABLE`) says what each
principal must get. A route missing from the table fails :func:`test_every_route_is_reviewed`,
so a new endpoint cannot slip in unreviewed; a table entry without a route fails it too.

Every request runs in a transaction that is rolled back, so each one sees the same world.
A refused request (login redirect, 401, 403, 404, 405) must leave no trace: no audit entry, no
new version of any case or referral. An allowed write marked ``w`` must have written.

Codes: ``"200"`` etc. — the HTTP status; ``"login"`` — a redirect to the sign-in page;
``"302"`` — a redirect elsewhere; a trailing ``w`` — and the write happened (audited).
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
from django.db import transaction

from npp.web.audit.models import AuditEntry
from npp.web.cases import actions
from npp.web.cases.models import Case, Referral
from npp.web.roles import CASE_ROLES, STATISTICS_ROLES, Role

from .conftest import login, th_facts
from .routes import Route, routes, soon, url

pytestmark = pytest.mark.django_db

ROLES = [r.value for r in Role]
PRINCIPALS = ["anon", *ROLES]
ALL, CASE, STATS = "*", "case", "stats"  # everyone / the six case roles / analyst, supervisor
GROUPS = {CASE: CASE_ROLES, STATS: STATISTICS_ROLES}


CONTEXTS = ("own", "service", "transfer", "sent", "other")


def by_case(own: str, service: str, transfer: str, sent: str, other: str) -> dict[str, str]:
    """An answer that depends on whose case it is (and how it was referred)."""
    return dict(zip(CONTEXTS, (own, service, transfer, sent, other), strict=True))


SEEN = by_case("200", "200", "200", "200", "404")  # visible: own, referred and sent cases
#: A write only the responsible organisation may make (own case, or transferred to it).
RESPONSIBLE = by_case("302w", "403", "302w", "403", "404")
IDENTITY = by_case("200", "403", "403", "200", "404")  # not shared by either referral
DENIED = {"anon": "login", ALL: "403"}
#: Notices: only the responsible organisation that sees the person writes; others are told no
#: (302 back to the page, nothing written). Issuing and attaching the sample writes nothing.
NOTICE_WRITE = by_case("302w", "302", "302", "302", "404")
NOTICE_TRY = by_case("302", "302", "302", "302", "404")  # a signed-in page for nobody in particular

# fmt: off
#: THE table. route name -> method -> principal (a role, "anon", a group, or "*") -> answer.
TABLE: dict[str, dict[str, dict[str, Any]]] = {
    # Public: anyone, signed in or not.
    "home": {"GET": {ALL: "200"}},
    "healthz": {"GET": {ALL: "200"}},
    "set_language": {"POST": {ALL: "302"}},
    "accounts:login": {"GET": {ALL: "200"}, "POST": {ALL: "200"}},
    "accounts:code": {"GET": {ALL: "302"}},  # only between password and code: else to sign-in
    "accounts:setup": {"GET": {ALL: "302"}},
    "accounts:logout": {"GET": {ALL: "405"}, "POST": {ALL: "302"}},
    # The guided assessment is public by design: answers live in the visitor's session only.
    "assess:start": {"GET": {ALL: "302"}},
    "assess:restart": {"GET": {ALL: "405"}, "POST": {ALL: "302"}},
    "assess:result": {"GET": {ALL: "302"}},  # (no answers yet: back to the first question)
    "assess:step": {"GET": {ALL: "200"}},
    # Saving it as a case, or loading a case into it, needs a case role and the case.
    "assess:save": {"POST": {"anon": "login", CASE: "400", ALL: "403"}},  # 400: no answers
    "assess:edit-case": {"GET": {"anon": "login", CASE: by_case("302", "403", "302", "403",
                                                                "404"), ALL: "404"}},
    # Case pages.
    "cases:list": {"GET": {"anon": "login", CASE: "200", ALL: "403"}},
    "cases:referrals": {"GET": {"anon": "login", CASE: "200", ALL: "403"}},
    "cases:detail": {"GET": {"anon": "login", CASE: SEEN, ALL: "403"}},
    "cases:history": {"GET": {"anon": "login", CASE: SEEN, ALL: "403"}},
    "cases:pdf": {"GET": {"anon": "login", CASE: SEEN, ALL: "403"}},
    "cases:person": {"GET": {"anon": "login", CASE: IDENTITY, ALL: "403"},
                     "POST": {"anon": "login", CASE: by_case("302w", "403", "403", "403",
                                                             "404"), ALL: "403"}},
    # (The decision posted, "not charged", is not one a police service receiver records.)
    "cases:decision": {"GET": {"anon": "login", ALL: "405"},
                       "POST": {"anon": "login", CASE: RESPONSIBLE, ALL: "403"}},
    "cases:stage": {"POST": {"anon": "login", CASE: RESPONSIBLE, ALL: "403"}},
    # Answers to open questions change facts: the responsible organisation only (an empty
    # form writes nothing and goes back to the case).
    "cases:answer": {"GET": {"anon": "login", ALL: "405"},
                     "POST": {"anon": "login", CASE: by_case("302", "403", "302", "403", "404"),
                              ALL: "403"}},
    "cases:refer": {"POST": {"anon": "login", CASE: RESPONSIBLE, ALL: "403"}},
    # Either side of a referral follows it up, whatever its kind.
    "cases:referral": {"POST": {"anon": "login",
                                CASE: by_case("302w", "302w", "302w", "302w", "404"),
                                ALL: "403"}},
    # Statistics: aggregates for analysts and supervisors only.
    "cases:statistics": {"GET": {"anon": "login", STATS: "200", ALL: "403"}},
    "cases:statistics-csv": {"GET": {"anon": "login", STATS: "200", ALL: "403"}},
    "monitoring:dashboard": {"GET": {"anon": "login", STATS: "200", ALL: "403"}},
    "monitoring:download": {"GET": {"anon": "login", STATS: "200", ALL: "403"}},
    # Exchange: case-level export and import for supervisors; de-identified export for STATS.
    "monitoring:export": {"GET": {"anon": "login", STATS: "200", ALL: "403"},
                          "POST": {"anon": "login", STATS: "200", ALL: "403"}},
    "monitoring:import": {"GET": {"anon": "login", "supervisor": "200", ALL: "403"},
                          "POST": {"anon": "login", "supervisor": "200", ALL: "403"}},
    # Public law pages, comparison and pocket guides.
    "law:index": {"GET": {ALL: "200"}},
    "law:matrix": {"GET": {ALL: "200"}},
    "law:instruments": {"GET": {ALL: "200"}},
    "law:instrument": {"GET": {ALL: "200"}},
    "law:recommendations": {"GET": {ALL: "200"}},
    "law:search": {"GET": {ALL: "200"}},
    "law:cite": {"GET": {ALL: "200"}},
    "law:state": {"GET": {ALL: "200"}},
    "monitoring:comparison": {"GET": {ALL: "200"}},
    "monitoring:gaps": {"GET": {ALL: "200"}},
    "monitoring:gaps-state": {"GET": {ALL: "200"}},
    "monitoring:guides": {"GET": {ALL: "200"}},
    "monitoring:guide": {"GET": {ALL: "200"}},
    # API (contract §4): 401 without credentials; cases as on the pages.
    "api:schema": {"GET": {ALL: "200"}},
    "api:docs": {"GET": {ALL: "200"}},
    "api:assessments": {"POST": {"anon": "401", ALL: "200"}, "GET": {"anon": "401", ALL: "405"}},
    "api:me": {"GET": {"anon": "401", ALL: "200"}},
    "api:cases": {"GET": {"anon": "401", CASE: "200", ALL: "403"},
                  "POST": {"anon": "401", CASE: "201w", ALL: "403"}},
    "api:case": {"GET": {"anon": "401", CASE: SEEN, ALL: "403"},
                 "DELETE": {"anon": "401", CASE: "405", ALL: "403"}},  # same for any case
    "api:case-facts": {"PUT": {"anon": "401", CASE: by_case("200w", "403", "200w", "403", "404"),
                               ALL: "403"}},
    "api:case-person": {"GET": {"anon": "401", CASE: IDENTITY, ALL: "403"},
                        "PUT": {"anon": "401", CASE: by_case("200w", "403", "403", "403", "404"),
                                ALL: "403"}},
    "api:case-decisions": {"POST": {"anon": "401",
                                    CASE: by_case("201w", "403", "201w", "403", "404"),
                                    ALL: "403"}},
    "api:case-stage": {"POST": {"anon": "401", CASE: by_case("200w", "403", "200w", "403", "404"),
                                ALL: "403"}},
    "api:case-referrals": {"POST": {"anon": "401",
                                    CASE: by_case("201w", "403", "201w", "403", "404"),
                                    ALL: "403"}},
    "api:referral": {"PATCH": {"anon": "401", CASE: by_case("200w", "200w", "200w", "200w", "404"),
                               ALL: "403"}},
    # Identification notices (contract §5): verifying is public (a border official's phone,
    # signed out); a case's notices as the case; only its own organisation writes (a referred
    # organisation is told no: 302 without a write). The sample notice id exists nowhere: 404.
    "notices:verify": {"GET": {ALL: "200"}, "POST": {ALL: "200"}},
    "notices:trust-json": {"GET": {ALL: "200"}},
    "notices:revocations-json": {"GET": {ALL: "200"}},
    "notices:sw": {"GET": {ALL: "200"}},
    "notices:issuers": {"GET": {ALL: "200"}},
    "notices:case": {"GET": {"anon": "login", CASE: SEEN, ALL: "403"}},
    "notices:consent": {"POST": {"anon": "login", CASE: NOTICE_WRITE, ALL: "403"}},
    "notices:withdraw": {"POST": {"anon": "login", CASE: NOTICE_WRITE, ALL: "403"}},
    "notices:issue": {"POST": {"anon": "login", CASE: NOTICE_TRY, ALL: "403"}},
    "notices:attach": {"POST": {"anon": "login", CASE: NOTICE_TRY, ALL: "403"}},
    "notices:json": {"GET": {"anon": "login", CASE: "404", ALL: "403"}},
    "notices:pdf": {"GET": {"anon": "login", CASE: "404", ALL: "403"}},
    "notices:revoke": {"POST": {"anon": "login", CASE: "404", ALL: "403"}},
    # Training: practice is public (answers in the visitor's session, or their own progress);
    # group sessions are run by practitioners and supervisors; the sample code has no session.
    "training:index": {"GET": {ALL: "200"}},
    "training:scenario": {"GET": {ALL: "200"}},
    "training:answer": {"GET": {ALL: "405"}, "POST": {ALL: "302"}},  # (no answer: back)
    "training:reset": {"GET": {ALL: "405"}, "POST": {ALL: "302"}},
    "training:workbook": {"GET": {ALL: "404"}},  # (no role and state in the query)
    "training:session_new": {"GET": {"anon": "login", CASE: "200", ALL: "404"},
                             "POST": {"anon": "login", CASE: "200", ALL: "404"}},
    "training:session": {"GET": {"anon": "login", ALL: "404"}},
    "training:reveal": {"GET": {"anon": "login", ALL: "405"},
                        "POST": {"anon": "login", ALL: "404"}},
    "training:join": {"GET": {ALL: "200"}, "POST": {ALL: "200"}},
    "training:play": {"GET": {ALL: "404"}},
    "training:play_answer": {"GET": {ALL: "405"}, "POST": {ALL: "404"}},
}
# fmt: on

#: What an anonymous visitor may open (answer 200) — checked against the table.
PUBLIC = {
    "home", "healthz", "accounts:login", "assess:step", "api:schema", "api:docs",
    "law:index", "law:matrix", "law:instruments", "law:instrument", "law:recommendations",
    "law:search", "law:cite", "law:state", "monitoring:comparison", "monitoring:gaps",
    "monitoring:gaps-state", "monitoring:guides", "monitoring:guide",
    "notices:verify", "notices:trust-json", "notices:revocations-json", "notices:sw",
    "notices:issuers",
    "training:index", "training:scenario", "training:join",
}  # fmt: skip
DENIALS = {"login", "401", "403", "404", "405"}


def expected(name: str, method: str, principal: str, whose: str | None) -> str:
    rules = TABLE[name][method]
    keys = [principal] + [g for g, members in GROUPS.items() if principal in members] + [ALL]
    for k in keys:
        if k in rules:
            answer = rules[k]
            if isinstance(answer, dict):
                assert whose is not None, f"{name}: an answer by case needs a case route"
                return str(answer[whose])
            return str(answer)
    raise AssertionError(f"{name} {method}: no answer for {principal}")


def test_every_route_is_reviewed() -> None:
    """New routes must be added to TABLE (with a decision for every principal)."""
    names = [r.name for r in routes()]
    assert len(names) == len(set(names)), "two routes with one name"
    unlisted = sorted(set(names) - set(TABLE))
    stale = sorted(set(TABLE) - set(names))
    assert not unlisted, f"routes not in the authorisation table: {unlisted}"
    assert not stale, f"table entries without a route: {stale}"
    opened = {n for n, methods in TABLE.items() for m in methods if expected(n, m, "anon", "own")
              in {"200", "201"}}  # fmt: skip
    assert opened == PUBLIC, f"anonymous access differs from PUBLIC: {opened ^ PUBLIC}"


# --------------------------------------------------------------------------- the world


@pytest.fixture
def world(org_factory: Any, user_factory: Any, settings: Any) -> dict[str, Any]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    a = org_factory("th-police", "police", "TH")  # the principal's organisation
    b = org_factory("th-ngo", "ngo", "TH")
    c = org_factory("my-police", "police", "MY")
    owners = {o.code: user_factory(f"owner-{o.code}", "frontline", o) for o in (a, b, c)}
    facts = th_facts()
    own = actions.do_create_case(owners["th-police"], facts, person={"full_name": "Own Person"})
    own_ref = actions.do_refer(
        owners["th-police"], own, c, "legal_aid", _soon(), own.version, kind="service"
    )
    service = actions.do_create_case(owners["th-ngo"], facts, person={"full_name": "Ref Person"})
    service_ref = actions.do_refer(
        owners["th-ngo"],
        service,
        a,
        "shelter_and_support",
        _soon(),
        service.version,
        kind="service",
    )
    moved = actions.do_create_case(owners["th-ngo"], facts, person={"full_name": "Moved One"})
    moved_ref = actions.do_refer(
        owners["th-ngo"], moved, a, "prosecution_review", _soon(), moved.version, kind="transfer"
    )
    sent = actions.do_create_case(owners["th-police"], facts, person={"full_name": "Sent One"})
    sent_ref = actions.do_refer(
        owners["th-police"],
        sent,
        c,
        "prosecution_review",
        _soon(),
        sent.version,
        kind="transfer",
    )
    other = actions.do_create_case(owners["my-police"], facts, person={"full_name": "Other One"})
    other_ref = actions.do_refer(owners["my-police"], other, b, "legal_aid", _soon(), other.version)
    return {
        "orgs": (a, b, c),
        "cases": {"own": (own, own_ref), "service": (service, service_ref),
                  "transfer": (moved, moved_ref), "sent": (sent, sent_ref),
                  "other": (other, other_ref)},
    }  # fmt: skip


def _soon() -> dt.date:
    return dt.date.fromisoformat(soon())


def body(name: str, method: str, case: Case | None, referral: Referral | None, w: Any) -> Any:
    """A valid request body: an allowed principal's write is carried out."""
    facts = th_facts()
    v = case.version if case else 0
    other_org = w["orgs"][2]
    bodies: dict[tuple[str, str], Any] = {
        ("set_language", "POST"): {"language": "th", "next": "/"},
        ("accounts:login", "POST"): {"username": "nobody", "password": "wrong-password-123"},
        ("cases:person", "POST"): {"version": v, "full_name": "Changed Name"},
        ("cases:decision", "POST"): {"version": v, "decision": "not_charged",
                                     "decided_by": "Inspector", "offence": "",
                                     "occurred_on": dt.date.today().isoformat(), "reasons": "x"},
        ("cases:stage", "POST"): {"version": v, "stage": "prosecution", "reasons": ""},
        ("cases:refer", "POST"): {"version": v, "to_org": other_org.pk,
                                  "purpose": "shelter_and_support", "due_date": soon(),
                                  "note": ""},
        ("cases:referral", "POST"): {"version": referral.version if referral else 0,
                                     "status": "accepted", "note": ""},
        ("monitoring:export", "POST"): {"format": "deidentified"},
        ("notices:consent", "POST"): {"agrees": "on", "how": "orally"},
        ("api:assessments", "POST"): facts,
        ("api:cases", "POST"): {"facts": facts},
        ("api:case-facts", "PUT"): {"facts": th_facts(offences=[{"category": "prostitution"}]),
                                    "version": v},
        ("api:case-person", "PUT"): {"full_name": "Changed Name", "version": v},
        ("api:case-decisions", "POST"): {"decision": "not_charged", "decided_by": "Inspector",
                                         "version": v},
        ("api:case-stage", "POST"): {"stage": "prosecution", "version": v},
        ("api:case-referrals", "POST"): {"to_organisation": other_org.code,
                                         "purpose": "shelter_and_support", "due_date": soon(),
                                         "version": v},
        ("api:referral", "PATCH"): {"status": "accepted",
                                    "version": referral.version if referral else 0},
    }  # fmt: skip
    return bodies.get((name, method), {})


def _state() -> tuple[int, tuple[int, ...], tuple[int, ...]]:
    return (
        AuditEntry.objects.count(),
        tuple(Case.objects.order_by("pk").values_list("version", flat=True)),
        tuple(Referral.objects.order_by("pk").values_list("version", flat=True)),
    )


def _answer(resp: Any) -> str:
    if resp.status_code == 302 and "/accounts/login/?next=" in resp["Location"]:
        return "login"  # refused: sign in first (a plain redirect to sign-in is "302")
    return str(resp.status_code)


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_matrix(principal: str, world: dict[str, Any], user_factory: Any, client: Any,
                token_for: Any) -> None:  # fmt: skip
    import json

    headers: dict[str, str] = {}
    if principal != "anon":
        user = user_factory(f"p-{principal}", principal, world["orgs"][0])
        login(client, user)
        headers["HTTP_AUTHORIZATION"] = f"Token {token_for(user)}"
    mismatches: list[str] = []
    tried = 0
    for route in routes():
        contexts: list[str | None] = list(CONTEXTS) if route.about_a_case else [None]
        for whose in contexts:
            case, referral = world["cases"][whose] if whose else (None, None)
            if case is not None:
                case.refresh_from_db()
            if referral is not None:
                referral.refresh_from_db()
            kwargs = {"reference": case.reference} if case else {}
            if "pk" in route.kwargs:
                kwargs["pk"] = referral.pk if referral else 0
            path = url(route, **kwargs)
            for method in TABLE.get(route.name, {}):
                want = expected(route.name, method, principal, whose)
                data = body(route.name, method, case, referral, world)
                cookies = copy.deepcopy(client.cookies)
                with transaction.atomic():
                    before = _state()
                    if route.name.startswith("api:"):
                        payload, ctype = json.dumps(data), "application/json"
                        resp = client.generic(method, path, payload, content_type=ctype, **headers)
                    elif method == "GET":
                        resp = client.get(path)
                    else:
                        ctype = "application/x-www-form-urlencoded"
                        resp = client.generic(method, path, _form(data), content_type=ctype)
                    after = _state()
                    transaction.set_rollback(True)
                client.cookies = cookies
                tried += 1
                got = _answer(resp)
                where = f"{method} {path} ({whose or '-'})"
                if got != want.rstrip("w"):
                    mismatches.append(f"{where}: expected {want}, got {got}")
                elif want in DENIALS and before != after:
                    mismatches.append(f"{where}: refused ({got}) but something was written")
                elif want.endswith("w") and before[0] == after[0]:
                    mismatches.append(f"{where}: answered {got} but nothing was written")
                if resp.status_code >= 500:
                    mismatches.append(f"{where}: server error {resp.status_code}")
    assert tried > 50
    assert not mismatches, f"{principal}: " + "\n".join(mismatches)


def _form(data: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return urlencode(data)


def test_static_files_are_public(client: Any) -> None:
    assert client.get("/static/npp/app.css").status_code == 200


def test_route_helper_covers_every_parameter() -> None:
    """(Every URL parameter has a sample value, so no route is skipped.)"""
    for r in routes():
        kwargs = {"reference": "TH-AAAAAAAA", "pk": 1}
        assert isinstance(url(Route(r.name, r.pattern, r.kwargs), **kwargs), str)
