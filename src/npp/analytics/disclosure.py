"""Statistical disclosure control for published tables (what an analyst may see).

Rules, applied to every count that leaves the case store (CTDC practice, anchors.md §1.2/§4):

1. **Primary suppression**: a count ``n`` with ``0 < n < k`` is suppressed (``k`` = 11 by
   default: no published figure describes fewer than 11 persons).
2. **Row suppression**: where a row's *base* count (the number of persons the row is about)
   is suppressed, every other count of that row is suppressed too — "0 of 3 were charged"
   tells something about those 3 people.
3. **Complementary suppression**: the column totals are published (as headline figures), so
   a single suppressed cell could be recovered by subtraction. In each column, further cells
   (smallest first) are suppressed until the suppressed cells number at least two and
   together hold at least ``k`` persons — or none is suppressed.
4. **Rounding**: every count shown is rounded to the nearest multiple of ``base`` (5 by
   default), so two published figures cannot be differenced to one person.
5. Shares are computed from the *rounded* counts and are withheld when either count is.

Those rules protect one table. They do not stop an analyst who changes filters (sex, age
band, year range, nationality, offence) and subtracts one published figure from another:
two populations that differ by one person give counts 22 and 23, published 20 and 25, which
proves that person is counted (issue 15; ``tests/web/test_statistics_attacks.py``). So, when
the policy has a ``noise`` bound (the web application's default is 2), every count is
**perturbed by the cell-key method** (the Australian Bureau of Statistics' TableBuilder
method, Fraser & Wooton 2005; Thompson, Broadfoot & Elazar 2013):

6. Each person has a secret *record key* (a keyed hash of the row's identifier, never
   published); a cell's key is the sum of its persons' record keys. The cell's count ``n``
   is published as ``round(n + e)``, where ``e`` in ``[-noise, noise]`` is drawn from a fixed
   zero-centred distribution by a keyed hash of (cell key, ``n``). The same persons always
   give the same ``e`` (asking again, or through another filter that selects the same
   persons, gives the same figure, so averaging repeated answers gains nothing), and any
   other set of persons gives an unrelated ``e``.
7. A count is published only if ``n >= k`` and ``n + e >= k``; every other count, *zero
   included*, reads "suppressed" (a published 0 beside a suppressed cell would prove the
   suppressed cell holds somebody).
8. Complementary suppression is not needed then: the margins are perturbed too, so
   subtracting published cells from a total leaves the sum of several unknown perturbations.

With ``noise >= 2`` and ``base = 5`` no two published figures whose populations differ by one
person can prove that person is counted (:func:`interval` gives what a published value can
come from; the attack tests check it). This is not differential privacy: an analyst who
collects many *different* differencing pairs about the same person can still average their
noise down; docs/statistics-privacy.md says what each output guarantees.

Suppressed cells are ``null`` in the returned frames; renderers show them as "suppressed".
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

DEFAULT_K = 11
DEFAULT_BASE = 5
SUPPRESSED_TEXT = "suppressed"
#: Record keys and cell keys live modulo this prime (2**31 - 1): small enough that
#: ``id * a + b`` and a sum over millions of rows fit a 64-bit integer in SQL.
KEY_MODULUS = 2_147_483_647


@dataclass(frozen=True)
class RecordKeys:
    """A keyed hash of a row identifier: ``(id * a + b) mod KEY_MODULUS`` (also in SQL)."""

    a: int
    b: int

    @classmethod
    def from_secret(cls, secret: bytes) -> RecordKeys:
        h = hmac.new(secret, b"npp record keys", hashlib.sha256).digest()
        a = 1 + int.from_bytes(h[:8], "big") % (KEY_MODULUS - 1)
        return cls(a=a, b=int.from_bytes(h[8:16], "big") % KEY_MODULUS)

    def of(self, row_id: int) -> int:
        return (row_id * self.a + self.b) % KEY_MODULUS

    def cell(self, row_ids: Sequence[int]) -> int:
        """The cell key of a set of rows (the sum of their record keys)."""
        return sum(self.of(i) for i in row_ids) % KEY_MODULUS


@dataclass(frozen=True)
class Policy:
    """The disclosure policy: minimum cell size ``k``, rounding ``base``, and the bound
    ``noise`` of the cell-key perturbation (0: none) with its ``secret`` (never shown)."""

    k: int = DEFAULT_K
    base: int = DEFAULT_BASE
    noise: int = 0
    secret: bytes = field(default=b"", repr=False)
    hide_zeros: bool = False

    def __post_init__(self) -> None:
        if self.k < 2:
            raise ValueError("k must be at least 2")
        if self.base < 1:
            raise ValueError("base must be at least 1")
        if self.noise < 0 or self.noise >= self.k:
            raise ValueError("noise must be between 0 and k - 1")
        if self.noise and len(self.secret) < 16:
            raise ValueError("a perturbed policy needs a secret of at least 16 bytes")

    @property
    def perturbed(self) -> bool:
        return self.noise > 0

    @property
    def zeros_hidden(self) -> bool:
        """Zeros read "suppressed" too (rule 7), so they cannot be told from a few."""
        return self.hide_zeros or self.perturbed

    @property
    def record_keys(self) -> RecordKeys:
        return RecordKeys.from_secret(self.secret)

    def round(self, n: int) -> int:
        """Nearest multiple of ``base`` (halves round up)."""
        return math.floor(n / self.base + 0.5) * self.base

    def perturbation(self, cell_key: int, n: int) -> int:
        """The noise ``e`` of a cell: a function of its key and count only (rule 6).

        ``e`` is drawn from weights ``2 ** (noise - |e|)`` over ``[-noise, noise]`` (for noise
        2: 1, 2, 4, 2, 1 in 10), zero-centred, by an HMAC of the key and the count.
        """
        if not self.noise:
            return 0
        digest = hmac.new(self.secret, f"{cell_key}:{n}".encode(), hashlib.sha256).digest()
        u = int.from_bytes(digest[:8], "big") / 2**64
        values = range(-self.noise, self.noise + 1)
        weights = [2 ** (self.noise - abs(e)) for e in values]
        total, acc = sum(weights), 0.0
        for e, w in zip(values, weights, strict=True):
            acc += w / total
            if u < acc:
                return e
        return self.noise

    def cell(self, n: int | None, cell_key: int | None = None) -> int | None:
        """One published count: ``None`` when suppressed, else (perturbed and) rounded."""
        if not self.perturbed or cell_key is None:
            return self.count(n)
        if n is None or n < self.k:
            return None
        x = n + self.perturbation(cell_key % KEY_MODULUS, n)
        return None if x < self.k else self.round(x)

    def count(self, n: int | None) -> int | None:
        """One stand-alone count without perturbation: ``None`` when suppressed, else
        rounded (zeros stay zero unless the policy hides them)."""
        if n is None or 0 < n < self.k or (n == 0 and self.zeros_hidden):
            return None
        return self.round(n)

    def interval(self, published: int | None) -> tuple[int, float]:
        """The true counts a published value can come from, knowing only these rules
        (a suppressed cell can be any size when complementary suppression applies)."""
        if published is None:
            top = self.k - 1 + self.noise if self.perturbed else math.inf
            return (0 if self.zeros_hidden else 1, top)
        if published == 0 and not self.zeros_hidden:
            return (0, 0)
        lo = math.ceil(published - self.base / 2)
        hi = math.ceil(published + self.base / 2) - 1
        return (max(self.k, lo - self.noise), hi + self.noise)

    def describe(self) -> str:
        if self.perturbed:
            return (
                f"Counts below {self.k}, zeros included, are suppressed; every other count is "
                f"perturbed by at most {self.noise} (the same persons always get the same "
                f"perturbation) and rounded to the nearest {self.base}."
            )
        return (
            f"Counts below {self.k} are suppressed (with further cells where a suppressed "
            f"one could be recovered from a total); counts are rounded to the nearest "
            f"{self.base}."
        )


@dataclass
class Protected:
    """A protected table and what was done to it."""

    frame: pl.DataFrame
    policy: Policy
    primary: int = 0
    complementary: int = 0
    row_suppressed: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def suppressed(self) -> int:
        return self.primary + self.complementary + self.row_suppressed


def _complementary(values: list[int | None], suppressed: set[int], k: int) -> set[int]:
    """Indices to suppress in addition, so that no suppressed cell can be recovered."""
    extra: set[int] = set()
    if not suppressed:
        return extra
    hidden = sum(values[i] or 0 for i in suppressed)
    count = len(suppressed)
    candidates = sorted(
        (i for i, v in enumerate(values) if i not in suppressed and v is not None and v > 0),
        key=lambda i: (values[i], i),
    )
    for i in candidates:
        if count >= 2 and hidden >= k:
            break
        extra.add(i)
        count += 1
        hidden += values[i] or 0
    return extra


def key_column(count: str) -> str:
    """The column holding the cell keys of count column ``count``."""
    return f"{count}__key"


def protect(
    frame: pl.DataFrame,
    counts: Sequence[str],
    *,
    base_count: str | None = None,
    policy: Policy | None = None,
    totals_published: bool = True,
) -> Protected:
    """Suppress, perturb and round the ``counts`` columns of an aggregated ``frame``.

    ``base_count`` names the column that counts the persons of each row (its suppression
    suppresses the whole row). ``totals_published`` says whether column totals are shown
    elsewhere (then complementary suppression applies, unless the policy perturbs).
    A perturbing policy reads each count's cell keys from :func:`key_column` columns (a
    count without them is treated as stand-alone and only suppressed and rounded); the key
    columns are dropped from the result.
    """
    pol = policy or Policy()
    out = Protected(frame=frame, policy=pol)
    keys_in = [key_column(c) for c in counts if key_column(c) in frame.columns]
    if frame.height == 0:
        out.frame = frame.drop(keys_in)
        return out
    cols = {c: [None if v is None else int(v) for v in frame[c].to_list()] for c in counts}
    keys = {
        c: frame[key_column(c)].to_list() if key_column(c) in frame.columns else None
        for c in counts
    }
    shown: dict[str, list[int | None]] = {}
    for c in counts:
        cell_keys = keys[c]
        if pol.perturbed and cell_keys is None:
            raise ValueError(f"{c}: a perturbing policy needs the cell keys ({key_column(c)})")
        shown[c] = [
            pol.cell(v, int(cell_keys[i] or 0)) if cell_keys is not None else v
            for i, v in enumerate(cols[c])
        ]
    hidden: dict[str, set[int]] = {}
    order = list(counts)
    if base_count is not None:
        order.remove(base_count)
        order.insert(0, base_count)
    small = 0 if pol.zeros_hidden else 1
    for c in order:
        vals = cols[c]
        primary = {
            i
            for i, v in enumerate(vals)
            if v is not None and (small <= v < pol.k or (pol.perturbed and shown[c][i] is None))
        }
        out.primary += len(primary)
        if base_count is not None and c != base_count:
            rows = hidden[base_count] - primary
            out.row_suppressed += sum(1 for i in rows if vals[i] is not None)
            primary |= hidden[base_count]
        complement = totals_published and not pol.perturbed
        extra = _complementary(vals, primary, pol.k) if complement else set()
        out.complementary += len(extra)
        hidden[c] = primary | extra
    new_cols = []
    for c in counts:
        vals = cols[c]
        published = [
            None if (i in hidden[c] or v is None) else (shown[c][i] if pol.perturbed else v)
            for i, v in enumerate(vals)
        ]
        if not pol.perturbed:
            published = [None if v is None else pol.round(v) for v in published]
        new_cols.append(pl.Series(c, published, dtype=pl.Int64))
    out.frame = frame.with_columns(new_cols).drop(keys_in)
    if out.suppressed:
        out.notes.append(pol.describe())
    return out


def share(numerator: int | None, denominator: int | None) -> float | None:
    """A percentage from two *published* (rounded) counts; ``None`` if either is withheld."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return round(100.0 * numerator / denominator)


