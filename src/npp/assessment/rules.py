"""The decision rules, written once, evaluated by two interpreters.

The headline results of an assessment — ``potential_victim``, the outcome per offence and
the risk flags — are defined here as expressions over an abstract :class:`Ops`. The
single-case engine evaluates them with :class:`ScalarOps` (plain Python values, ``None``
meaning *not known*); bulk review evaluates the very same functions with Polars
expressions over a million rows. A property-based test proves both give the same answers.

Facts are three-valued (Kleene logic): ``and`` is false as soon as one side is false and
unknown otherwise; a condition only *decides* an outcome when it is definitely true. So an
unknown fact never quietly counts as ``false`` — it leaves the outcome ``conditional`` and
the explanation asks for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from npp.law.model import EXEMPTION_SLOTS

E = TypeVar("E")

#: A stated age below 18 + this margin, when disputed, may still be a child's: the person is
#: then presumed a minor until their age is established (the study's good practice).
DISPUTED_AGE_MARGIN = 4
ADULT_AGE = 18

OUTCOMES = (
    "not_indicated",
    "no_statutory_provision",
    "outside_statutory_scope",
    "no_link",
    "ministerial_permission_required",
    "statutory_bar",
    "conditional",
)
RISK_FLAG_ORDER = (
    "capital_punishment",
    "corporal_punishment",
    "child",
    "cross_border",
    "link_contested",
    "immigration_detention_or_deportation",
)


class Ops(Protocol[E]):
    """The operations the rules need; each interpreter implements them for its values."""

    def and_(self, *xs: E) -> E: ...
    def or_(self, *xs: E) -> E: ...
    def not_(self, x: E) -> E: ...
    def is_true(self, x: E) -> E: ...
    def is_false(self, x: E) -> E: ...
    def is_null(self, x: E) -> E: ...
    def lt(self, x: E, n: E | int) -> E: ...
    def gt(self, x: E, n: E | int) -> E: ...
    def add(self, x: E, n: E | int) -> E: ...
    def where(self, cond: E, x: E, y: E) -> E: ...
    def eq(self, x: E, value: str) -> E: ...
    def differs(self, x: E, y: E) -> E: ...
    def isin(self, x: E, values: Sequence[str]) -> E: ...
    def coalesce(self, x: E, y: E) -> E: ...
    def true_or_null(self, x: E) -> E: ...
    def choose(self, cases: Sequence[tuple[E, str]], default: str) -> E: ...


@dataclass(frozen=True)
class Derived(Generic[E]):
    """Every intermediate result, so the explanation can show the same reasoning."""

    presumed_minority: E
    child: E
    means_required: E
    act: E
    means: E
    purpose: E
    elements_met: E
    potential_victim: E
    suggests: E
    link: E
    outcome: E
    outcome_first: E  # under the covering provision
    outcome_second: E  # under a second covering provision, if any
    flags: dict[str, E]
    #: Per penalty (``capital_punishment``, ``corporal_punishment``): whether the offence
    #: carries it under the law at the offence date, and per exemption slot whether the rule
    #: in that slot excludes it for this person (true, false or not known).
    carried: dict[str, E]
    exempt: dict[str, tuple[E, ...]]


def minority(ops: Ops[E], age: E, age_disputed: E) -> tuple[E, E]:
    """(presumed minority, child): the presumption applies where age is not known, or is
    disputed and possibly under 18 (the study's good practice)."""
    presumed = ops.or_(
        ops.is_null(age),
        ops.and_(
            ops.is_true(age_disputed),
            ops.is_true(ops.lt(age, ADULT_AGE + DISPUTED_AGE_MARGIN)),
        ),
    )
    return presumed, ops.or_(ops.is_true(ops.lt(age, ADULT_AGE)), presumed)


def derive(ops: Ops[E], c: Mapping[str, E], active: Mapping[str, int] | None = None) -> Derived[E]:
    """All headline results for one person–offence row.

    ``c`` holds the row's facts (``age``, ``age_disputed``, ``status``, ``nationality``,
    ``identified_state``, ``jurisdiction``, ``acts_n``, ``means_n``, ``purposes_n``,
    ``compelled``, ``direct_consequence``, ``under_control``, ``repeated``,
    ``indicators_positive``, ``indicators_any``) and the law's answers for the row's state,
    date and offence: :data:`npp.assessment.lawfacts.LAW_COLUMNS` (the covering provision's
    ``in_scope``, ``model``, ``discretionary``, ``partial``; the same with ``alt_`` for a
    second covering provision; ``has_provision``, ``capital``, ``corporal``, ``detention``,
    ``foreigners_only``, ``typology``, and per penalty the exemption slots).

    Person-specific penalties (contract §1a) read ``sex``, ``age_now`` and ``years_low`` /
    ``years_high`` (how many years may have passed between the offence and now, as
    :func:`years_since` gives them); the offence's ``within_provision`` answers whether
    conduct charged under a partly covered category is within the provision's words.

    ``active``: per penalty, how many exemption slots hold a rule, when the caller knows it
    for every row (the single-case engine); the empty slots it skips could only give
    "not exempt", so the results are the same as evaluating all.
    """
    presumed_minority, child = minority(ops, c["age"], c["age_disputed"])
    # Palermo art. 3(c): means are not required for a child.
    means_required = ops.not_(child)
    act = ops.gt(c["acts_n"], 0)
    means = ops.gt(c["means_n"], 0)
    purpose = ops.gt(c["purposes_n"], 0)
    elements_met = ops.and_(act, purpose, ops.or_(means, ops.not_(means_required)))
    # Credible suspicion is a low threshold on purpose (study; V.C.L. and A.N. v UK).
    potential_victim = ops.or_(
        ops.is_true(ops.isin(c["status"], ("potential", "formal"))),
        ops.is_true(elements_met),
        ops.is_true(purpose),
        ops.and_(ops.is_true(act), ops.is_true(means)),
        ops.is_true(c["indicators_positive"]),
    )
    suggests = ops.or_(
        potential_victim,
        ops.is_true(act),
        ops.is_true(means),
        ops.is_true(c["indicators_any"]),
        ops.is_true(c["compelled"]),
        ops.is_true(c["direct_consequence"]),
    )
    compelled = c["compelled"]
    # Being compelled by the trafficker is itself a consequence of the trafficking, so it
    # answers a causation test that was not answered directly.
    causation_link = ops.coalesce(c["direct_consequence"], ops.true_or_null(compelled))
    formal = ops.is_true(ops.eq(c["status"], "formal"))
    first, link = _provision_outcome(
        ops, c, "", potential_victim, formal, compelled, causation_link
    )
    second, _ = _provision_outcome(
        ops, c, "alt_", potential_victim, formal, compelled, causation_link
    )
    # Where two provisions cover the offence, the more protective result stands.
    outcome = ops.choose(
        [
            (ops.not_(suggests), "not_indicated"),
            (ops.not_(ops.is_true(c["has_provision"])), "no_statutory_provision"),
            *(
                (ops.or_(ops.is_true(ops.eq(first, o)), ops.is_true(ops.eq(second, o))), o)
                for o in PROTECTION_RANK
            ),
        ],
        "outside_statutory_scope",
    )
    cross_border = ops.or_(
        ops.is_true(ops.differs(c["nationality"], c["jurisdiction"])),
        ops.is_true(ops.differs(c["identified_state"], c["jurisdiction"])),
    )
    direct = c["direct_consequence"]
    link_contested = ops.and_(
        suggests,
        ops.or_(
            # Control having ended matters only while the link is not otherwise shown.
            ops.and_(ops.is_false(c["under_control"]), ops.not_(ops.is_true(direct))),
            ops.is_false(direct),
            ops.is_false(compelled),
            ops.is_true(c["repeated"]),
            ops.is_true(ops.eq(c["typology"], "trafficking")),
        ),
    )
    # Only a foreign national can be held in immigration detention or deported; where the
    # nationality is not recorded, offences only foreigners commit (illegal entry) count.
    foreign = ops.differs(c["nationality"], c["jurisdiction"])
    detention = ops.or_(
        ops.and_(
            ops.is_true(foreign),
            ops.or_(ops.is_true(c["detention"]), ops.is_true(ops.eq(c["typology"], "status"))),
        ),
        ops.and_(ops.is_null(c["nationality"]), ops.is_true(c["foreigners_only"])),
    )
    carried, exempt, lawful = _penalties(ops, c, active)
    flags = {
        "capital_punishment": lawful["capital_punishment"],
        "corporal_punishment": lawful["corporal_punishment"],
        "child": child,
        "cross_border": cross_border,
        "link_contested": link_contested,
        "immigration_detention_or_deportation": detention,
    }
    return Derived(
        presumed_minority=presumed_minority,
        child=child,
        means_required=means_required,
        act=act,
        means=means,
        purpose=purpose,
        elements_met=elements_met,
        potential_victim=potential_victim,
        suggests=suggests,
        link=link,
        outcome=outcome,
        outcome_first=first,
        outcome_second=second,
        flags=flags,
        carried=carried,
        exempt=exempt,
    )


#: Penalties whose exemptions the rules evaluate, with the prefix of their law columns.
PENALTIES = {"capital_punishment": "capital", "corporal_punishment": "corporal"}


def years_since(offence_date: object, now: object) -> tuple[int, int]:
    """(fewest, most) whole years a person may have aged between the offence and now.

    With no offence date the offence is dated today, so none; otherwise, with ``Y`` the
    difference of the calendar years, between ``Y - 1`` and ``Y + 1`` (never below 0): a
    birthday may or may not fall in between. Used by the engine and, per distinct date, by
    bulk review, so both bound the age now the same way.
    """
    if offence_date is None:
        return 0, 0
    y = now.year - offence_date.year  # type: ignore[attr-defined]
    return max(y - 1, 0), max(y + 1, 0)


def age_bounds(ops: Ops[E], c: Mapping[str, E]) -> tuple[E, E, E, E]:
    """(lowest, highest) age at the offence and (lowest, highest) age now.

    A disputed age may be off by :data:`DISPUTED_AGE_MARGIN` either way (as the presumption of
    minority assumes); the age now, where given, is taken as stated; otherwise it is the age
    at the offence plus the years that may have passed.
    """
    disputed = ops.is_true(c["age_disputed"])
    age = c["age"]
    lo = ops.where(disputed, ops.add(age, -DISPUTED_AGE_MARGIN), age)
    hi = ops.where(disputed, ops.add(age, DISPUTED_AGE_MARGIN), age)
    now_lo = ops.coalesce(c["age_now"], ops.add(lo, c["years_low"]))
    now_hi = ops.coalesce(c["age_now"], ops.add(hi, c["years_high"]))
    return lo, hi, now_lo, now_hi


def exempt_conditions(
    ops: Ops[E], c: Mapping[str, E], slot: str, bounds: tuple[E, E, E, E] | None = None
) -> dict[str, E]:
    """Each condition of the exemption rule in ``slot`` (three-valued; true where the rule
    sets no such condition): ``age`` at the offence below, ``age_now`` above, ``sex``.
    ``bounds``: :func:`age_bounds`, when the caller has them already."""
    lo, hi, now_lo, now_hi = bounds or age_bounds(ops, c)
    below, above, sex = c[slot + "_age_below"], c[slot + "_age_now_above"], c[slot + "_sex"]
    # Certainly below when even the highest possible age is; certainly not when even the
    # lowest is not; otherwise not known (and-ing with true_or_null keeps "true" unknown).
    return {
        "age": ops.or_(
            ops.is_null(below), ops.and_(ops.lt(lo, below), ops.true_or_null(ops.lt(hi, below)))
        ),
        "age_now": ops.or_(
            ops.is_null(above),
            ops.and_(ops.gt(now_hi, above), ops.true_or_null(ops.gt(now_lo, above))),
        ),
        "sex": ops.or_(ops.is_null(sex), ops.not_(ops.differs(c["sex"], sex))),
    }


def _penalties(
    ops: Ops[E], c: Mapping[str, E], active: Mapping[str, int] | None = None
) -> tuple[dict[str, E], dict[str, tuple[E, ...]], dict[str, E]]:
    """(carried, exempt per slot, lawful) per penalty: a penalty is flagged only where the
    offence carries it and no exemption certainly excludes it for this person; an exemption
    that turns on an unknown fact leaves the flag (and the engine asks for the fact)."""
    carried: dict[str, E] = {}
    exempt: dict[str, tuple[E, ...]] = {}
    lawful: dict[str, E] = {}
    counts = {p: EXEMPTION_SLOTS if active is None else active.get(p, 0) for p in PENALTIES}
    bounds = age_bounds(ops, c) if any(counts.values()) else None
    for pen, col in PENALTIES.items():
        slots = []
        for k in range(counts[pen]):
            slot = f"{col}_x{k}"
            cond = exempt_conditions(ops, c, slot, bounds)
            slots.append(ops.and_(ops.is_true(c[slot]), cond["age"], cond["age_now"], cond["sex"]))
        carried[pen] = ops.is_true(c[col])
        exempt[pen] = tuple(slots)
        lawful[pen] = ops.and_(carried[pen], ops.not_(ops.or_(*(ops.is_true(x) for x in slots))))
    return carried, exempt, lawful


#: Outcomes from most to least protective, to combine two covering provisions.
PROTECTION_RANK = (
    "statutory_bar",
    "ministerial_permission_required",
    "conditional",
    "no_link",
    "outside_statutory_scope",
)


def _provision_outcome(
    ops: Ops[E],
    c: Mapping[str, E],
    prefix: str,
    potential_victim: E,
    formal: E,
    compelled: E,
    causation_link: E,
) -> tuple[E, E]:
    """(outcome, link) under one covering provision, described by ``prefix``-ed columns.

    Causation needs the offence to be a direct consequence; compulsion needs the trafficker to
    have compelled it; ministerial permission (Thailand s.41) bars proceedings against a
    victim unless a minister permits; a status exemption needs only the person's status as an
    identified victim. A provision covering the offence only in part, or whose discretion is
    not known or is discretionary, leaves the outcome conditional.
    """
    model = c[prefix + "model"]
    is_mp = ops.is_true(ops.eq(model, "ministerial_permission"))
    is_status = ops.is_true(ops.eq(model, "status_exemption"))
    is_compulsion = ops.is_true(ops.eq(model, "compulsion"))
    link = _pick(ops, is_compulsion, compelled, causation_link)
    # A partly covered category: the practitioner's answer (within_provision) decides it;
    # unanswered, the coverage stays in doubt and the outcome conditional.
    partial = ops.is_true(c[prefix + "partial"])
    whole = ops.or_(ops.not_(partial), ops.is_true(c["within_provision"]))
    outside = ops.or_(
        ops.not_(ops.is_true(c[prefix + "in_scope"])),
        ops.and_(partial, ops.is_false(c["within_provision"])),
    )
    # A provision that names only identified victims decides nothing for anyone else.
    victims = ops.or_(ops.not_(ops.is_true(c[prefix + "victims_open"])), formal)
    certain = ops.and_(whole, ops.is_false(c[prefix + "discretionary"]), victims)
    outcome = ops.choose(
        [
            (outside, "outside_statutory_scope"),
            (ops.and_(is_status, formal, certain), "statutory_bar"),
            (is_status, "conditional"),
            (ops.and_(is_mp, potential_victim, whole), "ministerial_permission_required"),
            (is_mp, "conditional"),
            (ops.is_false(link), "no_link"),
            (ops.and_(ops.is_true(link), potential_victim, certain), "statutory_bar"),
        ],
        "conditional",
    )
    return outcome, link


def _pick(ops: Ops[E], cond: E, if_true: E, otherwise: E) -> E:
    """``if_true`` where ``cond`` holds, else ``otherwise`` (cond is never unknown here)."""
    return ops.or_(ops.and_(cond, if_true), ops.and_(ops.not_(cond), otherwise))


class ScalarOps:
    """Kleene three-valued logic over plain Python values (``None`` = not known)."""

    # Loops, not any(...) over generators: these two run thousands of times per second.
    def and_(self, *xs: Any) -> Any:
        unknown = False
        for x in xs:
            if x is False:
                return False
            if x is None:
                unknown = True
        return None if unknown else True

    def or_(self, *xs: Any) -> Any:
        unknown = False
        for x in xs:
            if x is True:
                return True
            if x is None:
                unknown = True
        return None if unknown else False

    def not_(self, x: Any) -> Any:
        return None if x is None else not x

    def is_true(self, x: Any) -> bool:
        return x is True

    def is_false(self, x: Any) -> bool:
        return x is False

    def is_null(self, x: Any) -> bool:
        return x is None

    def lt(self, x: Any, n: Any) -> Any:
        return None if x is None or n is None else x < n

    def gt(self, x: Any, n: Any) -> Any:
        return None if x is None or n is None else x > n

    def add(self, x: Any, n: Any) -> Any:
        return None if x is None or n is None else x + n

    def where(self, cond: Any, x: Any, y: Any) -> Any:
        return x if cond is True else y

    def eq(self, x: Any, value: str) -> Any:
        return None if x is None else x == value

    def differs(self, x: Any, y: Any) -> Any:
        return None if x is None or y is None else x != y

    def isin(self, x: Any, values: Sequence[str]) -> Any:
        return None if x is None else x in values

    def coalesce(self, x: Any, y: Any) -> Any:
        return y if x is None else x

    def true_or_null(self, x: Any) -> Any:
        return True if x is True else None

    def choose(self, cases: Sequence[tuple[Any, str]], default: str) -> str:
        for cond, value in cases:
            if cond is True:
                return value
        return default


def flags_of(flags: Mapping[str, Any]) -> list[str]:
    """Flag codes that are definitely raised, in the vocabulary's order."""
    return [f for f in RISK_FLAG_ORDER if flags.get(f) is True]
