"""Organisations, users (one role each, in one organisation), API tokens, login failures."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from npp.web.crypto import EncryptedTextField
from npp.web.roles import Role


class OrgKind(models.TextChoices):
    POLICE = "police", _("Police")
    IMMIGRATION = "immigration", _("Immigration")
    LABOUR = "labour_inspectorate", _("Labour inspectorate")
    PROSECUTION = "prosecution", _("Prosecution service")
    DEFENCE = "defence", _("Defence / legal aid")
    COURT = "court", _("Court")
    NGO = "ngo", _("NGO / shelter")
    MINISTRY = "ministry", _("Ministry")
    REGIONAL = "regional_body", _("Regional body")
    EXTERNAL = "external", _("External (named in an imported file)")


class Organisation(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=OrgKind.choices)
    jurisdiction = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    province = models.CharField(max_length=100, blank=True)
    #: The HTCDS org_Type of an external organisation (kept as the file gave it).
    htcds_type = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["jurisdiction", "name"]  # noqa: RUF012

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.ANALYST)
    totp_secret: Any = EncryptedTextField(null=True, blank=True)
    totp_confirmed_at = models.DateTimeField(null=True, blank=True)
    totp_last_step = models.BigIntegerField(null=True, blank=True)

    @property
    def has_totp(self) -> bool:
        return bool(self.totp_secret and self.totp_confirmed_at)


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """An API key; only its SHA-256 is stored, so a database leak yields no usable key."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class LoginFailure(models.Model):
    """A failed password or code, keyed by a hash of the username or the client address."""

    key = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(db_index=True)
