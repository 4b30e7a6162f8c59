"""Which records to review first, and a short reason a reviewer reads before opening one.

Why this order (1 = review first): recommendations 25 and 26 ask states to find convicted
victims and clear their records. The order puts first what is irreversible or clearest in
law, among people the facts say may be victims:

1. a possible victim facing the death penalty for the offence in that state;
2. a possible victim whose prosecution the law bars (``statutory_bar``) or bars without a
   minister's written permission (``ministerial_permission_required``);
3. a possible victim who is (or is presumed to be) a child, or faces corporal punishment;
4. a possible victim whose protection depends on a fact still to establish (``conditional``);
5. a possible victim the statute does not protect (``no_statutory_provision``,
   ``outside_statutory_scope``, ``no_link``): discretion, ACTIP art. 14(7) and record
   clearance remain;
6. not (yet) a possible victim, but something in the record suggests trafficking: screen;
7. nothing in the record suggests trafficking (``not_indicated``).

Rejected rows are not assessed, so they have no priority (an empty cell); their reason
points to the rejects file.
"""

from __future__ import annotations

import polars as pl

from npp.assessment.rules import OUTCOMES

__all__ = ["PRIORITIES", "priority", "reason", "reason_text"]

PRIORITIES: dict[int, str] = {
    1: "death penalty at stake",
    2: "protected by statute",
    3: "child or presumed child",
    4: "link to the trafficking to establish",
    5: "no statutory protection",
    6: "signs of trafficking: screen the person",
    7: "no sign of trafficking in the record",
}
CORPORAL = "corporal punishment at stake"
_OUTCOME_WORDS: dict[str, str] = {
    "statutory_bar": "statutory bar",
    "ministerial_permission_required": "barred without ministerial permission",
    "conditional": "link to establish",
    "outside_statutory_scope": "offence outside the provision",
    "no_statutory_provision": "no statutory provision",
    "no_link": "required link absent",
    "not_indicated": "not indicated",
}


def priority(outcome: pl.Expr, potential: pl.Expr, flags: dict[str, pl.Expr]) -> pl.Expr:
    """``review_priority`` (Int8, 1 = review first) of each assessed row, as listed above."""
    barred = outcome.is_in(["statutory_bar", "ministerial_permission_required"])
    return (
        pl.when(potential & flags["capital_punishment"])
        .then(1)
        .when(potential & barred)
        .then(2)
        .when(potential & (flags["child"] | flags["corporal_punishment"]))
        .then(3)
        .when(potential & (outcome == "conditional"))
        .then(4)
        .when(potential)
        .then(5)
        .when(outcome != "not_indicated")
        .then(6)
        .otherwise(7)
        .cast(pl.Int8)
    )


def reason_text(tier: int, outcome: str, child: bool) -> str:
    """The short ``reason`` for a row of this priority, outcome and age.

    It says why the row sits where it does; ``potential_victim`` and ``outcome`` are
    columns of their own, so the words are only repeated where they are the reason.
    """
    words = _OUTCOME_WORDS.get(outcome, outcome)
    if tier in (2, 5):
        return words
    if tier in (1, 3):
        head = CORPORAL if tier == 3 and not child else PRIORITIES[tier]
        return f"{head}; {words}"
    return PRIORITIES[tier]


def reason(tier: pl.Expr, outcome_code: pl.Expr, child: pl.Expr) -> pl.Expr:
    """``reason`` for every row: a look-up in the few texts :func:`reason_text` can give.

    ``outcome_code`` is the outcome's position in :data:`~npp.assessment.rules.OUTCOMES`.
    """
    texts = [reason_text(t, o, c) for t in PRIORITIES for o in OUTCOMES for c in (False, True)]
    code = outcome_code.cast(pl.Int32)
    at = ((tier.cast(pl.Int32) - 1) * len(OUTCOMES) + code) * 2 + child.cast(pl.Int32)
    return pl.lit(pl.Series(texts, dtype=pl.String)).gather(at)
