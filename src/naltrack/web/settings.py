"""Django settings, read from typed environment variables (see .env.example).

Two modes, chosen by NALTRACK_ALLOWED_HOSTS:
- local (unset): serves loopback only, over plain HTTP; the secret key is generated once into
  var/secret_key. This is what `naltrack demo` and the test suite use.
- production (set): NALTRACK_SECRET_KEY is required, HTTPS is enforced (HSTS, secure cookies,
  redirect), and `manage.py check --deploy` passes without warnings.
Bad values fail loudly at start-up rather than quietly falling back.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def _env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


VAR_DIR = Path(os.environ.get("NALTRACK_VAR_DIR") or Path.cwd() / "var").resolve()

ALLOWED_HOSTS = _env_list("NALTRACK_ALLOWED_HOSTS")
PRODUCTION = bool(ALLOWED_HOSTS)
DEBUG = _env_bool("NALTRACK_DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("NALTRACK_DEBUG cannot be on when NALTRACK_ALLOWED_HOSTS is set (production)")
if not PRODUCTION:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]


def _plotly_package_data() -> Path:
    """plotly.min.js ships inside the plotly package: serve it from there (/static/plotly/plotly.min.js)."""
    import importlib.util

    spec = importlib.util.find_spec("plotly")
    if spec is None or spec.origin is None:
        raise ImproperlyConfigured("the plotly package is missing (pip install naltrack's dependencies)")
    return Path(spec.origin).parent / "package_data"


def _secret_key() -> str:
    key = os.environ.get("NALTRACK_SECRET_KEY", "")
    if key:
        if len(key) < 50 or len(set(key)) < 5:
            raise ImproperlyConfigured("NALTRACK_SECRET_KEY must be at least 50 characters of random text")
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("NALTRACK_SECRET_KEY is required when NALTRACK_ALLOWED_HOSTS is set")
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

_database_url = os.environ.get("NALTRACK_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'naltrack.sqlite3'}"
if not _database_url.startswith(("sqlite:", "postgres:", "postgresql:", "pgsql:")):
    raise ImproperlyConfigured("NALTRACK_DATABASE_URL must start with sqlite:/// or postgres://")
_database = dj_database_url.parse(_database_url, conn_max_age=60)
if _database["ENGINE"] == "django.db.backends.sqlite3":
    Path(_database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers work while one writer writes; a busy timeout waits instead of failing.
    _database["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    _database["CONN_MAX_AGE"] = 0
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "naltrack.web.accounts",
    "naltrack.web.care",
    "naltrack.web.safety",
    "naltrack.web.measures",
    "naltrack.web.protection",
    "naltrack.web.learn",
    "naltrack.web.community",
    "naltrack.web.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "naltrack.web.accounts.middleware.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "naltrack.web.urls"
WSGI_APPLICATION = "naltrack.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "naltrack.web.accounts.context.navigation",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: five failures for one username from one address lock it for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("NALTRACK_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_SSL_REDIRECT = _env_bool("NALTRACK_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("NALTRACK_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = [f"https://{host.lstrip('.')}" for host in ALLOWED_HOSTS if host != "*"]
    if _env_bool("NALTRACK_BEHIND_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Outgoing mail (password resets) is written to files under var/mail unless a server is configured:
# nothing leaves the machine by default.
EMAIL_BACKEND = os.environ.get("NALTRACK_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("NALTRACK_FROM_EMAIL", "naltrack@localhost")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# collectstatic target for a production web server that prefers files on disk (optional: whitenoise
# serves from the installed package through the finders below).
STATIC_ROOT = Path(os.environ["NALTRACK_STATIC_ROOT"]) if os.environ.get("NALTRACK_STATIC_ROOT") else None
STATICFILES_DIRS = [PACKAGE_DIR / "static", ("plotly", _plotly_package_data())]
# Serve straight from the installed package (no collectstatic step needed for the demo).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("NALTRACK_LOG_LEVEL", "WARNING")},
    "loggers": {"axes": {"level": "ERROR"}},
}

NINJA_PAGINATION_PER_PAGE = 50
