"""Web-application commands (``npp serve``, ``npp token``, ``npp audit``, ...).

Django is imported inside each command, so other ``npp`` commands stay fast.
"""

from __future__ import annotations

import sys
import time
from typing import Annotated, Any

import typer

from npp.cli.common import migrate as _migrate
from npp.cli.common import setup_django as _django

token_app = typer.Typer(help="API tokens (contract §4).", no_args_is_help=True)
audit_app = typer.Typer(help="The append-only, hash-chained audit log.", no_args_is_help=True)
demo_app = typer.Typer(help="Synthetic demo data (demo mode only).", no_args_is_help=True)
user_app = typer.Typer(help="Users and organisations.", no_args_is_help=True)
crypto_app = typer.Typer(help="Encryption of personal data at rest.", no_args_is_help=True)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo/--no-demo", help="Demo mode: generated keys, synthetic data, plain HTTP"
        ),
    ] = False,
    workers: Annotated[int, typer.Option(help="Worker processes")] = 2,
    threads: Annotated[int, typer.Option(help="Threads per worker")] = 4,
    migrate: Annotated[
        bool, typer.Option("--migrate/--no-migrate", help="Apply database migrations first")
    ] = True,
) -> None:
    """Serve the web application (gunicorn); in demo mode, load the demo data first."""
    _django(demo)
    from django.conf import settings

    if migrate:
        _migrate()
    if settings.DEMO:
        from npp.web import demo as demo_data

        started = time.perf_counter()
        counts = _load_demo(demo_data.load)
        if counts["cases"]:
            print(
                f"demo data: {counts['organisations']} organisations, {counts['users']} users, "
                f"{counts['cases']} cases ({time.perf_counter() - started:.0f} s)",
                flush=True,
            )
    from gunicorn.app.base import BaseApplication

    from npp.web.wsgi import application

    class App(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("accesslog", None)
            self.cfg.set("errorlog", "-")
            self.cfg.set("loglevel", "warning")
            self.cfg.set("timeout", 60)

        def load(self) -> Any:
            return application

    scheme = "https (behind your TLS proxy)" if settings.HTTPS else "http"
    print(f"NPP Navigator on {scheme}://{host}:{port}/  (Ctrl-C to stop)", flush=True)
    App().run()


@token_app.command("create")
def token_create(
    username: Annotated[str, typer.Argument(help="An existing user")],
    name: Annotated[str, typer.Option(help="What the token is for")] = "",
) -> None:
    """Print a new API key for USERNAME (shown once; only its hash is stored)."""
    _django()
    from npp.web.accounts.actions import do_create_token
    from npp.web.accounts.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        print(f"USERNAME: no user {username!r}", file=sys.stderr)
        raise typer.Exit(2)
    print(do_create_token(None, user, name=name))


@token_app.command("revoke")
def token_revoke(
    prefix: Annotated[str, typer.Argument(help="The first 8 characters of the key")],
) -> None:
    """Revoke every live token whose key starts with PREFIX."""
    _django()
    from npp.web.accounts.actions import do_revoke_token
    from npp.web.accounts.models import ApiToken

    tokens = list(
        ApiToken.objects.filter(prefix=prefix[:8], revoked_at__isnull=True).select_related("user")
    )
    if not tokens:
        print(f"PREFIX: no live token starts with {prefix!r}", file=sys.stderr)
        raise typer.Exit(2)
    for t in tokens:
        do_revoke_token(None, t)
    print(f"revoked {len(tokens)} token(s)")


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the chain: exit 0 if intact; 1, listing each problem, if an entry was changed,
    inserted or deleted."""
    _django()
    from npp.web.audit.log import verify

    report = verify()
    if report.ok:
        print(f"ok: {report.entries} entries; head {report.head_hash}")
        return
    for p in report.problems:
        print(p, file=sys.stderr)
    print(
        f"audit log: {len(report.problems)} problem(s) in {report.entries} entries", file=sys.stderr
    )
    raise typer.Exit(1)


def _load_demo(load: Any, cases: int | None = None) -> dict[str, int]:
    """Load the demo data; an unusable ``NPP_DEMO_CASES`` is one line on stderr, exit 2."""
    try:
        return dict(load(cases))
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        raise typer.Exit(2) from None


@demo_app.command("load")
def demo_load(
    cases: Annotated[
        int | None,
        typer.Option(help="Number of synthetic cases [default: NPP_DEMO_CASES, else 20000]"),
    ] = None,
) -> None:
    """Migrate and load the demo data into an empty database (sets demo mode)."""
    _django(demo=True)
    _migrate()
    from npp.web import demo as demo_data

    counts = _load_demo(demo_data.load, cases)
    print(
        f"demo data: {counts['organisations']} organisations, {counts['users']} users, "
        f"{counts['cases']} cases"
    )


@user_app.command("org")
def org_create(
    code: Annotated[str, typer.Argument(help="Short code, e.g. th-police-bkk")],
    name: Annotated[str, typer.Option(help="Full name")],
    kind: Annotated[
        str,
        typer.Option(
            help="police, immigration, labour_inspectorate, prosecution, defence, court, ngo, ..."
        ),
    ],
    jurisdiction: Annotated[str, typer.Option(help="ISO country code, e.g. TH")],
) -> None:
    """Create an organisation."""
    _django()
    _migrate()
    from npp.web.accounts.actions import do_create_organisation
    from npp.web.accounts.models import OrgKind

    if kind not in OrgKind.values:
        print(f"--kind: must be one of {', '.join(OrgKind.values)}", file=sys.stderr)
        raise typer.Exit(2)
    do_create_organisation(None, code=code, name=name, kind=kind, jurisdiction=jurisdiction)
    print(f"organisation {code} created")


@user_app.command("create")
def user_create(
    username: Annotated[str, typer.Argument()],
    role: Annotated[
        str,
        typer.Option(
            help="frontline, prosecutor, defender, judge, caseworker, supervisor, analyst, ..."
        ),
    ],
    org: Annotated[str, typer.Option(help="Organisation code")],
) -> None:
    """Create a user; the password is read from standard input (one line)."""
    _django()
    _migrate()
    from django.contrib.auth.password_validation import ValidationError, validate_password

    from npp.web.accounts.actions import do_create_user
    from npp.web.accounts.models import Organisation
    from npp.web.roles import Role

    if role not in Role.values:
        print(f"--role: must be one of {', '.join(Role.values)}", file=sys.stderr)
        raise typer.Exit(2)
    organisation = Organisation.objects.filter(code=org).first()
    if organisation is None:
        print(f"--org: no organisation {org!r}", file=sys.stderr)
        raise typer.Exit(2)
    password = sys.stdin.readline().rstrip("\n")
    try:
        validate_password(password)
    except ValidationError as exc:
        for m in exc.messages:
            print(f"password: {m}", file=sys.stderr)
        raise typer.Exit(2) from None
    do_create_user(None, username=username, password=password, role=role, organisation=organisation)
    print(f"user {username} created; two-factor enrolment happens at first sign-in")


@crypto_app.command("rotate")
def crypto_rotate() -> None:
    """Re-encrypt every encrypted value with the newest key in NPP_ENCRYPTION_KEY."""
    _django()
    from npp.web.crypto import do_rotate_keys

    print(f"re-encrypted {do_rotate_keys()} value(s) with the newest key")


def keys() -> None:
    """Print fresh values for NPP_SECRET_KEY, NPP_ENCRYPTION_KEY, NPP_AUDIT_KEY and
    NPP_BACKUP_KEY."""
    import secrets

    from cryptography.fernet import Fernet

    print(f"NPP_SECRET_KEY={secrets.token_urlsafe(50)}")
    print(f"NPP_ENCRYPTION_KEY={Fernet.generate_key().decode()}")
    print(f"NPP_AUDIT_KEY={secrets.token_urlsafe(48)}")
    print(f"NPP_BACKUP_KEY={Fernet.generate_key().decode()}")


def manage(ctx: typer.Context) -> None:
    """Run a Django management command (e.g. ``npp manage migrate``)."""
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["npp manage", *ctx.args])


def register(app: typer.Typer) -> None:
    """Add this module's commands to the top-level ``npp`` app."""
    app.command()(serve)
    app.command()(keys)
    app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(manage)
    app.add_typer(token_app, name="token")
    app.add_typer(audit_app, name="audit")
    app.add_typer(demo_app, name="demo")
    app.add_typer(user_app, name="user")
    app.add_typer(crypto_app, name="crypto")
