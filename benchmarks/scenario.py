"""What the load and crash checks do to a deployment, and how they check it afterwards.

- :func:`prepare` (Django configured for the deployment): an organisation, users of the case
  roles with API tokens, seed cases.
- :class:`Client`: one virtual user (httpx, keep-alive) that assesses, reads and edits cases
  through the API, timing every request and keeping each *acknowledged* write: a write whose
  2xx answer arrived. A 409 is a conflict (someone saved first), not an error.
- :func:`check_acknowledged` and :func:`check_integrity` (Django configured again): every
  acknowledged write is in the database, no write is half there, and the versions add up
  (no lost update: each version was acknowledged to exactly one writer).
"""

from __future__ import annotations

import asyncio
import collections
import copy
import json
import random
import time
from dataclasses import dataclass, field
from typing import Any

from harness import ROOT, percentile

EXAMPLE: dict[str, Any] = json.loads((ROOT / "examples" / "th-raid-minor.json").read_text())
CASE_ROLES = ["frontline", "prosecutor", "defender", "judge", "caseworker", "supervisor"]
#: Audit events of the writes that bump a case's version.
VERSION_EVENTS = {
    "case.facts_changed",
    "case.person_changed",
    "case.decision_recorded",
    "case.stage_advanced",
    "referral.created",
}


def facts(marker: str = "") -> dict[str, Any]:
    f = copy.deepcopy(EXAMPLE)
    if marker:
        f["offences"][0]["description"] = marker
    return f


def prepare(n_users: int, n_cases: int) -> dict[str, Any]:
    """Users, tokens and seed cases (call after :meth:`Deployment.django`)."""
    from django.db import connections

    from npp.web.accounts.actions import do_create_organisation, do_create_token, do_create_user
    from npp.web.cases.actions import do_create_case

    org = do_create_organisation(
        None, code="th-load", name="Load test police", kind="police", jurisdiction="TH"
    )
    users = [
        do_create_user(None, username=f"load-{n}", password=f"load-password-{n}-xyz",
                       role=CASE_ROLES[n % len(CASE_ROLES)], organisation=org)
        for n in range(n_users)
    ]  # fmt: skip
    tokens = [do_create_token(None, u, name="load") for u in users]
    cases = [
        do_create_case(users[n % n_users], facts(), person={"full_name": f"Seed {n}"})
        for n in range(n_cases)
    ]
    out = {"tokens": tokens, "cases": {c.reference: c.version for c in cases}}
    connections.close_all()
    return out


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: collections.defaultdict(list))
    errors: list[str] = field(default_factory=list)
    conflicts: int = 0
    acks: list[dict[str, Any]] = field(default_factory=list)
    statuses: collections.Counter[str] = field(default_factory=collections.Counter)

    def summary(self, seconds: float) -> dict[str, Any]:
        ops = {}
        for op, lat in sorted(self.latencies.items()):
            ops[op] = {
                "requests": len(lat),
                "p50_ms": round(percentile(lat, 50) * 1000, 1),
                "p95_ms": round(percentile(lat, 95) * 1000, 1),
                "p99_ms": round(percentile(lat, 99) * 1000, 1),
            }
        every = [x for lat in self.latencies.values() for x in lat]
        return {
            "requests": len(every),
            "requests_per_second": round(len(every) / seconds, 1) if seconds else 0,
            "p50_ms": round(percentile(every, 50) * 1000, 1),
            "p95_ms": round(percentile(every, 95) * 1000, 1),
            "errors": len(self.errors),
            "error_samples": self.errors[:10],
            "conflicts_409": self.conflicts,
            "acknowledged_writes": len(self.acks),
            "statuses": dict(self.statuses),
            "by_operation": ops,
        }


