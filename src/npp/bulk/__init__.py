"""Bulk review (contract §3): files of person–offence records → the same rules, vectorised.

An adapter, like the CLI: it owns no legal knowledge. :mod:`~npp.bulk.validate` reads rows
as the single-case validator reads facts; :mod:`~npp.bulk.lawtable` lays out the core's
answers about the law; :mod:`~npp.bulk.assess` evaluates the core's
:func:`npp.assessment.rules.derive` with :class:`~npp.bulk.ops.PolarsOps`;
:mod:`~npp.bulk.review` streams files through it; :mod:`~npp.bulk.demo` makes synthetic
records. Importing this package imports Polars; the core never does.
"""

from __future__ import annotations

from npp.bulk.assess import BatchAssessor
from npp.bulk.demo import write_demo
from npp.bulk.ops import PolarsOps
from npp.bulk.review import Summary, review

__all__ = ["BatchAssessor", "PolarsOps", "Summary", "review", "write_demo"]
