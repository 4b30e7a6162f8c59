"""Identification notices between states (contract §5): ``npp notice``, ``npp trust`` and
``npp revocations``. Django is imported inside the commands; verification itself is the
framework-free :mod:`npp.notices`.

Exit status: 0 done (``verify``: valid); 1 refused or not valid, one line per reason;
2 unusable input or arguments, one line per problem on standard error.
"""

from __future__ import annotations

import getpass
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from npp.errors import NppError, Problem

notice_app = typer.Typer(
    help="Identification notices another state can verify offline.", no_args_is_help=True
)
trust_app = typer.Typer(help="Trusted issuers of notices, and trust anchors.", no_args_is_help=True)
revocations_app = typer.Typer(help="Signed lists of revoked notices.", no_args_is_help=True)


class Fmt(StrEnum):
    text = "text"
    json = "json"


def _fail(problems: list[Problem] | str, code: int = 2) -> NoReturn:
    if isinstance(problems, str):
        problems = [Problem("", problems)]
    for p in problems:
        print(str(p), file=sys.stderr)
    raise typer.Exit(code)


def _django() -> None:
    from django.core.exceptions import ImproperlyConfigured

    from npp.web import setup

    try:
        setup()
    except ImproperlyConfigured as exc:
        _fail([Problem("settings", str(exc))])
    from django.core.management import call_command

    # A new instance's first command may be `npp trust anchor-add` or `npp notice verify`:
    # bring its database up to date (quick when it already is), as `npp user org` does.
    call_command("migrate", interactive=False, verbosity=0)


def _operator() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:
        return "cli"


def _read(path: str, where: str, limit: int = 5 * 1024 * 1024) -> bytes:
    try:
        if path == "-":
            raw = sys.stdin.buffer.read(limit + 1)
        else:
            with open(path, "rb") as fh:
                raw = fh.read(limit + 1)
    except OSError as exc:
        _fail([Problem(where, f"cannot read {path!r}: {exc.strerror or exc}")])
    if len(raw) > limit:
        _fail([Problem(where, f"larger than {limit // 1024} KB")])
    return raw


def _json(path: str, where: str) -> Any:
    raw = _read(path, where)
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        _fail([Problem(where, f"{path!r} is not a JSON file")])


def _write(path: Path, data: bytes, where: str) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        _fail([Problem(where, f"cannot write {str(path)!r}: {exc.strerror or exc}")])


