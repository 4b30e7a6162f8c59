"""Keep the statistics read model current as cases change.

Every action in :mod:`npp.web.cases.actions` ends by adding a :class:`CaseEvent` (opened,
facts changed, stage advanced, decision, referral, referral follow-up), after the case, its
offences and referrals are written; so a receiver on that event sees the finished write and
refreshes the case's rows in the same transaction. A failure here must never undo a
practitioner's write: it runs in a savepoint, is logged, and ``npp monitor rebuild`` repairs
the read model.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

log = logging.getLogger(__name__)


def _on_event(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    _refresh(instance.case_id)


def _on_case_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    _refresh(instance.pk)


def _refresh(case_id: int) -> None:
    from npp.web.monitoring.facts import refresh_case

    try:
        with transaction.atomic():
            refresh_case(case_id)
    except Exception:
        log.warning("monitoring: could not refresh statistics for a case; run npp monitor rebuild")


def connect() -> None:
    from npp.web.cases.models import Case, CaseEvent

    post_save.connect(_on_event, sender=CaseEvent, dispatch_uid="npp-monitoring-event")
    post_delete.connect(_on_case_deleted, sender=Case, dispatch_uid="npp-monitoring-case-deleted")
