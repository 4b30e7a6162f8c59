"""Demo data: organisations of each kind, one user per role, cases across states and stages."""

from __future__ import annotations

from typing import Any

import pytest

from npp.web.accounts.models import Organisation, User
from npp.web.audit.log import verify
from npp.web.cases.models import Case
from npp.web.roles import Role

pytestmark = pytest.mark.django_db


def test_refuses_outside_demo_mode(settings: Any) -> None:
    from npp.web import demo

    settings.DEMO = False
    with pytest.raises(demo.NotDemo):
        demo.load(5)


def test_demo_data(settings: Any) -> None:
    from npp.web import demo

    settings.DEMO = True
    counts = demo.load(60)
    assert counts["cases"] == 60
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert kinds >= {
        "police",
        "immigration",
        "labour_inspectorate",
        "prosecution",
        "defence",
        "court",
        "ngo",
        "ministry",
        "regional_body",
    }
    assert Organisation.objects.values("jurisdiction").distinct().count() == 10
    demo_users = User.objects.filter(username__startswith="demo-")
    assert sorted(demo_users.values_list("role", flat=True)) == sorted(Role.values)
    p = User.objects.get(username="demo-prosecutor")
    assert (
        p.role == "prosecutor"
        and p.organisation.jurisdiction == "TH"
        and p.check_password(demo.DEMO_PASSWORD)
    )
    assert Case.objects.values("jurisdiction").distinct().count() == 10
    assert Case.objects.values("stage").distinct().count() == 6
    assert verify().ok
    assert demo.load(5)["cases"] == 0  # idempotent: never loads twice
