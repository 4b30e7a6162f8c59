"""The catalogue and engine for the web process (loaded once: the data do not change while
the process runs)."""

from __future__ import annotations

from functools import lru_cache

import npp
from npp.assessment.engine import Engine
from npp.training import Catalogue, load_training


def engine() -> Engine:
    return npp.engine()


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    return load_training(engine().kb)