def _dump(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _user(username: str) -> Any:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        _fail([Problem("--user", f"no active user {username!r}")])
    return user


def _org(code: str) -> Any:
    from npp.web.accounts.models import Organisation

    org = Organisation.objects.filter(code=code).first()
    if org is None:
        _fail([Problem("ORG", f"no organisation {code!r}")])
    return org


def _refused(exc: NppError) -> NoReturn:
    _fail(exc.problems, 1)


# ------------------------------------------------------------------ npp notice


@notice_app.command("issuer")
def issuer(
    org: Annotated[str, typer.Argument(help="Organisation code")],
    role: Annotated[
        list[str], typer.Option("--role", help="formal_identification and/or screening")
    ],
    contact: Annotated[str, typer.Option(help="Contact printed on notices (office, phone)")] = "",
) -> None:
    """Authorise an organisation to issue notices (an administrator's decision under national
    law); generates its signing key."""
    _django()
    from npp.web.notices.actions import Refused, do_authorise_issuer

    try:
        p = do_authorise_issuer(_operator(), _org(org), role, contact=contact)
    except Refused as exc:
        _fail(exc.problems)
    print(f"{org} may issue notices as: {', '.join(p.roles)}")


@notice_app.command("rotate-key")
def rotate_key(org: Annotated[str, typer.Argument(help="Organisation code")]) -> None:
    """A new signing key for ORG; notices signed with the old one stay verifiable until they
    expire. Export the trust list again afterwards."""
    _django()
    from npp.web.notices.actions import Refused, do_rotate_key

    try:
        key = do_rotate_key(_operator(), _org(org))
    except Refused as exc:
        _refused(exc)
    print(f"new key {key.kid} for {org}")


def _case(user: Any, reference: str) -> Any:
    from django.http import Http404

    from npp.web.access import get_case

    try:
        return get_case(user, reference)
    except Http404:
        _fail([Problem("CASE_REF", f"no case {reference!r} that {user.username} may see")])


@notice_app.command("consent")
def consent(
    case_ref: Annotated[str, typer.Argument(metavar="CASE_REF")],
    user: Annotated[str, typer.Option("--user", "-u", help="Who records it")],
    how: Annotated[str, typer.Option(help="How consent was given (e.g. orally, interpreter)")] = "",
) -> None:
    """Record the person's consent to carrying and sharing an identification notice."""
    _django()
    from npp.web.notices.actions import Refused, do_record_consent

    account = _user(user)
    try:
        do_record_consent(account, _case(account, case_ref), how=how)
    except Refused as exc:
        _refused(exc)
    print(f"consent recorded for {case_ref}")


@notice_app.command("cases")
def cases(
    user: Annotated[str, typer.Option("--user", "-u", help="Whose organisation's cases")],
) -> None:
    """Cases of USER's organisation whose person is a formal or presumed victim with a
    recorded name: those a notice can be issued for (reference and status; no names)."""
    _django()
    from npp.web.access import visible_cases
    from npp.web.cases.models import Person

    account = _user(user)
    mine = visible_cases(account).filter(organisation_id=account.organisation_id)
    # Names are encrypted: no query can test them, so they are read and checked here.
    named = {p.case_id for p in Person.objects.filter(case__in=mine) if p.full_name.strip()}
    for case in mine.order_by("-updated_at", "pk").iterator():
        status = (case.facts.get("person") or {}).get("victim_status")
        if status in {"formal", "potential"} and case.pk in named:
            print(f"{case.reference}\t{status}")


@notice_app.command("issue")
def issue(
    case_ref: Annotated[str, typer.Argument(metavar="CASE_REF")],
    out: Annotated[Path, typer.Option("--out", "-o", help="NOTICE.json to write")],
    user: Annotated[str, typer.Option("--user", "-u", help="Who issues it")],
    pdf: Annotated[Path | None, typer.Option("--pdf", help="Also write the one-page PDF")] = None,
    valid_days: Annotated[int, typer.Option("--valid-days", help="Days of validity")] = 180,
    given_name: Annotated[
        str | None, typer.Option(help="Given name(s), if not the default split")
    ] = None,
    family_name: Annotated[
        str | None, typer.Option(help="Family name, if not the default split")
    ] = None,
) -> None:
    """Issue a signed identification notice for the person of a case (consent first)."""
    _django()
    from npp.web.notices.actions import Refused, do_issue_notice

    account = _user(user)
    case = _case(account, case_ref)
    try:
        issued = do_issue_notice(
            account, case, valid_days=valid_days, given_name=given_name, family_name=family_name
        )
    except Refused as exc:
        _refused(exc)
    _write(out, _dump(issued.document), "--out")
    if pdf is not None:
        from npp.web.notices.pdf import notice_pdf

        _write(pdf, notice_pdf(issued.notice), "--pdf")
    print(issued.notice.jti)


def _verdict_text(v: Any) -> str:
    lines = ["valid" if v.valid else "not valid"]
    if v.valid and v.parsed is not None:
        c, i = v.parsed, v.issuer or {}
        status = (
            "formally identified as a victim of trafficking"
            if c.status == "formal"
            else "presumed victim of trafficking, identification pending"
        )
        lines.append(f"{c.person.given_name} {c.person.family_name}".strip() + f": {status}")
        lines.append(f"by {i.get('name') or c.iss} ({c.iss}, {c.jur}) on {c.identified_on}")
        lines.append(f"notice {c.jti}, valid until {_day(c.exp)}")
    lines += [f"- {r.text} [{r.code}]" for r in v.reasons]
    return "\n".join(lines) + "\n"


def _day(epoch: int) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(epoch, dt.UTC).date().isoformat()


@notice_app.command("verify")
def verify(
    notice: Annotated[str, typer.Argument(metavar="NOTICE.json|-", help="Notice file, or -")],
    format: Annotated[Fmt, typer.Option("--format", "-f")] = Fmt.text,
) -> None:
    """Verify a notice with the trust and revocation lists held here (no network): exit 0
    valid, 1 not valid (every reason), 2 unreadable."""
    from npp.notices.verify import MAX_FILE_BYTES, UnreadableNotice, read_notice_file

    raw = _read(notice, "NOTICE", MAX_FILE_BYTES)
    try:
        jws, readable = read_notice_file(raw)
    except UnreadableNotice as exc:
        _fail([Problem("NOTICE", str(exc))])
    _django()
    from npp.web.notices.actions import verify_here

    try:
        v = verify_here(jws, readable)
    except UnreadableNotice as exc:
        _fail([Problem("NOTICE", str(exc))])
    if format is Fmt.json:
        sys.stdout.write(json.dumps(v.as_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(_verdict_text(v))
    if not v.valid:
        raise typer.Exit(1)


@notice_app.command("revoke")
def revoke(
    notice_id: Annotated[str, typer.Argument(metavar="NOTICE_ID", help="The notice's jti")],
    user: Annotated[str | None, typer.Option("--user", "-u", help="Who revokes it")] = None,
    reason: Annotated[str, typer.Option(help="Why (kept here, encrypted; not exported)")] = "",
) -> None:
    """Revoke a notice this instance issued; export the revocation list afterwards."""
    _django()
    from npp.web.notices.actions import Refused, do_revoke_notice
    from npp.web.notices.models import IssuedNotice

    notice = IssuedNotice.objects.filter(jti=notice_id).select_related("case").first()
    if notice is None:
        _fail([Problem("NOTICE_ID", f"no notice {notice_id!r} issued here")])
    try:
        do_revoke_notice(_user(user) if user else _operator(), notice, reason=reason)
    except Refused as exc:
        _refused(exc)
    print(f"revoked {notice_id}")


@notice_app.command("attach")
def attach(
    case_ref: Annotated[str, typer.Argument(metavar="CASE_REF")],
    notice: Annotated[str, typer.Argument(metavar="NOTICE.json|-")],
    user: Annotated[str, typer.Option("--user", "-u", help="Who attaches it")],
) -> None:
    """Attach a verified notice from another state to a case: the person is recorded as
    identified by that state, and the case is re-assessed (ACTIP art. 14(2))."""
    from npp.notices.verify import MAX_FILE_BYTES, UnreadableNotice, read_notice_file

    raw = _read(notice, "NOTICE", MAX_FILE_BYTES)
    try:
        jws, _readable = read_notice_file(raw)
    except UnreadableNotice as exc:
        _fail([Problem("NOTICE", str(exc))])
    _django()
    from npp.web.notices.actions import NotValid, Refused, do_attach_notice

    account = _user(user)
    case = _case(account, case_ref)
    try:
        attached, _v = do_attach_notice(account, case, jws)
    except (NotValid, Refused) as exc:
        _refused(exc)
    except UnreadableNotice as exc:
        _fail([Problem("NOTICE", str(exc))])
    print(
        f"attached notice {attached.jti} ({attached.status}, {attached.iss}, {attached.jur}) "
        f"to {case_ref}"
    )


# ------------------------------------------------------------------ npp trust


@trust_app.command("export")
def trust_export(
    out: Annotated[Path, typer.Option("--out", "-o", help="ISSUERS.json to write")],
    anchor: Annotated[
        str | None, typer.Option(help="Sign with this trust anchor held here")
    ] = None,
) -> None:
    """Publish this instance's issuing organisations and their public keys."""
    _django()
    from django.utils import timezone

    from npp.notices.lists import trust_list_document, trust_list_payload
    from npp.web.notices.store import own_issuers

    now = timezone.now()
    payload = trust_list_payload(own_issuers(now), now)
    _write(out, _dump(trust_list_document(payload, _anchor_private(anchor))), "--out")
    print(f"wrote {len(payload['issuers'])} issuer(s) to {out}", file=sys.stderr)


def _anchor_private(name: str | None) -> Any:
    if name is None:
        return None
    from npp.notices.keys import SigningKey
    from npp.web.notices.models import TrustAnchor

    a = TrustAnchor.objects.filter(name=name, private_key__isnull=False).first()
    if a is None:
        _fail([Problem("--anchor", f"this instance holds no private key for anchor {name!r}")])
    key = SigningKey.from_private_raw(a.private_key)
    return key.kid, key.private


@trust_app.command("sign")
def trust_sign(
    issuers: Annotated[str, typer.Argument(metavar="ISSUERS.json")],
    anchor: Annotated[str, typer.Option(help="The trust anchor (held here) that signs")],
    out: Annotated[Path, typer.Option("--out", "-o")],
) -> None:
    """As a trust anchor, sign another instance's trust list (after checking it)."""
    data = _json(issuers, "ISSUERS")
    _django()
    from npp.notices.lists import ListError, read_trust_list, trust_list_document

    try:
        read_trust_list({**data, "jws": None} if isinstance(data, dict) else data, {})
    except ListError as exc:
        _fail([Problem("ISSUERS", p) for p in exc.problems])
    doc = trust_list_document(data["trust_list"], _anchor_private(anchor))
    _write(out, _dump(doc), "--out")
    print(f"signed {out}", file=sys.stderr)


@trust_app.command("import")
def trust_import(
    issuers: Annotated[str, typer.Argument(metavar="ISSUERS.json")],
    accept: Annotated[
        bool, typer.Option("--accept", help="An administrator accepts an unsigned list")
    ] = False,
) -> None:
    """Accept another instance's issuers: only if signed by a trust anchor held here, or
    with --accept (exit 1 otherwise)."""
    data = _json(issuers, "ISSUERS")
    _django()
    from npp.web.notices.actions import Refused, do_import_trust

    try:
        result = do_import_trust(_operator(), data, accept=accept)
    except Refused as exc:
        _refused(exc)
    how = f"signed by anchor {result.anchor}" if result.anchor else "accepted by an administrator"
    print(f"trusted {len(result.issuers)} issuer(s) ({how}): {', '.join(result.issuers)}")


@trust_app.command("list")
def trust_list(format: Annotated[Fmt, typer.Option("--format", "-f")] = Fmt.text) -> None:
    """Every issuer this instance trusts (its own and imported), by state."""
    _django()
    from npp.web.notices.store import public_trust

    data = public_trust()
    if format is Fmt.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    for i in sorted(data["issuers"], key=lambda i: (i["state"], i["organisation"])):
        print(f"{i['state']}  {i['organisation']}  {', '.join(i['roles'])}  keys: {len(i['keys'])}")


@trust_app.command("anchor-create")
def anchor_create(name: Annotated[str, typer.Argument()]) -> None:
    """Make this instance a trust anchor (e.g. a regional body) with a new key pair."""
    _django()
    from npp.web.notices.actions import do_create_anchor

    a = do_create_anchor(_operator(), name)
    print(f"anchor {name}: {a.kid}")


@trust_app.command("anchor-export")
def anchor_export(
    name: Annotated[str, typer.Argument()],
    out: Annotated[Path, typer.Option("--out", "-o")],
) -> None:
    """Write an anchor's public key, for other instances to hold (`anchor-add`)."""
    _django()
    from npp.web.notices.models import TrustAnchor

    a = TrustAnchor.objects.filter(name=name).first()
    if a is None:
        _fail([Problem("NAME", f"no anchor {name!r}")])
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": a.public_x, "kid": a.kid}
    _write(out, _dump({"contract": "npp.anchor/1", "name": a.name, "jwk": jwk}), "--out")


@trust_app.command("anchor-add")
def anchor_add(anchor: Annotated[str, typer.Argument(metavar="ANCHOR.json")]) -> None:
    """Hold another body's anchor key: trust lists it signs will be imported."""
    data = _json(anchor, "ANCHOR")
    if not isinstance(data, dict) or data.get("contract") != "npp.anchor/1":
        _fail([Problem("ANCHOR", "not an anchor file (contract must be 'npp.anchor/1')")])
    _django()
    from npp.notices.jws import MalformedJws
    from npp.web.notices.actions import do_add_anchor

    try:
        a = do_add_anchor(_operator(), str(data.get("name") or "anchor"), data.get("jwk"))
    except MalformedJws as exc:
        _fail([Problem("ANCHOR.jwk", str(exc))])
    print(f"holding anchor {a.name}: {a.kid}")


# ------------------------------------------------------------------ npp revocations


@revocations_app.command("export")
def revocations_export(out: Annotated[Path, typer.Option("--out", "-o")]) -> None:
    """The notices this instance's issuers revoked, each issuer's list signed with its key."""
    _django()
    from npp.web.notices.store import own_revocation_document

    doc = own_revocation_document()
    _write(out, _dump(doc), "--out")
    n = sum(1 for _ in doc["lists"])
    print(f"wrote revocation lists of {n} issuer(s) to {out}", file=sys.stderr)


@revocations_app.command("import")
def revocations_import(file: Annotated[str, typer.Argument(metavar="R.json")]) -> None:
    """Import revocations signed by issuers this instance trusts (exit 1 if a list was
    refused; the others are still imported)."""
    data = _json(file, "R")
    _django()
    from npp.web.notices.actions import Refused, do_import_revocations

    try:
        new, problems = do_import_revocations(_operator(), data)
    except Refused as exc:
        _fail(exc.problems)
    print(f"imported {new} new revocation(s)")
    if problems:
        _fail([Problem("R", p) for p in problems], 1)


def register(app: typer.Typer) -> None:
    """Add ``npp notice``, ``npp trust`` and ``npp revocations`` to the top-level app."""
    app.add_typer(notice_app, name="notice")
    app.add_typer(trust_app, name="trust")
    app.add_typer(revocations_app, name="revocations")
