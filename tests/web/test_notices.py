"""Identification notices in the web application: issuing (consent first, role, audit, keys
encrypted), rotation, revocation, trust import, attaching a notice from another state, and
the pages (``/verify/`` signed out)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from npp.notices.claims import PersonClaims, build_claims
from npp.notices.jws import canonical_json, sign_compact
from npp.notices.keys import SigningKey, generate_key
from npp.notices.lists import Issuer, IssuerKey, trust_list_document, trust_list_payload
from npp.web.audit.models import AuditEntry
from npp.web.notices import actions
from npp.web.notices.models import AttachedNotice, IssuedNotice, OrgSigningKey
from npp.web.notices.store import own_revocation_document

from .conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def issuer(police: Any) -> Any:
    return actions.do_authorise_issuer(
        "cli:admin", police, ["formal_identification"], contact="ATD 1191"
    )


def issue(officer: Any, case: Any, **kw: Any) -> actions.Issued:
    actions.do_record_consent(officer, case, how="orally, Lao interpreter")
    return actions.do_issue_notice(officer, case, valid_days=kw.pop("valid_days", 90), **kw)


def test_issuing_needs_the_persons_consent_first(issuer: Any, officer: Any, case: Any) -> None:
    with pytest.raises(actions.Refused, match="consent"):
        actions.do_issue_notice(officer, case, valid_days=90)
    assert not IssuedNotice.objects.exists()


def test_an_organisation_not_authorised_cannot_issue(officer: Any, case: Any) -> None:
    actions.do_record_consent(officer, case)
    with pytest.raises(actions.Refused, match="not authorised"):
        actions.do_issue_notice(officer, case, valid_days=90)


def test_a_screening_body_cannot_issue_a_formal_notice(
    police: Any, officer: Any, case: Any
) -> None:
    from npp.web.cases.actions import do_update_facts

    actions.do_authorise_issuer("cli:admin", police, ["screening"])
    facts = dict(case.facts, person=dict(case.facts["person"], victim_status="formal"))
    do_update_facts(officer, case, facts, case.version)
    with pytest.raises(actions.Refused, match="may not issue a 'formal' notice"):
        issue(officer, case)


def test_issued_notice_is_verified_recorded_and_audited_without_personal_data(
    issuer: Any, officer: Any, case: Any
) -> None:
    issued = issue(officer, case)
    doc = issued.document
    assert doc["claims"]["status"] == "potential" and doc["claims"]["iss"] == "th-police"
    assert doc["claims"]["person"] == {
        "given_name": "Test Person",
        "family_name": "Alpha",
        "date_of_birth": "",
        "nationality": "LA",
        "document_number": "P1234567",
    }
    assert doc["claims"]["exploitation"] == ["sexual_exploitation"]
    assert "offences" not in json.dumps(doc["claims"]) and "karaoke" not in json.dumps(doc)
    v = actions.verify_here(doc["jws"], doc["claims"])
    assert v.valid, v.reasons
    events = list(
        AuditEntry.objects.filter(event__startswith="notice.").values_list("event", flat=True)
    )
    assert events == [
        "notice.issuer_authorised",
        "notice.key_created",
        "notice.consent_recorded",
        "notice.issued",
    ]
    logged = json.dumps(list(AuditEntry.objects.values("details")))
    assert "Alpha" not in logged and "P1234567" not in logged and "interpreter" not in logged


def test_signing_keys_and_notices_are_encrypted_at_rest(
    issuer: Any, officer: Any, case: Any
) -> None:
    issued = issue(officer, case)
    key = OrgSigningKey.objects.get(organisation=issuer.organisation)
    with connection.cursor() as cur:
        cur.execute("SELECT private_key FROM notices_orgsigningkey WHERE id = %s", [key.pk])
        (raw_key,) = cur.fetchone()
        cur.execute(
            "SELECT jws, claims FROM notices_issuednotice WHERE id = %s", [issued.notice.pk]
        )
        raw_jws, raw_claims = cur.fetchone()
    assert raw_key.startswith("aesgcm:") and key.private_key not in raw_key
    assert raw_jws.startswith("aesgcm:") and "Alpha" not in raw_claims


def test_rotation_keeps_old_notices_valid_and_signs_new_ones_with_the_new_key(
    issuer: Any, officer: Any, case: Any
) -> None:
    old = issue(officer, case)
    new_key = actions.do_rotate_key("cli:admin", issuer.organisation)
    new = actions.do_issue_notice(officer, case, valid_days=30)
    assert new.notice.kid == new_key.kid != old.notice.kid
    assert actions.verify_here(old.document["jws"]).valid
    assert actions.verify_here(new.document["jws"]).valid
    from npp.web.notices.store import own_issuers

    (me,) = own_issuers()
    assert {k.kid for k in me.keys} == {old.notice.kid, new_key.kid}
    assert next(k for k in me.keys if k.kid == old.notice.kid).not_after is not None


def test_only_the_issuing_organisation_revokes(
    issuer: Any, officer: Any, case: Any, user_factory: Any, ngo: Any
) -> None:
    issued = issue(officer, case)
    outsider = user_factory("shelter-worker", "caseworker", ngo)
    with pytest.raises(actions.Refused):
        actions.do_revoke_notice(outsider, issued.notice, reason="x")
    actions.do_revoke_notice(officer, issued.notice, reason="issued to the wrong person")
    v = actions.verify_here(issued.document["jws"])
    assert [r.code for r in v.reasons] == ["revoked"]
    with pytest.raises(actions.Refused, match="already revoked"):
        actions.do_revoke_notice(officer, issued.notice)
    (entry,) = own_revocation_document()["lists"]
    assert entry["iss"] == "th-police"


# ------------------------------------------------------------------ another state's notices


class Foreign:
    """An issuer of another instance (Lao PDR), as its trust list and its notices arrive."""

    def __init__(self, roles: tuple[str, ...] = ("formal_identification",)) -> None:
        self.key: SigningKey = generate_key()
        since = timezone.now() - dt.timedelta(days=10)
        self.issuer = Issuer(
            "la-mlsw",
            "Ministry of Labour and Social Welfare",
            "LA",
            roles,
            (IssuerKey(self.key.kid, self.key.jwk, self.key.public, since),),
            since,
        )

    def trust_list(self, anchor: SigningKey | None = None) -> Any:
        doc = trust_list_document(
            trust_list_payload([self.issuer], timezone.now()),
            (anchor.kid, anchor.private) if anchor else None,
        )
        return json.loads(json.dumps(doc))

    def notice(self, status: str = "formal", **person: Any) -> str:
        claims = build_claims(
            iss="la-mlsw",
            jur="LA",
            status=status,
            identified_on=dt.date(2026, 10, 1),
            person=PersonClaims(
                **{
                    "given_name": "Test Person",
                    "family_name": "Alpha",
                    "date_of_birth": "2010-01-01",
                    "nationality": "LA",
                    **person,
                }
            ),
            now=timezone.now() - dt.timedelta(hours=1),
            valid_days=180,
        )
        return sign_compact(
            {"kid": self.key.kid}, canonical_json(claims.as_dict()), self.key.private
        )


def test_an_unsigned_trust_list_needs_an_administrators_explicit_acceptance() -> None:
    la = Foreign()
    with pytest.raises(actions.Refused, match="--accept"):
        actions.do_import_trust("cli:admin", la.trust_list(), accept=False)
    assert not actions.verify_here(la.notice()).valid
    actions.do_import_trust("cli:admin", la.trust_list(), accept=True)
    assert actions.verify_here(la.notice()).valid


def test_a_list_signed_by_a_held_anchor_is_accepted_and_one_from_another_anchor_is_not() -> None:
    la, anchor, stranger = Foreign(), generate_key(), generate_key()
    actions.do_add_anchor("cli:admin", "ASEAN regional (demo)", anchor.jwk)
    with pytest.raises(actions.Refused, match="does not hold"):
        actions.do_import_trust("cli:admin", la.trust_list(stranger), accept=False)
    result = actions.do_import_trust("cli:admin", la.trust_list(anchor), accept=False)
    assert result.anchor == anchor.kid and result.issuers == ["la-mlsw"]


def test_a_list_may_not_take_over_an_issuer_of_this_instance(issuer: Any) -> None:
    la = Foreign()
    data = la.trust_list()
    data["trust_list"]["issuers"][0]["organisation"] = "th-police"
    with pytest.raises(actions.Refused, match="issuer of this instance"):
        actions.do_import_trust("cli:admin", data, accept=True)


def test_attaching_a_formal_notice_records_identification_and_applies_actip_14_2(
    officer: Any, case: Any
) -> None:
    la = Foreign()
    actions.do_import_trust("cli:admin", la.trust_list(), accept=True)
    attached, _verdict = actions.do_attach_notice(officer, case, la.notice("formal"))
    case.refresh_from_db()
    assert case.facts["person"]["victim_status"] == "formal"
    assert case.facts["person"]["identified_by"] == "LA"
    assert attached.status == "formal" and attached.jur == "LA"
    doc = case.assessments.order_by("-number").first().document
    assert "cross_border" in doc["risk_flags"]
    texts = json.dumps(doc["explanation"])
    assert "identified as a victim by Lao PDR" in texts and "asean.actip.art14-2" in texts
    assert any(c["id"] == "asean.actip.art14-2" for c in doc["citations"])
    # formally identified: no action asks for (another) formal identification first
    assert 4 not in [a["recommendation"] for a in doc["actions"]]
    assert AuditEntry.objects.filter(event="notice.attached").count() == 1
    with pytest.raises(actions.Refused, match="already attached"):
        actions.do_attach_notice(officer, case, attached.jws)


def test_a_notice_that_does_not_verify_changes_nothing(officer: Any, case: Any) -> None:
    la = Foreign()  # its list was never imported: unknown issuer
    before = case.version
    with pytest.raises(actions.NotValid) as exc:
        actions.do_attach_notice(officer, case, la.notice())
    assert [r.code for r in exc.value.verdict.reasons] == ["unknown_issuer"]
    case.refresh_from_db()
    assert case.version == before and not AttachedNotice.objects.exists()


def test_revocations_imported_from_a_trusted_issuer_make_its_notice_invalid() -> None:
    from npp.notices.lists import revocation_document, revocation_list_entry

    la = Foreign()
    actions.do_import_trust("cli:admin", la.trust_list(), accept=True)
    token = la.notice()
    jti = json.loads(__import__("base64").urlsafe_b64decode(token.split(".")[1] + "==="))["jti"]
    doc = revocation_document(
        [
            revocation_list_entry(
                "la-mlsw",
                "LA",
                [(jti, timezone.now())],
                (la.key.kid, la.key.private),
                timezone.now(),
            )
        ],
        timezone.now(),
    )
    new, problems = actions.do_import_revocations("cli:admin", json.loads(json.dumps(doc)))
    assert (new, problems) == (1, [])
    assert [r.code for r in actions.verify_here(token).reasons] == ["revoked"]


# ------------------------------------------------------------------ pages


def test_verify_page_works_signed_out_and_may_use_the_camera(
    client: Any, issuer: Any, officer: Any, case: Any
) -> None:
    issued = issue(officer, case)
    r = client.get("/verify/")
    assert r.status_code == 200 and "camera=(self)" in r["Permissions-Policy"]
    assert "script-src 'self'" in r["Content-Security-Policy"]
    r = client.post("/verify/", {"notice": json.dumps(issued.document)})
    assert r.status_code == 200 and "✔" in r.content.decode()
    r = client.post("/verify/", {"notice": "hello"})
    assert "Not a notice" in r.content.decode()
    altered = dict(issued.document, claims=dict(issued.document["claims"], status="formal"))
    r = client.post("/verify/", {"notice": json.dumps(altered)})
    assert 'data-code="altered_claims"' in r.content.decode()


def test_lists_and_worker_are_public_and_carry_no_personal_data(
    client: Any, issuer: Any, officer: Any, case: Any
) -> None:
    issue(officer, case)
    trust = client.get("/verify/trust.json").json()
    assert trust["issuers"][0]["organisation"] == "th-police"
    assert "Alpha" not in json.dumps(trust)
    assert client.get("/verify/revocations.json").json()["revoked"] == []
    sw = client.get("/verify/sw.js")
    assert sw.status_code == 200 and sw["Content-Type"].startswith("text/javascript")
    assert "/verify/trust.json" in sw.content.decode()
    assert "th-police" in client.get("/verify/issuers/").content.decode()


def test_case_notices_page_for_the_owner_and_404_for_others(
    client: Any, issuer: Any, officer: Any, case: Any, user_factory: Any, org_factory: Any
) -> None:
    issued = issue(officer, case)
    login(client, officer)
    page = client.get(f"/notices/case/{case.reference}/")
    assert page.status_code == 200 and issued.notice.jti in page.content.decode()
    assert client.get(f"/notices/case/{case.reference}/{issued.notice.jti}.json").json()["jws"]
    other = user_factory("elsewhere", "frontline", org_factory("th-police-cm"))
    login(client, other)
    assert client.get(f"/notices/case/{case.reference}/").status_code == 404
    assert client.get(f"/notices/case/{case.reference}/{issued.notice.jti}.json").status_code == 404


def test_consent_issue_and_attach_through_the_page(
    client: Any, issuer: Any, officer: Any, case: Any
) -> None:
    login(client, officer)
    base = f"/notices/case/{case.reference}/"
    client.post(base + "issue/", {"given_name": "T", "family_name": "Alpha", "valid_days": 30})
    assert not IssuedNotice.objects.exists()  # no consent yet
    client.post(base + "consent/", {"agrees": "on", "how": "orally"})
    client.post(base + "issue/", {"given_name": "T", "family_name": "Alpha", "valid_days": 30})
    assert IssuedNotice.objects.get().claims["person"]["given_name"] == "T"
    la = Foreign()
    actions.do_import_trust("cli:admin", la.trust_list(), accept=True)
    r = client.post(base + "attach/", {"notice": la.notice("formal")}, follow=True)
    text = r.content.decode()
    assert AttachedNotice.objects.filter(case=case).exists()
    # Thailand–Lao PDR MOU 2005: reported clause covers women and children and illegal entry only
    assert "it does not cover prostitution" in text and "ACTIP still applies" in text
