"""Training records: a signed-in learner's progress, and group sessions with their answers.

Nothing here is about a real person: scenarios are fictional, participants of a group session
are anonymous (a random token kept in their browser session, never a name), and group
sessions and their answers are deleted when they expire (``npp training cleanup``).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

#: Join codes avoid letters and digits that are easily confused (O/0, I/1).
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Progress(models.Model):
    """A signed-in learner's latest answer to one question of one scenario."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    scenario_id = models.CharField(max_length=60)
    question_id = models.CharField(max_length=8)
    answer = models.JSONField(default=list)
    correct = models.BooleanField()
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(
                fields=["user", "scenario_id", "question_id"], name="training_progress_once"
            )
        ]


class GroupSession(models.Model):
    """A trainer's session over chosen scenarios; participants join with ``code``."""

    code = models.CharField(max_length=CODE_LENGTH, unique=True, default=new_code)
    trainer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    scenario_ids = models.JSONField(default=list)
    role = models.CharField(max_length=20, blank=True, default="")
    revealed = models.JSONField(default=list)  # "scenario/question" keys shown to the group
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)


class GroupAnswer(models.Model):
    """One participant's answer to one question; ``participant`` is a random token."""

    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="answers")
    participant = models.CharField(max_length=32)
    scenario_id = models.CharField(max_length=60)
    question_id = models.CharField(max_length=8)
    answer = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [  # noqa: RUF012
            models.UniqueConstraint(
                fields=["session", "participant", "scenario_id", "question_id"],
                name="training_answer_once",
            )
        ]
