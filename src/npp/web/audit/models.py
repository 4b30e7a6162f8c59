"""The audit log: append-only and hash-chained.

Each entry's ``hash`` is an HMAC-SHA256, keyed with ``NPP_AUDIT_KEY`` (which is not in the
database), over the previous entry's hash and this entry's canonical content, so changing,
inserting or deleting an entry breaks the chain from that point, and whoever changed it
cannot recompute the chain without the key;
:class:`AuditHead` holds the tip, so deleting the newest entries is detected too. The model
refuses updates and deletes; on PostgreSQL a trigger refuses them as well.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    LOGIN = "auth.login", _("Signed in")
    LOGIN_FAILED = "auth.login_failed", _("Sign-in failed")
    LOGOUT = "auth.logout", _("Signed out")
    TOTP_ENROLLED = "auth.totp_enrolled", _("Two-factor enrolled")
    TOTP_RESET = "auth.totp_reset", _("Two-factor reset")
    TOKEN_CREATED = "auth.token_created", _("API token created")
    TOKEN_REVOKED = "auth.token_revoked", _("API token revoked")
    ORG_CREATED = "admin.organisation_created", _("Organisation created")
    USER_CREATED = "admin.user_created", _("User created")
    USER_CHANGED = "admin.user_changed", _("User changed")
    CASE_CREATED = "case.created", _("Case created")
    CASE_VIEWED = "case.viewed", _("Case viewed")
    PERSON_VIEWED = "case.person_viewed", _("Personal data viewed")
    PERSON_CHANGED = "case.person_changed", _("Personal data changed")
    FACTS_CHANGED = "case.facts_changed", _("Facts changed and case re-assessed")
    STAGE_ADVANCED = "case.stage_advanced", _("Stage advanced")
    DECISION_RECORDED = "case.decision_recorded", _("Decision recorded")
    RECORD_EXPORTED = "case.record_exported", _("Decision record exported")
    REFERRAL_CREATED = "referral.created", _("Referral made")
    REFERRAL_UPDATED = "referral.updated", _("Referral updated")
    NOTICE_ISSUER_AUTHORISED = "notice.issuer_authorised", _("Notice issuer authorised")
    NOTICE_KEY_CREATED = "notice.key_created", _("Notice signing key created")
    NOTICE_CONSENT = "notice.consent_recorded", _("Consent to a notice recorded")
    NOTICE_ISSUED = "notice.issued", _("Identification notice issued")
    NOTICE_REVOKED = "notice.revoked", _("Identification notice revoked")
    NOTICE_ATTACHED = "notice.attached", _("Identification notice attached")
    TRUST_ANCHOR_ADDED = "notice.anchor_added", _("Trust anchor added")
    TRUST_IMPORTED = "notice.trust_imported", _("Trusted issuers imported")
    REVOCATIONS_IMPORTED = "notice.revocations_imported", _("Revocations imported")
    KEYS_ROTATED = "system.keys_rotated", _("Encryption keys rotated")
    DEMO_LOADED = "system.demo_loaded", _("Demo data loaded")


class AuditEntry(models.Model):
    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField()
    event = models.CharField(max_length=40, choices=Event.choices)
    actor = models.CharField(max_length=150)  # a username, or "system"
    organisation = models.CharField(max_length=60, blank=True)
    target_type = models.CharField(max_length=30, blank=True)
    target = models.CharField(max_length=60, blank=True)
    # Never personal data: codes, versions and the names of changed fields only.
    details = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["seq"]  # noqa: RUF012
        verbose_name_plural = "audit entries"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("audit entries are append-only")


class AuditHead(models.Model):
    """The tip of the chain (a single row): the last sequence number and hash."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)
