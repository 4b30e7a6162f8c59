"""Roles and what each may do: the one place that says so.

Whether a user may see a particular case is decided by :func:`npp.web.access.visible_cases`;
this module only says what a role may do in general.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    FRONTLINE = "frontline", _("Frontline officer (police, immigration, labour inspection)")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    DEFENDER = "defender", _("Defence lawyer")
    JUDGE = "judge", _("Judge")
    CASEWORKER = "caseworker", _("NGO caseworker")
    SUPERVISOR = "supervisor", _("Supervisor")
    ANALYST = "analyst", _("Analyst (aggregates only)")
    STEWARD = "steward", _("Legal data steward")
    ADMIN = "admin", _("Administrator")


#: Roles that work on cases and therefore see personal data.
CASE_ROLES: frozenset[str] = frozenset(
    {"frontline", "prosecutor", "defender", "judge", "caseworker", "supervisor"}
)
#: Roles that must use two-factor authentication: personal data, or power over accounts.
TWO_FACTOR_ROLES: frozenset[str] = CASE_ROLES | {"admin"}
#: Roles that see statistics (aggregates with small counts suppressed, never a person).
STATISTICS_ROLES: frozenset[str] = frozenset({"analyst", "supervisor"})


def _role(user: Any) -> str | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return str(user.role)


def works_on_cases(user: Any) -> bool:
    return _role(user) in CASE_ROLES and getattr(user, "organisation_id", None) is not None


def needs_two_factor(user: Any) -> bool:
    return _role(user) in TWO_FACTOR_ROLES


def sees_statistics(user: Any) -> bool:
    return _role(user) in STATISTICS_ROLES


def runs_training(user: Any) -> bool:
    """Group training sessions are run by practitioners and supervisors (signed in). Learners
    practise and join sessions without an account."""
    return _role(user) in CASE_ROLES


def manages_accounts(user: Any) -> bool:
    return _role(user) == "admin"
