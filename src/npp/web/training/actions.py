"""Every write of the training app goes through these functions, each in one transaction.

Training data are not case data: no person, no name (participants are random tokens), so
these writes are not audited in the case audit chain; a session's creator is recorded on the
session itself.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from npp.web.roles import runs_training
from npp.web.training.models import GroupAnswer, GroupSession, Progress, new_code


def record_progress(user: Any, sid: str, qid: str, answer: list[str], correct: bool) -> None:
    with transaction.atomic():
        Progress.objects.update_or_create(
            user=user,
            scenario_id=sid,
            question_id=qid,
            defaults={"answer": answer, "correct": correct},
        )


def reset_progress(user: Any, sid: str) -> None:
    with transaction.atomic():
        Progress.objects.filter(user=user, scenario_id=sid).delete()


def create_session(user: Any, scenario_ids: list[str], role: str = "") -> GroupSession:
    """A new session with a fresh join code, expiring after ``NPP_TRAINING_SESSION_HOURS``."""
    if not runs_training(user):
        raise PermissionDenied("only a signed-in practitioner or supervisor runs a session")
    expires = timezone.now() + dt.timedelta(hours=settings.NPP_TRAINING_SESSION_HOURS)
    for _ in range(10):
        try:
            with transaction.atomic():
                return GroupSession.objects.create(
                    code=new_code(),
                    trainer=user,
                    scenario_ids=list(scenario_ids),
                    role=role,
                    expires_at=expires,
                )
        except IntegrityError:  # the code is taken: draw another
            continue
    raise RuntimeError("could not draw a free join code")


def reveal(session: GroupSession, user: Any, sid: str, qid: str) -> None:
    if session.trainer_id != user.pk:
        raise PermissionDenied("not your session")
    with transaction.atomic():
        s = GroupSession.objects.select_for_update().get(pk=session.pk)
        key = f"{sid}/{qid}"
        if key not in s.revealed:
            s.revealed = [*s.revealed, key]
            s.save(update_fields=["revealed"])
        session.revealed = s.revealed


def new_participant() -> str:
    return secrets.token_hex(16)


def submit_answer(
    session: GroupSession, participant: str, sid: str, qid: str, answer: list[str]
) -> None:
    with transaction.atomic():
        GroupAnswer.objects.update_or_create(
            session=session,
            participant=participant,
            scenario_id=sid,
            question_id=qid,
            defaults={"answer": answer},
        )


def delete_expired(now: dt.datetime | None = None) -> tuple[int, int]:
    """Delete sessions past their expiry and their answers: (sessions, answers) deleted."""
    now = now or timezone.now()
    with transaction.atomic():
        expired = GroupSession.objects.filter(expires_at__lte=now)
        n_answers = GroupAnswer.objects.filter(session__in=expired).count()
        n_sessions = expired.count()
        GroupAnswer.objects.filter(session__in=expired).delete()
        expired.delete()
    return n_sessions, n_answers
