"""The columns of a bulk-review file (contract §3): what each one holds and how it is read.

Why one table: the reader, the validator, the documentation and the demo-data generator all
need the same list. Column names are the case-facts paths of contract §1 joined with ``.``,
with ``offence.*`` standing for the row's single offence (``offences[0]`` in §1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["code", "date", "age", "bool", "iso", "text", "list", "literal"]


@dataclass(frozen=True)
class Column:
    """One case-facts column: its name (the field path errors report) and its kind."""

    name: str
    kind: Kind
    doc: str
    choices: tuple[str, ...] = ()  # for ``literal`` columns
    max_len: int = 0  # for ``text`` columns


SEX = ("female", "male", "other")
VICTIM_STATUS = ("none", "potential", "formal")

#: Every column bulk review reads, in the contract's order, then the per-offence extensions.
FACT_COLUMNS: tuple[Column, ...] = (
    Column("jurisdiction", "code", "state whose law applies (ISO code, e.g. TH); required"),
    Column("offence_date", "date", "YYYY-MM-DD; selects the law in force (default --date)"),
    Column("stage", "code", "criminal-justice stage (default identification)"),
    Column("person.age", "age", "age at the offence, 0-120"),
    Column("person.age_disputed", "bool", "no reliable proof of age"),
    Column("person.sex", "literal", "female, male or other", choices=SEX),
    Column("person.nationality", "iso", "ISO 3166 alpha-2 code in capitals"),
    Column("person.victim_status", "literal", "none, potential or formal", VICTIM_STATUS),
    Column("person.identified_by", "text", "who identified the person", max_len=200),
    Column("offence.category", "code", "offence category code; required"),
    Column("offence.description", "text", "free text", max_len=2000),
    Column("trafficking.acts", "list", "trafficking acts, ;-joined"),
    Column("trafficking.means", "list", "trafficking means, ;-joined"),
    Column("trafficking.purposes", "list", "exploitation purposes, ;-joined"),
    Column("trafficking.compelled", "bool", "compelled by the trafficker to offend"),
    Column("trafficking.direct_consequence", "bool", "offence a direct consequence"),
    Column("trafficking.under_control_at_offence", "bool", "trafficker's influence operating"),
    Column("indicators", "list", "screening indicator codes, ;-joined"),
    # Per-offence answers (contract §1 ``offences[].compelled`` etc.): override trafficking.*.
    Column("offence.compelled", "bool", "per-offence answer; overrides trafficking.compelled"),
    Column("offence.direct_consequence", "bool", "per-offence; overrides the case-wide one"),
    Column("offence.repeated", "bool", "the offence was repeated"),
    # Contract §1a: answers to the questions about penalties and partly covered offences.
    Column("person.age_now", "age", "age now, 0-120 (penalties that turn on a later age)"),
    Column("offence.within_provision", "bool", "conduct within a partly covering provision"),
)
FACTS = {c.name: c for c in FACT_COLUMNS}
#: Carried through like any other column, but named by the contract.
RECORD_ID = "record_id"
REQUIRED = ("jurisdiction", "offence.category")

#: What bulk review adds to every row (contract §3).
OUTPUT_COLUMNS = ("outcome", "potential_victim", "risk_flags", "review_priority", "reason")
#: The rejects file (contract §3), plus ``value`` to make each problem easy to fix.
REJECT_COLUMNS = ("row", "field", "problem", "value")

#: Written in a list column for a list known to be empty (an empty cell means *not known*).
EMPTY_LIST = "none"
LIST_SEPARATOR = ";"
TRUE_WORDS = ("true", "1")
FALSE_WORDS = ("false", "0")
