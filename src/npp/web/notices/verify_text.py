"""Every word the /verify/ page's JavaScript shows, in the page's language.

The browser verifies a notice itself (offline too), so the verdict, its reasons and the status
lines are drawn by ``static/npp/notices/verify.js``, not by a template. Their text still comes
from the server's translation catalogue (``locale/*/LC_MESSAGES/django.po``, machine
translations marked for review like the rest of the interface): the page embeds
:func:`catalogue` for the active language as JSON (``json_script``: a data block, not a
script, so the Content-Security-Policy's ``script-src 'self'`` holds), and the service worker
keeps that page, so a phone verifying offline shows the language it last loaded the page in.

Details (a key id, an organisation, a date) are ``%(name)s`` placeholders, filled in by the
script: a translator may move them within the sentence.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from npp.notices.verify import Reason

#: One sentence per reason a verifier gives (:class:`npp.notices.verify.Reason`), as the
#: script writes it. A test fails if a reason is missing here or untranslated.
REASONS: dict[str, Promise] = {
    Reason.UNKNOWN_ISSUER: _("unknown issuer: no trusted key %(kid)s"),
    Reason.BAD_SIGNATURE: _("bad signature: the notice was altered or forged"),
    Reason.ALTERED_CLAIMS: _(
        "altered claims: the readable copy differs from the signed claims (only the signed "
        "claims are shown)"
    ),
    Reason.EXPIRED: _("expired on %(when)s"),
    Reason.NOT_YET_VALID: _("not yet valid: valid from %(when)s"),
    Reason.REVOKED: _("revoked by the issuer on %(date)s"),
    Reason.ISSUER_NOT_ALLOWED: _(
        "issuer not allowed to identify: %(organisation)s may not issue '%(status)s' notices"
    ),
    Reason.ALGORITHM_REFUSED: _("algorithm %(alg)s refused: notices are signed with EdDSA only"),
    Reason.KEY_NOT_IN_USE: _("the key %(kid)s was not in use when the notice says it was issued"),
    Reason.INVALID_CLAIMS: _("claims not as required"),
}

#: Everything else the script writes: headings, the claims' labels, the variants of a reason,
#: the lists' and the camera's status lines, and why a text is not a notice at all.
TEXT: dict[str, Promise] = {
    "valid": _("Valid"),
    "not_valid": _("Not valid"),
    "not_a_notice": _("Not a notice"),
    # variants of unknown_issuer
    "unknown_issuer_named": _("unknown issuer: no trusted key %(kid)s (the notice names %(iss)s)"),
    "key_of_another_issuer": _(
        "unknown issuer: the key belongs to %(organisation)s (%(state)s), but the notice names "
        "%(iss)s"
    ),
    "issuer_not_trusted_now": _("%(organisation)s is not trusted on this date"),
    # the claims
    "status": _("Status"),
    "formal": _("Formally identified as a victim of trafficking"),
    "potential": _("Presumed victim of trafficking (identification pending)"),
    "name": _("Name"),
    "date_of_birth": _("Date of birth"),
    "nationality": _("Nationality"),
    "document": _("Document"),
    "issued_by": _("Issued by"),
    "identified_on": _("Identified on"),
    "notice": _("Notice"),
    "contact": _("Contact"),
    "checked_here": _("Checked on this device with the lists shown below."),
    "checked_here_offline": _("Checked on this device (offline) with the lists shown below."),
    # the lists and offline use
    "offline_ready": _("This page keeps working offline on this device."),
    "lists": _(
        "Trust list of %(trust)s (%(issuers)s issuers); revocation list of %(revocations)s."
    ),
    "lists_offline": _(
        "Trust list of %(trust)s (%(issuers)s issuers); revocation list of %(revocations)s "
        "(offline: the copy kept on this device)."
    ),
    "lists_missing": _(
        "The trust and revocation lists could not be loaded: open this page once with a network."
    ),
    "unknown_time": _("unknown"),
    # not a notice
    "unreadable": _("The text cannot be read as a notice."),
    "too_large": _("The file is too large to be a notice."),
    "not_compact_jws": _("Not a compact JWS: a notice has three parts separated by dots."),
    "no_jws": _('No "jws" in the notice file.'),
    "crit_header": _("Unsupported 'crit' header."),
    # pictures and the camera
    "no_qr": _("No QR code found in that picture."),
    "bad_picture": _("That picture cannot be read."),
    "qr_read": _("QR code read."),
    "point_camera": _("Point the camera at the QR code."),
    "no_camera": _("The camera is not available: paste or upload the notice instead."),
}


def catalogue() -> dict[str, Any]:
    """The script's words in the active language: ``{"reasons": {code: text}, "text": {...}}``."""
    return {
        "reasons": {str(code): str(text) for code, text in REASONS.items()},
        "text": {key: str(text) for key, text in TEXT.items()},
    }
