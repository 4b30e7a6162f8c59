"""Settings, read from the environment; secure by default and loud when something is missing.

Production needs two secrets, each from a variable or a file (``*_FILE``, e.g. a Docker or
systemd credential): ``NPP_SECRET_KEY`` (Django's signing key) and ``NPP_ENCRYPTION_KEY``
(Fernet keys for personal data at rest; several, comma- or line-separated, newest first,
to rotate). Without them the application refuses to start. Demo mode (``NPP_DEMO=1``, used
by ``make run``) generates both once into ``NPP_DATA_DIR/demo-keys.json`` and serves plain HTTP
on loopback. With neither key configured and ``NPP_DEMO`` unset, a data directory that already
holds a demo instance's ``demo-keys.json`` is used in demo mode, so every ``npp`` command works
next to ``make run``; demo keys are never created unless demo mode is asked for.

``NPP_AUDIT_KEY`` (optional, recommended): the key of the audit chain's HMAC; by default
derived from ``NPP_SECRET_KEY``. ``NPP_BACKUP_KEY``: the key of ``npp backup`` files.
Other variables: ``DATABASE_URL`` (default SQLite in ``NPP_DATA_DIR``), ``NPP_ALLOWED_HOSTS``,
``NPP_CSRF_TRUSTED_ORIGINS``, ``NPP_HTTPS`` (default on, off in demo mode), ``NPP_HSTS_SECONDS``,
``NPP_BEHIND_PROXY``, ``NPP_IDLE_TIMEOUT_MINUTES``, ``NPP_TRAINING_SESSION_HOURS``, ``NPP_DEBUG``
(never in production).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

WEB_DIR = Path(__file__).resolve().parent


def env(name: str, default: str | None = None) -> str | None:
    """``NAME`` from the environment, else the contents of the file named by ``NAME_FILE``."""
    value = os.environ.get(name)
    if value:
        return value.strip()
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{name}_FILE: cannot read {path!r}: {exc.strerror}"
            ) from None
    return default


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}: must be true or false (got {value!r})")


def env_list(name: str, default: str) -> list[str]:
    raw = env(name, default) or ""
    return [v.strip() for v in raw.replace("\n", ",").split(",") if v.strip()]


DEBUG = env_bool("NPP_DEBUG", False)
DATA_DIR = Path(env("NPP_DATA_DIR", "var") or "var").resolve()
DEMO_KEYS = DATA_DIR / "demo-keys.json"
_KEYS_CONFIGURED = bool(env("NPP_SECRET_KEY") or env("NPP_ENCRYPTION_KEY"))
# Unset NPP_DEMO: demo mode exactly when no key is configured and the data directory is a demo
# instance's (its keys exist already). A production directory never gets demo keys this way.
DEMO = env_bool("NPP_DEMO", not _KEYS_CONFIGURED and DEMO_KEYS.is_file())


def _demo_secrets() -> dict[str, str]:
    """Demo mode only: keys generated once and kept beside the demo database."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DEMO_KEYS
    if path.exists():
        data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
        return data
    data = {
        "secret_key": secrets.token_urlsafe(50),
        "encryption_key": Fernet.generate_key().decode(),
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
    return data


_demo = (
    _demo_secrets() if DEMO and not (env("NPP_SECRET_KEY") and env("NPP_ENCRYPTION_KEY")) else {}
)


def _no_keys() -> str:
    """The one line that says what to set when no key is configured at all."""
    if DEMO_KEYS.is_file():
        why = f"NPP_DEMO is off, so the demo keys in {DEMO_KEYS} are not used"
    else:
        why = f"{DATA_DIR} holds no demo instance (demo-keys.json)"
    return (
        "no keys: set NPP_SECRET_KEY and NPP_ENCRYPTION_KEY (`npp keys` prints fresh ones), or "
        "run this in the directory of `make run` (or with NPP_DATA_DIR set to its var/) to use "
        f"its demo keys; {why}. Refusing to start."
    )


if not _demo and not _KEYS_CONFIGURED:
    raise ImproperlyConfigured(_no_keys())

SECRET_KEY = env("NPP_SECRET_KEY") or _demo.get("secret_key") or ""
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured(
        "NPP_SECRET_KEY (or NPP_SECRET_KEY_FILE) must be set to a random string of at least 32 "
        "characters; `npp keys` prints fresh keys. Refusing to start."
    )


def _fernet_keys(raw: str) -> list[str]:
    keys = [k.strip() for k in raw.replace("\n", ",").split(",") if k.strip()]
    for n, k in enumerate(keys, 1):
        try:
            ok = len(base64.urlsafe_b64decode(k.encode())) == 32
        except (binascii.Error, ValueError):
            ok = False
        if not ok:
            raise ImproperlyConfigured(
                f"NPP_ENCRYPTION_KEY: key {n} is not a Fernet key (32 url-safe base64 bytes); "
                "`npp keys` prints a fresh one."
            )
    return keys


NPP_ENCRYPTION_KEYS = _fernet_keys(env("NPP_ENCRYPTION_KEY") or _demo.get("encryption_key") or "")
if not NPP_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "NPP_ENCRYPTION_KEY (or NPP_ENCRYPTION_KEY_FILE) must be set: personal data is encrypted "
        "at rest with it. `npp keys` prints a fresh key. Refusing to start."
    )