class Client:
    """One virtual user. ``versions`` is what this user last saw of each case."""

    def __init__(self, base_url: str, token: str, stats: Stats, name: str) -> None:
        import httpx

        self.http = httpx.AsyncClient(
            base_url=base_url,
            headers={"Authorization": f"Token {token}", "Accept": "application/json"},
            timeout=httpx.Timeout(60.0, connect=10.0),
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
        )
        self.stats = stats
        self.name = name
        self.n = 0
        self.versions: dict[str, int] = {}

    async def close(self) -> None:
        await self.http.aclose()

    def marker(self, kind: str) -> str:
        self.n += 1
        return f"{kind}:{self.name}:{self.n}"

    async def call(self, op: str, method: str, path: str, body: Any = None,
                   ok: tuple[int, ...] = (200, 201)) -> tuple[int, Any]:  # fmt: skip
        """One request; returns (status, json). Anything but ``ok`` or 409 is an error."""
        t0 = time.perf_counter()
        try:
            r = await self.http.request(method, path, json=body)
            data = (
                r.json()
                if r.headers.get("content-type", "").startswith("application/json")
                else None
            )
        except Exception as exc:  # a transport error: the server is gone or hung
            self.stats.errors.append(f"{op}: {type(exc).__name__}")
            raise
        self.stats.latencies[op].append(time.perf_counter() - t0)
        self.stats.statuses[f"{op} {r.status_code}"] += 1
        if r.status_code == 409:
            self.stats.conflicts += 1
        elif r.status_code not in ok:
            self.stats.errors.append(f"{op}: HTTP {r.status_code} {r.text[:200]}")
        return r.status_code, data

    async def version_of(self, ref: str) -> int:
        if ref not in self.versions:
            await self.read(ref)
        return self.versions[ref]

    # ------------------------------------------------------------------ operations

    async def assess(self) -> None:
        f = facts()
        f["person"]["age"] = random.randint(10, 40)
        await self.call("assess", "POST", "/api/v1/assessments", f)

    async def read(self, ref: str) -> None:
        status, data = await self.call("read case", "GET", f"/api/v1/cases/{ref}")
        if status == 200:
            self.versions[ref] = data["version"]

    async def write(self, kind: str, ref: str) -> None:
        """A versioned edit: a decision, new facts or new personal details."""
        version = await self.version_of(ref)
        marker = self.marker(kind)
        if kind == "decision":
            path, method = f"/api/v1/cases/{ref}/decisions", "POST"
            body: dict[str, Any] = {"decision": "screened", "decided_by": "Load test",
                                    "reasons": marker, "version": version}  # fmt: skip
        elif kind == "facts":
            path, method = f"/api/v1/cases/{ref}/facts", "PUT"
            body = {"facts": facts(marker), "version": version}
        else:
            path, method = f"/api/v1/cases/{ref}/person", "PUT"
            body = {"full_name": marker, "version": version}
        status, data = await self.call(f"edit ({kind})", method, path, body)
        if status in (200, 201):
            self.versions[ref] = data["version"]
            self.stats.acks.append(
                {"ref": ref, "kind": kind, "marker": marker, "version": data["version"]}
            )
        elif status == 409:
            self.versions[ref] = data["current_version"]

    async def create(self) -> None:
        marker = self.marker("create")
        status, data = await self.call(
            "create case", "POST", "/api/v1/cases",
            {"facts": facts(), "person": {"full_name": marker}, "province": "load"},
        )  # fmt: skip
        if status == 201:
            self.stats.acks.append(
                {"ref": data["reference"], "kind": "create", "marker": marker, "version": 1}
            )


async def run_users(clients: list[Client], seconds: float, step: Any) -> float:
    """Run every client's ``step(client)`` in a loop for ``seconds``; returns the time taken."""
    stop_at = time.perf_counter() + seconds
    t0 = time.perf_counter()

    async def loop(c: Client) -> None:
        while time.perf_counter() < stop_at:
            try:
                await step(c)
            except Exception:
                return  # recorded as an error by Client.call; a dead server ends the user

    await asyncio.gather(*(loop(c) for c in clients))
    return time.perf_counter() - t0


# --------------------------------------------------------------------------- checks


def check_acknowledged(acks: list[dict[str, Any]]) -> list[str]:
    """Every acknowledged write is in the database, exactly once (Django configured)."""
    from npp.web.cases.models import Assessment, Case, CaseEvent, Person

    problems: list[str] = []
    by_case: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for a in acks:
        by_case[a["ref"]].append(a)
    for ref, items in by_case.items():
        case = Case.objects.filter(reference=ref).first()
        if case is None:
            problems.append(f"{ref}: acknowledged, but the case is not in the database")
            continue
        reasons = collections.Counter(
            e.reasons for e in CaseEvent.objects.filter(case=case, kind="decision")
        )
        described = collections.Counter(
            (a.facts.get("offences") or [{}])[0].get("description")
            for a in Assessment.objects.filter(case=case)
        )
        person = Person.objects.filter(case=case).first()
        for a in items:
            if a["kind"] == "decision" and reasons[a["marker"]] != 1:
                problems.append(f"{ref}: decision {a['marker']} found {reasons[a['marker']]}x")
            if a["kind"] == "facts" and described[a["marker"]] != 1:
                problems.append(f"{ref}: facts {a['marker']} found {described[a['marker']]}x")
            if a["kind"] == "create" and (person is None or person.full_name != a["marker"]):
                problems.append(f"{ref}: created, but the person's details are not there")
        people = [a for a in items if a["kind"] == "person"]
        if people:
            last = max(people, key=lambda a: a["version"])
            if person is None or person.full_name != last["marker"]:
                problems.append(f"{ref}: the last acknowledged personal details were lost")
        versions = [a["version"] for a in items if a["kind"] != "create"]
        if len(versions) != len(set(versions)):
            dup = [v for v, n in collections.Counter(versions).items() if n > 1]
            problems.append(f"{ref}: versions {dup} acknowledged to two writers (lost update)")
    return problems


