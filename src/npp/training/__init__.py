"""Training scenarios: realistic cases whose answer key is what the engine says today.

Framework-free (no Django, no Typer): the CLI and the web application are adapters around
this package. Scenarios and the misconceptions catalogue are data under
``knowledge/training/`` (YAML, loaded strictly like the law); the reviewed snapshot of every
scenario's key is ``knowledge/training/keys.json`` (``npp training rekey`` writes it).
"""

from __future__ import annotations

from npp.training.keys import key_of, keys_differ, read_keys, scenario_key, write_keys
from npp.training.loader import Catalogue, load_training, training_dir
from npp.training.model import ROLES, Misconception, Question, Scenario

__all__ = [
    "ROLES",
    "Catalogue",
    "Misconception",
    "Question",
    "Scenario",
    "key_of",
    "keys_differ",
    "load_training",
    "read_keys",
    "scenario_key",
    "training_dir",
    "write_keys",
]
