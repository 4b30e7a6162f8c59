"""Notices, keys and trust. Private keys and everything about a person are encrypted at rest
(:mod:`npp.web.crypto`); only :mod:`npp.web.notices.actions` writes these models."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from npp.web.accounts.models import Organisation
from npp.web.cases.models import Case
from npp.web.crypto import EncryptedJSONField, EncryptedTextField


class IssuerProfile(models.Model):
    """An organisation of this instance authorised (by an administrator) to issue notices.

    ``roles``: ``formal_identification`` (may issue ``formal`` and ``potential`` notices) and/or
    ``screening`` (``potential`` only). Which authority may identify is national law; the
    administrator records it here rather than the software guessing from the kind of body."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="issuer_profile"
    )
    roles = models.JSONField(default=list)
    contact = models.CharField(max_length=200, blank=True)
    valid_from = models.DateTimeField(default=timezone.now)
    valid_until = models.DateTimeField(null=True, blank=True)


class OrgSigningKey(models.Model):
    """An organisation's Ed25519 notice key. The newest live key signs; a rotated key is kept
    (``retired_at``) so the notices it signed stay verifiable until they expire."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kid = models.CharField(max_length=64, unique=True)
    public_x = models.CharField(max_length=64)
    private_key: Any = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]  # noqa: RUF012


class NoticeConsent(models.Model):
    """The person's consent to carrying and sharing an identification notice, recorded before
    any notice is issued."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notice_consents")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    how: Any = EncryptedTextField(blank=True, default="")  # e.g. "orally, with an interpreter"
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]  # noqa: RUF012


class IssuedNotice(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="issued_notices")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    jti = models.CharField(max_length=64, unique=True)
    kid = models.CharField(max_length=64)
    status = models.CharField(max_length=20)
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    jws: Any = EncryptedTextField()
    claims: Any = EncryptedJSONField()
    consent = models.ForeignKey(NoticeConsent, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revocation_reason: Any = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["-issued_at", "-pk"]  # noqa: RUF012


class TrustAnchor(models.Model):
    """A body whose signature on a trust list this instance accepts (e.g. a regional body).
    ``private_key`` is set only on the anchor's own instance."""

    name = models.CharField(max_length=100, unique=True)
    kid = models.CharField(max_length=64, unique=True)
    public_x = models.CharField(max_length=64)
    private_key: Any = EncryptedTextField(null=True, blank=True)
    added_at = models.DateTimeField(default=timezone.now)


class TrustedIssuer(models.Model):
    """An issuer of another instance, accepted from a trust list."""

    organisation = models.CharField(max_length=60, unique=True)
    name = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=2)
    roles = models.JSONField(default=list)
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    anchor_kid = models.CharField(max_length=64, blank=True)  # "" = accepted by an administrator
    accepted_by = models.CharField(max_length=150, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["state", "name", "organisation"]  # noqa: RUF012


class TrustedKey(models.Model):
    issuer = models.ForeignKey(TrustedIssuer, on_delete=models.CASCADE, related_name="keys")
    kid = models.CharField(max_length=64, unique=True)
    public_x = models.CharField(max_length=64)
    not_before = models.DateTimeField()
    not_after = models.DateTimeField(null=True, blank=True)


class ImportedRevocation(models.Model):
    """A notice another instance's issuer revoked (from its signed revocation list)."""

    iss = models.CharField(max_length=60)
    jti = models.CharField(max_length=200)
    revoked_at = models.DateTimeField()
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["iss", "jti"], name="imported_revocation_unique")
        ]


class AttachedNotice(models.Model):
    """A notice from another state, verified and attached to a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attached_notices")
    jti = models.CharField(max_length=200)
    iss = models.CharField(max_length=60)
    jur = models.CharField(max_length=2)
    status = models.CharField(max_length=20)
    issuer_name = models.CharField(max_length=200, blank=True)
    jws: Any = EncryptedTextField()
    claims: Any = EncryptedJSONField()
    verified_at = models.DateTimeField(default=timezone.now)
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-verified_at", "-pk"]  # noqa: RUF012
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(fields=["case", "iss", "jti"], name="attached_notice_unique")
        ]