def check_versions(acks: list[dict[str, Any]], initial: dict[str, int]) -> list[str]:
    """With no errors, a case's version is its first one plus its acknowledged writes."""
    from npp.web.cases.models import Case

    problems = []
    counts = collections.Counter(a["ref"] for a in acks if a["kind"] != "create")
    for ref, v0 in initial.items():
        v = Case.objects.get(reference=ref).version
        if v != v0 + counts[ref]:
            problems.append(f"{ref}: version {v}, but {v0} + {counts[ref]} acknowledged writes")
    return problems


def check_integrity() -> tuple[dict[str, int], list[str]]:
    """No case is half-written: each write and its audit entry are there together or not."""
    from npp.web.audit.models import AuditEntry
    from npp.web.cases.models import Assessment, Case, CaseEvent, CaseOffence, Person

    problems: list[str] = []
    audit: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for target, event in AuditEntry.objects.values_list("target", "event"):
        audit[target][event] += 1
    n_cases = 0
    for case in Case.objects.all():
        n_cases += 1
        ref = case.reference
        a = audit[ref]
        if a["case.created"] != 1:
            problems.append(f"{ref}: {a['case.created']} 'case.created' audit entries")
        if Person.objects.filter(case=case).count() != 1:
            problems.append(f"{ref}: no personal-details row")
        numbers = sorted(Assessment.objects.filter(case=case).values_list("number", flat=True))
        if numbers != list(range(1, len(numbers) + 1)):
            problems.append(f"{ref}: assessments numbered {numbers}")
        if len(numbers) != 1 + a["case.facts_changed"] + a["case.stage_advanced"]:
            problems.append(f"{ref}: {len(numbers)} assessments but audit says otherwise")
        writes = sum(a[e] for e in VERSION_EVENTS)
        if case.version != 1 + writes:
            problems.append(f"{ref}: version {case.version} but {writes} audited writes")
        decisions = CaseEvent.objects.filter(case=case, kind="decision").count()
        if decisions != a["case.decision_recorded"]:
            problems.append(f"{ref}: {decisions} decisions, {a['case.decision_recorded']} audited")
        if not CaseEvent.objects.filter(case=case, kind="opened").exists():
            problems.append(f"{ref}: no 'opened' event")
        latest = Assessment.objects.filter(case=case).order_by("-number").first()
        if latest is not None:
            want = [o["category"] for o in latest.facts["offences"]]
            got = list(CaseOffence.objects.filter(case=case).values_list("category", flat=True))
            if want != got:
                problems.append(f"{ref}: offences {got} differ from the latest assessment")
            if latest.facts != case.facts:
                problems.append(f"{ref}: the case's facts differ from its latest assessment")
    return {"cases": n_cases, "audit_entries": AuditEntry.objects.count()}, problems


#: Identifying details and free text seeded by :func:`seed_secrets`; none may appear in a raw
#: database dump.
SECRETS = {
    "full_name": "Somchai Zyxwvut-Secretname",
    "aliases": "Nong Qwertyalias",
    "date_of_birth": "2008-02-29",
    "document_numbers": "PASSPORT-X9988776655",
    "contact": "+66 81 555 0199 Zyxcontactword",
    "description": "found at the Golden Zzyzx karaoke bar",
    "reasons": "prosecutor's reasons Quuxly confidential",
    "note": "referral note Flibbertigibbet",
}

#: A distinctive word of each (short words, or words like "referral", occur in any dump).
SECRET_WORDS = ["Zyxwvut-Secretname", "Qwertyalias", "X9988776655", "Zyxcontactword",
                "Zzyzx", "Quuxly", "Flibbertigibbet"]  # fmt: skip


def seed_secrets() -> str:
    """A case whose every identifying and free-text field holds one of :data:`SECRETS`, with a
    decision and a referral (call after :meth:`Deployment.django` or in ``python()``).
    Returns the case reference."""
    import datetime as dt

    from npp.web.accounts.actions import do_create_organisation, do_create_user
    from npp.web.cases import actions

    police = do_create_organisation(None, code="th-secret", name="Secret police station",
                                    kind="police", jurisdiction="TH")  # fmt: skip
    ngo = do_create_organisation(None, code="th-shelter", name="Shelter", kind="ngo",
                                 jurisdiction="TH")  # fmt: skip
    officer = do_create_user(None, username="secret-officer", password="a-long-password-123",
                             role="frontline", organisation=police)  # fmt: skip
    person = {k: SECRETS[k] for k in ("full_name", "aliases", "date_of_birth",
                                      "document_numbers", "contact")}  # fmt: skip
    case = actions.do_create_case(officer, facts(SECRETS["description"]), person=person)
    actions.do_record_decision(officer, case, "screened", case.version, decided_by="Inspector",
                               reasons=SECRETS["reasons"])  # fmt: skip
    actions.do_refer(officer, case, ngo, "shelter_and_support",
                     dt.date.today() + dt.timedelta(days=7), case.version,
                     share_identity=True, note=SECRETS["note"])  # fmt: skip
    actions.do_view_person(officer, case)
    return case.reference