def add_share(frame: pl.DataFrame, name: str, numerator: str, denominator: str) -> pl.DataFrame:
    """Add a percentage column computed from two protected count columns."""
    values = [
        share(n, d)
        for n, d in zip(frame[numerator].to_list(), frame[denominator].to_list(), strict=True)
    ]
    return frame.with_columns(pl.Series(name, values, dtype=pl.Float64))


def protect_median(values: Sequence[float | int], policy: Policy | None = None) -> int | None:
    """The median (whole days) of at least ``k`` values; ``None`` for fewer."""
    pol = policy or Policy()
    vals = sorted(v for v in values if v is not None)
    if len(vals) < pol.k:
        return None
    mid = len(vals) // 2
    m = vals[mid] if len(vals) % 2 else (vals[mid - 1] + vals[mid]) / 2
    return math.floor(m + 0.5)


def aggregate(
    microdata: pl.DataFrame,
    by: Sequence[str],
    measures: dict[str, pl.Expr] | None = None,
    *,
    policy: Policy | None = None,
    id_column: str = "id",
) -> Protected:
    """Count persons (rows) by ``by`` plus boolean ``measures``, then :func:`protect`.

    ``measures`` maps an output name to a boolean expression over the rows; each becomes a
    count of rows where it holds. The row count is the base column ``persons``. A perturbing
    policy needs ``id_column`` (a whole number per row) for the cell keys.
    """
    pol = policy or Policy()
    measures = measures or {}
    aggs = [pl.len().alias("persons")] + [
        e.cast(pl.Int64).sum().alias(name) for name, e in measures.items()
    ]
    if pol.perturbed:
        rk = pol.record_keys
        key = (pl.col(id_column).cast(pl.Int64) * rk.a + rk.b) % KEY_MODULUS
        aggs.append(key.sum().alias(key_column("persons")))
        aggs += [
            pl.when(e).then(key).otherwise(0).sum().alias(key_column(name))
            for name, e in measures.items()
        ]
    table = microdata.group_by(list(by)).agg(aggs).sort(list(by), nulls_last=True)
    return protect(table, ["persons", *measures], base_count="persons", policy=pol)


def total(
    microdata: pl.DataFrame,
    measure: pl.Expr | None = None,
    policy: Policy | None = None,
    id_column: str = "id",
) -> int | None:
    """One headline count over all rows (or rows where ``measure`` holds), protected."""
    pol = policy or Policy()
    rows = microdata if measure is None else microdata.filter(measure)
    if not pol.perturbed:
        return pol.count(rows.height)
    return pol.cell(rows.height, pol.record_keys.cell(rows[id_column].cast(pl.Int64).to_list()))


def display(value: Any) -> str:
    """How a protected cell reads in a table or CSV."""
    if value is None:
        return SUPPRESSED_TEXT
    if isinstance(value, float):
        return f"{value:.0f}"
    return str(value)
