"""The web application (issue #4): a Django project over the assessment engine.

Apps: ``accounts`` (organisations, users, roles, two-factor, API tokens), ``cases`` (cases,
assessments, decisions, referrals; :mod:`npp.web.cases.actions` is the only writer),
``audit`` (the append-only, hash-chained log), ``api`` (REST, contract §4) and ``lawpages``
(the public law pages). Settings: :mod:`npp.web.settings`, read from the environment.
"""

from __future__ import annotations

import os

SETTINGS = "npp.web.settings"


def setup() -> None:
    """Configure Django for use outside ``manage.py`` (the ``npp`` CLI, scripts)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()
