"""The ``npp`` command line (Typer): this module only assembles the app.

Each command lives in a ``*_commands`` module that registers itself here; what they share
(problem reporting, option parsing, Django set-up) is in :mod:`npp.cli.common`. Errors: one
line per problem on stderr, exit status 2. Heavy modules (Rich tables, Polars, Django) are
imported inside the commands that need them, so that ``npp law ...`` and ``npp assess``
start fast.
"""

from __future__ import annotations

import typer

from npp.cli.common import fail
from npp.errors import NppError

app = typer.Typer(
    help="NPP Navigator: the non-punishment principle for victims of trafficking in ASEAN.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register_core() -> None:
    """The commands over the framework-free core: ``assess`` and ``law``."""
    from npp.cli import assess_commands, law_commands

    assess_commands.register(app)
    law_commands.register(app)


_register_core()


def _register_adapters() -> None:
    from npp.cli import bulk_commands, monitor_commands, notice_commands, ops_commands, web_commands
    from npp.cli.training_commands import register as register_training

    bulk_commands.register(app)
    web_commands.register(app)
    monitor_commands.register(app)
    ops_commands.register(app)
    notice_commands.register(app)
    register_training(app)


_register_adapters()


def main() -> None:
    try:
        app()
    except NppError as exc:  # pragma: no cover - commands catch their own
        fail(exc.problems)


if __name__ == "__main__":
    main()