def _audit_key() -> bytes:
    """The key of the audit chain's HMAC. Without it, an attacker who can write to the database
    cannot make a rewritten log verify. ``NPP_AUDIT_KEY`` (or ``_FILE``); if unset, derived
    from ``NPP_SECRET_KEY`` (set it explicitly before ever rotating the secret key)."""
    raw = env("NPP_AUDIT_KEY")
    if raw is None:
        return hmac.new(SECRET_KEY.encode(), b"npp-audit-chain/1", hashlib.sha256).digest()
    if len(raw) < 32:
        raise ImproperlyConfigured(
            "NPP_AUDIT_KEY: must be a random string of at least 32 characters; `npp keys` "
            "prints one."
        )
    return raw.encode()


NPP_AUDIT_KEY = _audit_key()


def _demo_backup_key() -> str:
    """Demo mode only: the key of ``npp backup`` files, derived from the demo secret key so that
    every process of one demo instance agrees on it without writing another file."""
    if not _demo:
        return ""
    raw = hmac.new(SECRET_KEY.encode(), b"npp-demo-backup-key/1", hashlib.sha256).digest()
    return base64.urlsafe_b64encode(raw).decode()


NPP_DEMO_BACKUP_KEY = _demo_backup_key()

HTTPS = env_bool("NPP_HTTPS", not DEMO)
ALLOWED_HOSTS = env_list("NPP_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("NPP_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "npp.web.accounts",
    "npp.web.audit",
    "npp.web.cases",
    "npp.web.api",
    "npp.web.lawpages",
    "npp.web.monitoring",
    "npp.web.notices",
    "npp.web.training",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "npp.web.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "npp.web.middleware.SessionGuardMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "npp.web.urls"
WSGI_APPLICATION = "npp.web.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "npp.web.context.navigation",
            ],
        },
    }
]

# --------------------------------------------------------------------------- database

