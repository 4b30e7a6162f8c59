"""The study's measures for one case (npp.analytics.measures)."""

from __future__ import annotations

import datetime as dt

from npp.analytics.measures import Decision, case_measures, sector_of

D = dt.date
PROTECTIVE = {"not_charged", "charge_withdrawn", "acquitted", "record_cleared"}
PUNITIVE = {"charged", "prosecution_continued", "convicted", "sentenced"}


def measures(decisions: list[Decision], **kw: object) -> object:
    args = {
        "opened_on": D(2024, 1, 1),
        "potential_victim": True,
        "flagged_on": D(2024, 1, 10),
        "formally_identified_at_contact": False,
        "decisions": decisions,
        "protective": PROTECTIVE,
        "punitive": PUNITIVE,
    }
    args.update(kw)
    return case_measures(**args)  # type: ignore[arg-type]


def test_a_charge_before_the_flag_is_not_punishment_of_a_known_victim() -> None:
    m = measures([Decision(D(2024, 1, 5), "arrest_and_charge", "charged")])
    assert m.charged and not m.punished  # type: ignore[attr-defined]


def test_a_charge_after_the_flag_is_punishment() -> None:
    m = measures([Decision(D(2024, 1, 12), "arrest_and_charge", "charged")])
    assert m.punished  # type: ignore[attr-defined]


def test_identification_only_after_charge_and_days_to_identification() -> None:
    m = measures(
        [
            Decision(D(2024, 1, 5), "arrest_and_charge", "charged"),
            Decision(D(2024, 3, 1), "identification", "identified_as_victim"),
            Decision(D(2024, 3, 5), "prosecution", "charge_withdrawn"),
        ]
    )
    assert m.identified_after_charge and m.protected  # type: ignore[attr-defined]
    assert m.days_to_identification == 60  # type: ignore[attr-defined]


def test_formally_identified_at_first_contact_counts_zero_days() -> None:
    m = measures([], formally_identified_at_contact=True)
    assert m.identified_on == D(2024, 1, 1) and m.days_to_identification == 0  # type: ignore[attr-defined]


def test_not_a_potential_victim_is_never_counted_as_punished() -> None:
    m = measures(
        [Decision(D(2024, 2, 1), "trial", "convicted")], potential_victim=False, flagged_on=None
    )
    assert m.convicted and not m.punished  # type: ignore[attr-defined]


def test_sector_from_offences_and_purposes() -> None:
    assert sector_of({"fishing.iuu"}, set()) == "fishing"
    assert sector_of({"immigration.illegal_entry"}, {"sexual_exploitation"}) == "sex_industry"
    assert sector_of({"other"}, set()) == "unknown"
