"""One exception tree for everything NPP Navigator reports to a user.

Adapters (CLI, web, bulk) catch :class:`NppError` and print its ``problems`` one per line;
anything else escaping is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (a path a person can find) and what."""

    where: str
    problem: str

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}" if self.where else self.problem


class NppError(Exception):
    """Base of every error meant for a user; carries one or more problems."""

    def __init__(self, problems: list[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem("", problems)]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class LawDataError(NppError):
    """The knowledge base (YAML under ``knowledge/``) is invalid."""


class InvalidFacts(NppError):
    """Case facts do not validate; each problem names a JSON path."""


class NotFound(NppError):
    """A citation, jurisdiction or record that does not exist."""