_default_db = f"sqlite:///{DATA_DIR / 'npp.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env("DATABASE_URL", _default_db) or _default_db)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if not env("DATABASE_URL"):
        DATA_DIR.mkdir(parents=True, exist_ok=True)
    # IMMEDIATE: a write transaction takes the lock at BEGIN, so the audit chain's
    # read-then-append never deadlocks; WAL lets readers run beside one writer.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = int(env("NPP_DB_CONN_MAX_AGE", "60") or "60")
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --------------------------------------------------------------------------- security

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 8 * 3600  # absolute limit; the idle limit is below
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "npp_session"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_NAME = "npp_csrftoken"
NPP_IDLE_TIMEOUT = int(env("NPP_IDLE_TIMEOUT_MINUTES", "15") or "15") * 60
NPP_LOGIN_MAX_FAILURES = int(env("NPP_LOGIN_MAX_FAILURES", "5") or "5")
NPP_LOGIN_MAX_FAILURES_PER_IP = int(env("NPP_LOGIN_MAX_FAILURES_PER_IP", "30") or "30")
NPP_LOGIN_LOCKOUT = 15 * 60
NPP_BEHIND_PROXY = env_bool("NPP_BEHIND_PROXY", False)

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("NPP_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(env("NPP_HSTS_SECONDS", "31536000") or "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = False
    SESSION_COOKIE_NAME = "__Host-npp_session"
    CSRF_COOKIE_NAME = "__Host-npp_csrftoken"
if NPP_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: no inline script or style anywhere in the app.
NPP_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)

# Group training sessions, and their anonymous answers, are deleted this many hours after
# they are created (`npp training cleanup` removes expired ones; they stop working at once).
_hours = env("NPP_TRAINING_SESSION_HOURS", "12") or "12"
if not (_hours.isdigit() and 1 <= int(_hours) <= 24 * 30):
    raise ImproperlyConfigured(
        "NPP_TRAINING_SESSION_HOURS: must be a whole number of hours from 1 to 720 "
        f"(got {_hours!r})"
    )
NPP_TRAINING_SESSION_HOURS = int(_hours)

# --------------------------------------------------------------------------- i18n

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("th", "ไทย"),
    ("vi", "Tiếng Việt"),
    ("id", "Bahasa Indonesia"),
    ("ms", "Bahasa Melayu"),
    ("fil", "Filipino"),
    ("km", "ខ្មែរ"),
    ("lo", "ລາວ"),
    ("my", "မြန်မာ"),
]
LOCALE_PATHS = [WEB_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_COOKIE_NAME = "npp_language"
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"


def _extra_languages() -> None:
    """Filipino and Lao are not in Django's language table; add their names."""
    from django.conf.locale import LANG_INFO

    LANG_INFO.setdefault(
        "fil", {"bidi": False, "code": "fil", "name": "Filipino", "name_local": "Filipino"}
    )
    LANG_INFO.setdefault("lo", {"bidi": False, "code": "lo", "name": "Lao", "name_local": "ລາວ"})


_extra_languages()

# --------------------------------------------------------------------------- static files

STATIC_URL = "/static/"
STATICFILES_DIRS = [WEB_DIR / "static"]
STATIC_ROOT = env("NPP_STATIC_ROOT")  # for `npp manage collectstatic`; optional
WHITENOISE_USE_FINDERS = True  # serve from the package; `collectstatic` is optional
WHITENOISE_AUTOREFRESH = DEBUG

# --------------------------------------------------------------------------- REST API

REST_FRAMEWORK = {
    # Token first: an unauthenticated request then gets 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "npp.web.api.auth.TokenAuthentication",
        "npp.web.api.auth.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "npp.web.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["npp.web.api.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "npp.web.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "NPP Navigator API",
    "DESCRIPTION": "Assessments under the non-punishment principle, and cases (contract §4).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "COMPONENT_SPLIT_PATCH": False,  # PATCH of a referral requires status and version
    "ENUM_NAME_OVERRIDES": {"StageEnum": "npp.web.cases.vocab.STAGES"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "npp.web.api.schema.postprocess",
    ],
}

# --------------------------------------------------------------------------- logging

# Nothing personal in logs: records carry paths and status codes; request objects, query
# strings and exception messages are removed by the filter (see npp.web.middleware).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "npp.web.middleware.RedactFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.security.DisallowedHost": {"handlers": [], "propagate": False},
    },
}
ADMINS: list[tuple[str, str]] = []
