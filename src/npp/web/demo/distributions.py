"""Who the demo's cases are about: plausible distributions of offence, sex, age, nationality,
victim status and trafficking facts for each of the ten states.

The shares are plausible for the region, not statistics of it: they are not drawn from any data
set and must never be cited as findings. The tables come first so that a new offence category
or a new pattern is one line: a scenario names its offences, exploitation purposes, who is
involved and what a screening would find; each state weighs the scenarios and the
nationalities met there (the cross-border patterns of the region).

Why a pool of profiles: assessing a case costs about a millisecond, and storing its assessment
several more (encryption). The demo draws a few hundred *profiles* (the facts of contract §1)
per state and gives each of many cases one of them, so that identical facts are assessed and
encrypted once. Cases still differ in everything that is theirs: stage, dates, province, name,
decisions and referrals.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

#: Share of the demo's cases found in each state.
STATE_WEIGHTS: dict[str, float] = {"TH": 24, "MY": 16, "ID": 13, "PH": 11, "VN": 9, "KH": 9,
                                   "MM": 7, "LA": 5, "SG": 3.5, "BN": 2.5}  # fmt: skip

#: Nationalities of the persons found in each state ("unknown" is added to every state).
NATIONALITIES: dict[str, dict[str, float]] = {
    "TH": {"MM": 38, "TH": 20, "LA": 16, "KH": 16, "VN": 5, "CN": 5},
    "MY": {"ID": 34, "MM": 14, "BD": 14, "MY": 12, "PH": 10, "VN": 8, "NP": 8},
    "ID": {"ID": 82, "PH": 6, "MM": 6, "CN": 6},
    "PH": {"PH": 88, "CN": 8, "VN": 4},
    "VN": {"VN": 90, "CN": 6, "LA": 4},
    "KH": {"KH": 60, "VN": 12, "CN": 12, "TH": 6, "ID": 5, "MY": 5},
    "LA": {"LA": 72, "CN": 12, "VN": 10, "MM": 6},
    "MM": {"MM": 82, "CN": 10, "TH": 8},
    "SG": {"ID": 20, "PH": 20, "BD": 16, "MM": 12, "IN": 12, "CN": 10, "MY": 10},
    "BN": {"ID": 40, "PH": 35, "BD": 15, "TH": 10},
}
UNKNOWN_NATIONALITY = 0.03


@dataclass(frozen=True)
class Scenario:
    """A pattern of exploitation and the offences it leads to."""

    #: the offence the person is found committing, weighted
    main: Mapping[str, float]
    #: further offences, each with its probability (``foreign`` ones only for foreigners)
    extra: Mapping[str, float]
    foreign: Mapping[str, float]
    purposes: tuple[str, ...]
    female: float
    #: (lowest age, highest age, weight)
    ages: tuple[tuple[int, int, float], ...]
    means: tuple[str, ...]
    indicators: tuple[str, ...]
    description: str


IMMIGRATION = {"immigration.illegal_entry": 0.55, "immigration.unlawful_stay": 0.3,
               "document.fraudulent_travel_or_identity": 0.2}  # fmt: skip
ADULT = ((18, 24, 30), (25, 34, 40), (35, 49, 22), (50, 62, 4))
SCENARIOS: dict[str, Scenario] = {
    "sex_industry": Scenario(
        main={"prostitution": 1},
        extra={},
        foreign=IMMIGRATION,
        purposes=("sexual_exploitation",),
        female=0.94,
        ages=((13, 15, 6), (16, 17, 16), (18, 24, 40), (25, 34, 30), (35, 49, 8)),
        means=("deception", "debt_bondage", "abuse_of_vulnerability", "coercion"),
        indicators=(
            "ilo.deceptive_recruitment.nature_of_job",
            "ilo.coercive_recruitment.debt_bondage",
            "ilo.coercive_recruitment.confiscation_of_documents",
            "unodc.movements_controlled",
        ),
        description="found in an entertainment venue during a raid",
    ),
    "labour": Scenario(
        main={"labour.work_without_permit": 1},
        extra={},
        foreign={"immigration.unlawful_stay": 0.5, "immigration.illegal_entry": 0.4},
        purposes=("forced_labour",),
        female=0.5,
        ages=((15, 17, 6), *ADULT),
        means=("deception", "debt_bondage", "coercion", "abuse_of_vulnerability"),
        indicators=(
            "ilo.coercive_recruitment.withholding_of_money",
            "unodc.little_or_no_pay",
            "unodc.excessive_hours_no_days_off",
            "unodc.believes_bonded_by_debt",
        ),
        description="worked in a factory without a work permit",
    ),
    "domestic_work": Scenario(
        main={"immigration.unlawful_stay": 0.7, "property.theft": 0.3},
        extra={"labour.work_without_permit": 0.3},
        foreign={},
        purposes=("forced_labour", "servitude"),
        female=0.92,
        ages=((16, 17, 5), *ADULT),
        means=("deception", "coercion", "abuse_of_vulnerability"),
        indicators=(
            "ilo.coercive_recruitment.confiscation_of_documents",
            "ilo.coercive_recruitment.isolation_confinement_surveillance",
            "unodc.little_or_no_pay",
        ),
        description="ran away from an employer who kept her passport",
    ),
    "fishing": Scenario(
        main={"fishing.iuu": 1},
        extra={},
        foreign={"immigration.illegal_entry": 0.6, "document.fraudulent_travel_or_identity": 0.4},
        purposes=("forced_labour",),
        female=0.02,
        ages=((15, 17, 8), *ADULT),
        means=("deception", "force", "debt_bondage", "threat"),
        indicators=(
            "ilo.coercive_recruitment.debt_bondage",
            "unodc.unable_to_leave_work_environment",
            "unodc.violence_or_threats",
            "unodc.excessive_hours_no_days_off",
        ),
        description="crew of an unlicensed fishing vessel",
    ),
    "online_scam": Scenario(
        main={"fraud.online_scam": 1},
        extra={},
        foreign={"immigration.illegal_entry": 0.7, "immigration.unlawful_stay": 0.2},
        purposes=("forced_criminality", "forced_labour"),
        female=0.35,
        ages=((16, 17, 4), (18, 24, 38), (25, 34, 42), (35, 49, 16)),
        means=("deception", "coercion", "force", "debt_bondage"),
        indicators=(
            "unodc.fc_lured_by_job_advert",
            "unodc.fc_deceived_about_job",
            "unodc.fc_sales_quotas",
            "unodc.fc_severe_punishment_for_quotas",
        ),
        description="worked in a scam compound",
    ),
    "drug_courier": Scenario(
        main={"drugs.trafficking": 0.75, "drugs.possession": 0.25},
        extra={},
        foreign={"document.fraudulent_travel_or_identity": 0.15},
        purposes=("forced_criminality",),
        female=0.62,
        ages=((16, 17, 5), *ADULT),
        means=("deception", "abuse_of_vulnerability", "psychological_manipulation", "threat"),
        indicators=(
            "ilo.deceptive_recruitment.nature_of_job",
            "unodc.others_speak_for_them",
            "unodc.fear_or_anxiety",
        ),
        description="carried a package across a border for a recruiter",
    ),
    "begging": Scenario(
        main={"begging": 1},
        extra={},
        foreign={"immigration.illegal_entry": 0.8},
        purposes=("forced_begging",),
        female=0.5,
        ages=((6, 11, 35), (12, 15, 35), (16, 17, 10), (18, 49, 20)),
        means=("abuse_of_vulnerability", "coercion", "deception"),
        indicators=(
            "unodc.others_speak_for_them",
            "unodc.does_not_know_addresses",
            "unodc.movements_controlled",
        ),
        description="begging at a transport hub",
    ),
    "forced_marriage": Scenario(
        main={"immigration.illegal_exit": 1},
        extra={"document.fraudulent_travel_or_identity": 0.3},
        foreign={},
        purposes=("forced_marriage",),
        female=0.97,
        ages=((14, 15, 10), (16, 17, 25), (18, 24, 50), (25, 34, 15)),
        means=("deception", "abduction", "abuse_of_vulnerability"),
        indicators=(
            "ilo.deceptive_recruitment.marriage_or_adoption",
            "unodc.limited_social_and_family_contact",
        ),
        description="returned across the border after escaping a forced marriage",
    ),
    "recruiter": Scenario(
        main={"trafficking_in_persons": 1},
        extra={},
        foreign={},
        purposes=("sexual_exploitation", "forced_labour"),
        female=0.7,
        ages=((16, 17, 8), *ADULT),
        means=("coercion", "debt_bondage", "threat"),
        indicators=("ilo.coercive_recruitment.debt_bondage", "unodc.fear_or_anxiety"),
        description="recruited others for the employer who exploited her",
    ),
    "escape": Scenario(
        main={"violence.assault": 0.85, "violence.homicide": 0.15},
        extra={},
        foreign={"immigration.illegal_entry": 0.5},
        purposes=("forced_labour", "sexual_exploitation"),
        female=0.55,
        ages=ADULT,
        means=("force", "threat", "coercion"),
        indicators=("unodc.violence_or_threats", "unodc.injuries_from_assault_or_control"),
        description="struck a guard while escaping",
    ),
}

#: How often each scenario is met in each state.
STATE_SCENARIOS: dict[str, dict[str, float]] = {
    "TH": {"sex_industry": 28, "labour": 18, "fishing": 16, "online_scam": 10, "begging": 8,
           "drug_courier": 8, "domestic_work": 6, "recruiter": 3, "escape": 3},
    "MY": {"labour": 26, "domestic_work": 20, "sex_industry": 20, "drug_courier": 12,
           "online_scam": 8, "fishing": 6, "begging": 5, "escape": 3},
    "ID": {"drug_courier": 26, "sex_industry": 24, "fishing": 18, "online_scam": 12,
           "labour": 10, "recruiter": 6, "escape": 4},
    "PH": {"sex_industry": 34, "online_scam": 22, "drug_courier": 20, "recruiter": 10,
           "labour": 8, "escape": 6},
    "VN": {"forced_marriage": 26, "sex_industry": 24, "drug_courier": 20, "recruiter": 12,
           "labour": 10, "begging": 8},
    "KH": {"online_scam": 38, "sex_industry": 20, "forced_marriage": 12, "labour": 12,
           "begging": 8, "drug_courier": 6, "recruiter": 4},
    "LA": {"online_scam": 28, "sex_industry": 28, "forced_marriage": 14, "drug_courier": 14,
           "labour": 10, "recruiter": 6},
    "MM": {"online_scam": 32, "forced_marriage": 20, "drug_courier": 16, "recruiter": 14,
           "sex_industry": 12, "labour": 6},
    "SG": {"domestic_work": 30, "labour": 26, "sex_industry": 24, "drug_courier": 14,
           "escape": 6},
    "BN": {"domestic_work": 34, "labour": 30, "sex_industry": 24, "drug_courier": 12},
}  # fmt: skip

VICTIM_STATUS: dict[str | None, float] = {"potential": 46, "none": 26, "formal": 12, None: 16}
#: Share of persons whose story nobody asked (acts, means and purposes unknown).
UNSCREENED = 0.14
ACTS: dict[str, float] = {"recruitment": 0.85, "transportation": 0.6, "harbouring": 0.35,
                          "receipt": 0.3, "transfer": 0.15}  # fmt: skip
#: Three-valued link facts: (true, unknown, false) weights.
LINKS: dict[str, tuple[float, float, float]] = {
    "compelled": (48, 36, 16),
    "direct_consequence": (55, 30, 15),
    "under_control_at_offence": (50, 36, 14),
}
SEX_UNKNOWN = 0.02
AGE_UNKNOWN = 0.06
#: Ages near 18 are often disputed (no reliable document).
DISPUTED_AGES = (14, 21)
DISPUTED = 0.35
#: The demo's offences go back to 1 January this many years ago; profiles per case.
HISTORY_YEARS = 2
PROFILES_PER_CASE = 1 / 60
MIN_PROFILES = 200


def between(rng: random.Random, lo: int, hi: int) -> int:
    """A whole number from ``lo`` to ``hi`` inclusive (``randint``, three times faster)."""
    return lo + int(rng.random() * (hi - lo + 1))


def one(rng: random.Random, items: Sequence[T]) -> T:
    """One of ``items`` (``choice``, three times faster)."""
    return items[int(rng.random() * len(items))]


def pick(rng: random.Random, weights: Mapping[T, float]) -> T:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def some(rng: random.Random, chances: Mapping[str, float]) -> list[str]:
    return [k for k, p in chances.items() if rng.random() < p]


def _link(rng: random.Random, name: str) -> bool | None:
    return pick(rng, dict(zip((True, None, False), LINKS[name], strict=True)))


def _age(rng: random.Random, sc: Scenario) -> int | None:
    if rng.random() < AGE_UNKNOWN:
        return None
    lo, hi, _w = pick(rng, {r: r[2] for r in sc.ages})
    return between(rng, lo, hi)


def profile(
    rng: random.Random, cc: str, today: dt.date, known: frozenset[str], indicators: frozenset[str]
) -> dict[str, Any]:
    """The facts (contract §1) of one synthetic person found in ``cc``, at the first stage.

    ``known`` and ``indicators`` are the knowledge base's offence and indicator codes: a code a
    table names that the knowledge base does not know is left out (the tests check there is
    none)."""
    sc = SCENARIOS[pick(rng, STATE_SCENARIOS[cc])]
    nationality = "unknown" if rng.random() < UNKNOWN_NATIONALITY else pick(rng, NATIONALITIES[cc])
    foreign = nationality != cc
    offences = (
        [pick(rng, sc.main)] + some(rng, sc.extra) + (some(rng, sc.foreign) if foreign else [])
    )
    offences = [o for o in dict.fromkeys(offences) if o in known]
    age = _age(rng, sc)
    disputed: bool | None = None
    if age is None:
        disputed = rng.random() < 0.5 or None
    elif DISPUTED_AGES[0] <= age <= DISPUTED_AGES[1]:
        disputed = rng.random() < DISPUTED
    r = rng.random()
    sex = "unknown" if r < SEX_UNKNOWN else ("female" if rng.random() < sc.female else "male")
    status = pick(rng, VICTIM_STATUS)
    unscreened = status in {None, "none"} and rng.random() < UNSCREENED / 0.42
    trafficking: dict[str, Any] = {
        "acts": None if unscreened else (some(rng, ACTS) or ["recruitment"]),
        "means": None
        if unscreened or rng.random() < 0.12
        else rng.sample(sc.means, k=min(len(sc.means), one(rng, [1, 1, 2]))),
        "purposes": None if unscreened else list(sc.purposes[: one(rng, [1, len(sc.purposes)])]),
        "compelled": None if unscreened else _link(rng, "compelled"),
        "direct_consequence": None if unscreened else _link(rng, "direct_consequence"),
        "under_control_at_offence": None if unscreened else _link(rng, "under_control_at_offence"),
    }
    found = [i for i in sc.indicators if i in indicators]
    first = dt.date(today.year - HISTORY_YEARS, 1, 1)
    day = first + dt.timedelta(days=between(rng, 0, max(0, (today - first).days - 20)))
    return {
        "jurisdiction": cc,
        "offence_date": day.isoformat(),
        "stage": "identification",
        "person": {
            "age": age,
            "age_disputed": disputed,
            "sex": None if sex == "unknown" else sex,
            "nationality": None if nationality == "unknown" else nationality,
            "victim_status": status,
            "identified_by": "Multidisciplinary team" if status == "formal" else None,
        },
        "offences": [
            {"category": o, "description": sc.description}
            if n == 0 and rng.random() < 0.6
            else {"category": o}
            for n, o in enumerate(offences)
        ],
        "trafficking": trafficking,
        "indicators": []
        if unscreened or not found
        else rng.sample(found, k=between(rng, 1, min(3, len(found)))),
    }


def profile_pool(
    rng: random.Random,
    n_cases: int,
    today: dt.date,
    known: frozenset[str],
    indicators: frozenset[str],
) -> dict[str, list[dict[str, Any]]]:
    """Profiles per state, in proportion to the state's share of the cases."""
    total = min(n_cases, max(MIN_PROFILES, round(n_cases * PROFILES_PER_CASE)))
    weight = sum(STATE_WEIGHTS.values())
    return {
        cc: [
            profile(rng, cc, today, known, indicators)
            for _ in range(max(3, round(total * w / weight)))
        ]
        for cc, w in STATE_WEIGHTS.items()
    }


def states_for(rng: random.Random, n_cases: int) -> Sequence[str]:
    """The state of each case: every state at least a few times, then by weight."""
    first = [cc for _ in range(6) for cc in STATE_WEIGHTS][:n_cases]
    rest = rng.choices(list(STATE_WEIGHTS), list(STATE_WEIGHTS.values()), k=n_cases - len(first))
    return first + rest
