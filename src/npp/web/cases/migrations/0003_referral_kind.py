"""Referrals get a kind (issue 15): ``transfer`` for the next link of the chain (prosecution
after police, court after prosecution), ``service`` for every other existing referral.

Reversible: going back drops the column (the kind is derived again going forward).
The chain is written out here, not read from ``referral_rules.yaml``: a migration must do
the same thing on every machine, whatever the rules file later says.
"""

from typing import Any

from django.db import migrations, models

CHAIN = (("police", "prosecution"), ("prosecution", "court"))


def set_kinds(apps: Any, schema_editor: Any) -> None:
    referral = apps.get_model("cases", "Referral")
    for from_kind, to_kind in CHAIN:
        referral.objects.filter(from_org__kind=from_kind, to_org__kind=to_kind).update(
            kind="transfer"
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_exchange"), ("accounts", "0002_exchange")]  # noqa: RUF012

    operations = [  # noqa: RUF012
        migrations.AddField(
            model_name="referral",
            name="kind",
            field=models.CharField(
                choices=[
                    ("transfer", "Transfer of responsibility"),
                    ("service", "Service referral"),
                ],
                default="service",
                max_length=10,
            ),
        ),
        migrations.RunPython(set_kinds, migrations.RunPython.noop),
    ]
