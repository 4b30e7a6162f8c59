"""De-identification with k-anonymity; re-identification of rare combinations must fail."""

from __future__ import annotations

import random

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from npp.analytics.deidentify import DEFAULT_QUASI, age_band, compatible, deidentify, year_of

TYPOLOGY = {
    "prostitution": "status",
    "immigration.illegal_entry": "status",
    "drugs.trafficking": "consequential",
    "violence.homicide": "liberation",
    "fraud.online_scam": "consequential",
}
QUASI = list(DEFAULT_QUASI)


def person(**kw: str) -> dict[str, str]:
    base = {
        "jurisdiction": "TH",
        "year": "2023",
        "sex": "female",
        "age_band": "16-17",
        "nationality": "LA",
        "sector": "sex_industry",
        "offences": "prostitution",
        "case_id": "x",
        "full_name": "Somebody",
        "punished": "false",
    }
    base.update(kw)
    return base


def crafted() -> pl.DataFrame:
    rows = [person(case_id=f"c{i}", full_name=f"Name {i}") for i in range(40)]
    # Rare people an attacker might know about from a newspaper:
    rows.append(
        person(
            case_id="r1",
            sex="male",
            age_band="50+",
            nationality="MM",
            offences="violence.homicide",
            sector="unknown",
            jurisdiction="BN",
            year="2019",
            full_name="Rare One",
            punished="true",
        )
    )
    rows.append(
        person(
            case_id="r2",
            nationality="VN",
            offences="drugs.trafficking",
            sector="drug_trade",
            full_name="Rare Two",
        )
    )
    rows += [
        person(
            case_id=f"s{i}",
            sex="male",
            age_band="25-34",
            nationality="KH",
            sector="fishing",
            offences="immigration.illegal_entry",
            year="2022",
        )
        for i in range(7)
    ]
    return pl.DataFrame(rows)


def test_direct_identifiers_are_removed_and_reported() -> None:
    out, report = deidentify(crafted(), quasi=QUASI, keep=["punished"], k=11, typology_of=TYPOLOGY)
    assert "full_name" not in out.columns and "case_id" not in out.columns
    assert {"full_name", "case_id"} <= set(report.dropped_columns)


def test_every_released_combination_is_shared_by_k_rows() -> None:
    out, report = deidentify(crafted(), quasi=QUASI, keep=["punished"], k=11, typology_of=TYPOLOGY)
    sizes = out.group_by(QUASI).len()["len"].to_list()
    assert min(sizes) >= 11 and report.smallest_class >= 11
    assert report.rows_in == 49 and report.rows_out + report.rows_suppressed == 49
    assert any(s["rows"] for s in report.steps)  # something had to be generalised


def test_reidentifying_rare_people_fails() -> None:
    data = crafted()
    out, _ = deidentify(data, quasi=QUASI, keep=["punished"], k=11, typology_of=TYPOLOGY)
    for target in data.to_dicts():
        candidates = compatible(out, target, QUASI, TYPOLOGY)
        # Either the person was suppressed altogether, or they hide among at least k rows.
        assert candidates.height == 0 or candidates.height >= 11, target["case_id"]
    rare = next(r for r in data.to_dicts() if r["case_id"] == "r1")
    hits = compatible(out, rare, QUASI, TYPOLOGY)
    assert hits.filter(pl.col("punished") == "true").height <= 1 or hits.height >= 11


def test_generalisers() -> None:
    assert [age_band(a) for a in (None, 5, 16, 17, 18, 49, 50)] == [
        "unknown",
        "0-11",
        "16-17",
        "16-17",
        "18-24",
        "35-49",
        "50+",
    ]
    import datetime as dt

    assert year_of(dt.date(2021, 5, 1)) == "2021" and year_of(None) == "unknown"


@settings(max_examples=40, deadline=None)
@given(
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=2, max_value=15),
    st.integers(min_value=0, max_value=300),
)
def test_k_anonymity_holds_for_any_data(seed: int, k: int, n: int) -> None:
    rnd = random.Random(seed)
    rows = [
        {
            "jurisdiction": rnd.choice(["TH", "MY", "BN"]),
            "year": rnd.choice(["2020", "2021", "2024"]),
            "sex": rnd.choice(["female", "male", "unknown"]),
            "age_band": rnd.choice(["12-15", "16-17", "25-34", "50+", "unknown"]),
            "nationality": rnd.choice(["TH", "LA", "MM", "CN", "unknown"]),
            "sector": rnd.choice(["fishing", "sex_industry", "unknown"]),
            "offences": rnd.choice(list(TYPOLOGY)),
        }
        for _ in range(n)
    ]
    frame = (
        pl.DataFrame(rows, schema=QUASI)
        if rows
        else pl.DataFrame({q: [] for q in QUASI}, schema={q: pl.Utf8 for q in QUASI})
    )
    out, report = deidentify(frame, quasi=QUASI, k=k, typology_of=TYPOLOGY)
    if out.height:
        assert out.group_by(QUASI).len()["len"].min() >= k
    assert report.rows_out + report.rows_suppressed == n
    for target in rows[:20]:
        c = compatible(out, target, QUASI, TYPOLOGY).height
        assert c == 0 or c >= k


def test_a_class_sharing_one_outcome_has_that_outcome_suppressed() -> None:
    """l-diversity (issue 15): 40 rows share every quasi-identifier and were all punished; the
    seven fishermen were not all charged. Punished is hidden where it is uniform, charged kept
    where it varies."""
    rows = [person(case_id=f"c{i}", punished="true", charged=str(i % 2 == 0)) for i in range(40)]
    rows += [
        person(case_id=f"f{i}", sex="male", age_band="25-34", nationality="KH", sector="fishing",
               offences="immigration.illegal_entry", year="2022", punished=str(i < 3),
               charged="false")
        for i in range(12)
    ]  # fmt: skip
    released, report = deidentify(
        pl.DataFrame(rows), quasi=QUASI, keep=["punished", "charged"], k=5, typology_of=TYPOLOGY,
        sensitive=["punished", "charged"],
    )  # fmt: skip
    women = released.filter(pl.col("sex") == "female")
    men = released.filter(pl.col("sex") == "male")
    assert set(women["punished"]) == {"*"} and set(women["charged"]) == {"True", "False"}
    assert set(men["punished"]) == {"True", "False"} and set(men["charged"]) == {"*"}
    assert report.sensitive_suppressed == {"punished": 1, "charged": 1}
    assert report.as_dict()["l_diversity"] == 2
