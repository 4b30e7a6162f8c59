"""What a notice says (contract §5), and nothing more.

Only what a foreign official needs to match the person and respect the identification: who
issued it, the status, when identified, and the person's names, date of birth, nationality
and (optionally) a document number; optionally the forms of exploitation and a contact at
the issuer. Nothing about offences charged, the case or the assessment: a notice is carried
by the person and shown at borders.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

STATUSES = ("formal", "potential")
#: Issuer roles (trust lists): which status each role may sign.
ROLE_FORMAL = "formal_identification"
ROLE_SCREENING = "screening"
ROLES = (ROLE_FORMAL, ROLE_SCREENING)
ALLOWED_ROLES: dict[str, frozenset[str]] = {
    "formal": frozenset({ROLE_FORMAL}),
    "potential": frozenset({ROLE_FORMAL, ROLE_SCREENING}),
}
COUNTRY = re.compile(r"[A-Z]{2}")
ORG_CODE = re.compile(r"[-a-zA-Z0-9_]{1,60}")
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MAX_TEXT = 200


class ClaimsError(ValueError):
    """The claims do not have the shape of §5; ``problems`` names each claim."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class PersonClaims:
    given_name: str
    family_name: str
    date_of_birth: str
    nationality: str
    document_number: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "given_name": self.given_name,
            "family_name": self.family_name,
            "date_of_birth": self.date_of_birth,
            "nationality": self.nationality,
        }
        if self.document_number:
            out["document_number"] = self.document_number
        return out


@dataclass(frozen=True)
class NoticeClaims:
    jti: str
    iss: str
    jur: str
    iat: int
    nbf: int
    exp: int
    status: str
    identified_on: str
    person: PersonClaims
    exploitation: tuple[str, ...] = field(default_factory=tuple)
    contact: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "jti": self.jti,
            "iss": self.iss,
            "jur": self.jur,
            "iat": self.iat,
            "nbf": self.nbf,
            "exp": self.exp,
            "status": self.status,
            "identified_on": self.identified_on,
            "person": self.person.as_dict(),
        }
        if self.exploitation:
            out["exploitation"] = list(self.exploitation)
        if self.contact:
            out["contact"] = self.contact
        return out


def _epoch(moment: dt.datetime) -> int:
    return int(moment.timestamp())


def build_claims(
    *,
    iss: str,
    jur: str,
    status: str,
    identified_on: dt.date,
    person: PersonClaims,
    now: dt.datetime,
    valid_days: int,
    exploitation: list[str] | None = None,
    contact: str | None = None,
    jti: str | None = None,
) -> NoticeClaims:
    """New claims, valid from ``now`` for ``valid_days``; checked as a verifier would."""
    claims = NoticeClaims(
        jti=jti or str(uuid.uuid4()),
        iss=iss,
        jur=jur,
        iat=_epoch(now),
        nbf=_epoch(now),
        exp=_epoch(now + dt.timedelta(days=valid_days)),
        status=status,
        identified_on=identified_on.isoformat(),
        person=person,
        exploitation=tuple(exploitation or ()),
        contact=contact or None,
    )
    parse_claims(claims.as_dict())  # the issuer never signs what a verifier would refuse
    return claims


def _text(
    data: dict[str, Any], key: str, where: str, problems: list[str], *, required: bool
) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        if required:
            problems.append(f"{where}{key}: is required")
        return None
    if not isinstance(value, str) or len(value) > MAX_TEXT or any(ord(c) < 32 for c in value):
        problems.append(f"{where}{key}: must be text of at most {MAX_TEXT} characters")
        return None
    return value


def _int(data: dict[str, Any], key: str, problems: list[str]) -> int:
    value = data.get(key)
    if type(value) is not int or not 0 <= value < 2**40:
        problems.append(f"{key}: must be a time in seconds since 1970 (NumericDate)")
        return 0
    return value


def _day(value: str | None, key: str, problems: list[str]) -> None:
    if value is None:
        return
    try:
        ok = bool(DAY.fullmatch(value)) and dt.date.fromisoformat(value) is not None
    except ValueError:
        ok = False
    if not ok:
        problems.append(f"{key}: must be a date YYYY-MM-DD")


def parse_claims(data: dict[str, Any]) -> NoticeClaims:
    """The claims of a notice, or :class:`ClaimsError` naming every problem."""
    problems: list[str] = []
    jti = _text(data, "jti", "", problems, required=True)
    iss = _text(data, "iss", "", problems, required=True)
    if iss is not None and not ORG_CODE.fullmatch(iss):
        problems.append("iss: must be an organisation code")
    jur = _text(data, "jur", "", problems, required=True)
    if jur is not None and not COUNTRY.fullmatch(jur):
        problems.append("jur: must be a two-letter country code")
    iat, nbf, exp = (
        _int(data, "iat", problems),
        _int(data, "nbf", problems),
        _int(data, "exp", problems),
    )
    if exp and nbf and exp <= nbf:
        problems.append("exp: must be after nbf")
    status = data.get("status")
    if status not in STATUSES:
        problems.append("status: must be 'formal' or 'potential'")
    identified_on = _text(data, "identified_on", "", problems, required=True)
    _day(identified_on, "identified_on", problems)
    raw_person = data.get("person")
    person: PersonClaims | None = None
    if not isinstance(raw_person, dict):
        problems.append("person: is required (an object)")
    else:
        given = _text(raw_person, "given_name", "person.", problems, required=False)
        family = _text(raw_person, "family_name", "person.", problems, required=True)
        dob = _text(raw_person, "date_of_birth", "person.", problems, required=False)
        nat = _text(raw_person, "nationality", "person.", problems, required=False)
        if nat is not None and not COUNTRY.fullmatch(nat):
            problems.append("person.nationality: must be a two-letter country code")
        doc = _text(raw_person, "document_number", "person.", problems, required=False)
        person = PersonClaims(given or "", family or "", dob or "", nat or "", doc)
    exploitation = data.get("exploitation", [])
    if not isinstance(exploitation, list) or not all(
        isinstance(x, str) and 0 < len(x) <= 60 for x in exploitation
    ):
        problems.append("exploitation: must be a list of codes")
        exploitation = []
    contact = _text(data, "contact", "", problems, required=False)
    if problems or person is None:
        raise ClaimsError(problems)
    return NoticeClaims(
        jti=str(jti),
        iss=str(iss),
        jur=str(jur),
        iat=iat,
        nbf=nbf,
        exp=exp,
        status=str(status),
        identified_on=str(identified_on),
        person=person,
        exploitation=tuple(exploitation),
        contact=contact,
    )
