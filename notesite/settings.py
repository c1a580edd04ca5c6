"""notesite settings: one module, driven by environment variables (see README)."""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
# A fixed development key is only acceptable while DEBUG is on; production must set one.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or (
    "dev-only-insecure-key-do-not-use-in-production" if DEBUG else ""
)
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for development).")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "axes",
    "django_ratelimit",
    "throttling",
    "accounts",
    "articles",
    "quizzes",
    "search",
    "terms",
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "notesite.head.HeadWithoutBodyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "notesite.middleware.DatabaseUnavailableMiddleware",
    # Before anything reads the body (CSRF does, in its process_view).
    "notesite.encoding.Utf8BodyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Before the log-in view: a locked address or username is refused without a password hash.
    "throttling.lockout.LockedLoginMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "quizzes.middleware.LearnerMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks, so it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "notesite.urls"
WSGI_APPLICATION = "notesite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "quizzes.context_processors.today",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock up front, so concurrent answers queue
        # instead of failing with "database is locked" halfway through.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters bound on the server make each query's text the same from one call to the next,
    # so psycopg prepares a query on its connection once it has run PREPARE_AFTER times, and
    # PostgreSQL stops re-planning it (planning the answer's locked SELECT costs as much as
    # running it). Django prepares nothing unless told. Set 0 behind a pooler in transaction
    # mode, which cannot keep prepared statements.
    PREPARE_AFTER = 5
    if env_bool("DJANGO_PG_SERVER_SIDE_BINDING", True):
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=PREPARE_AFTER
        )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "articles:topic_list"
LOGOUT_REDIRECT_URL = "articles:topic_list"

# Several app servers can share one database: no process keeps anything a request needs.
# Sessions and login failures live in the database; rate limits live in the shared cache below.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"

# The shared cache holds the rate limits, so they hold across worker processes and app servers:
# Redis when REDIS_URL is set, otherwise a table of the database (made by throttling's migration).
# The default cache stays Django's own in-process one, for what each process may keep to itself.
REDIS_URL = os.environ.get("REDIS_URL", "")
_cache_prefix = os.environ.get("DJANGO_CACHE_KEY_PREFIX", "notesite")
_database_cache = {
    "BACKEND": "throttling.cache.AtomicDatabaseCache",
    "LOCATION": "notesite_cache",
    "KEY_PREFIX": _cache_prefix,
    # An increment re-sets the entry with this timeout: a day, the longest rate period, so no
    # count expires inside its window; and room for a flood of distinct clients before culling
    # would forget counts.
    "TIMEOUT": 86400,
    "OPTIONS": {"MAX_ENTRIES": 100_000},
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": _database_cache,
}
if REDIS_URL:
    CACHES["ratelimit"] = {
        "BACKEND": "throttling.cache.RedisCacheWithFallback",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": _cache_prefix,
        # While Redis is unreachable the limits are counted in the database instead; a short
        # timeout keeps a Redis that does not answer from holding every request up.
        "OPTIONS": {"FALLBACK": "ratelimit-fallback", "socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    CACHES["ratelimit-fallback"] = _database_cache
RATELIMIT_USE_CACHE = "ratelimit"

# The client's address: the connection's, or, behind a proxy that says so, the address the
# proxy appended last to X-Forwarded-For (anything before it is whatever the client claimed).
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)

# Login throttling (django-axes): failures lock the username, and failures from one address
# lock that address across every username it tries. Once locked, a log-in post is refused by
# throttling.lockout before the view runs (one cache read, no write, no password hashed), and
# refusals during a lockout do not extend it.
AXES_FAILURE_LIMIT = int(os.environ.get("NOTESITE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("NOTESITE_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "throttling.client.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "throttling.lockout.lockout_response"
AXES_VERBOSE = False

# Rate limits (django-ratelimit) per action, "count/period" (s, m, h, d; "10/5m" works too).
# Each is counted per signed-in learner, or per client address for anonymous actions.
RATELIMIT_IP_META_KEY = "throttling.client.client_ip"
RATELIMIT_VIEW = "throttling.views.too_many_requests"
NOTESITE_RATES = {
    "signup": os.environ.get("NOTESITE_RATE_SIGNUP", "5/h"),
    "quiz-start": os.environ.get("NOTESITE_RATE_QUIZ_START", "30/10m"),
    "review-start": os.environ.get("NOTESITE_RATE_REVIEW_START", "30/10m"),
    "password-reset": os.environ.get("NOTESITE_RATE_PASSWORD_RESET", "5/h"),
}
# "I was right" appeals per learner: the appeal view counts them itself, so that a refusal can
# say why beside the appeal button.
NOTESITE_APPEAL_RATE = os.environ.get("NOTESITE_RATE_APPEAL", "30/h")

# A note's body is refused above this many characters, before it is rendered; the form's
# upload limit leaves room for such a body percent-encoded (up to 9 bytes a Chinese character),
# so an oversized one comes back to the editor with the error instead of being dropped.
NOTESITE_MAX_BODY_CHARS = int(os.environ.get("NOTESITE_MAX_BODY_CHARS", "200000"))
DATA_UPLOAD_MAX_MEMORY_SIZE = max(2_621_440, NOTESITE_MAX_BODY_CHARS * 9 * 2)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            # Hashed, compressed names need `collectstatic` first: production does it;
            # development and the tests (DJANGO_STATIC_MANIFEST=0) serve files as they are.
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("DJANGO_STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Content-Security-Policy: nothing inline without a nonce, nothing from elsewhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# HTTPS hardening, driven by the environment so a TLS-terminating proxy can turn it on.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors_on_one_line": {"()": "notesite.logs.ClientErrorsOnOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client_errors_on_one_line"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# E-mail (daily reminders): SMTP (DJANGO_EMAIL_HOST, else a mail server on localhost:25, as
# Django's own default); in development without a host, printed to the console.
_EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
MAILERS = {
    "default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if DEBUG and not _EMAIL_HOST
    else {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": _EMAIL_HOST or "localhost",
            "port": int(os.environ.get("DJANGO_EMAIL_PORT", "587" if _EMAIL_HOST else "25")),
            "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
            "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", bool(_EMAIL_HOST)),
        },
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "notesite <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Password reset by mail is offered only where mail is configured (a host, or development's
# console): in production without DJANGO_EMAIL_HOST the reset page says whom to ask instead.
NOTESITE_EMAIL_ENABLED = bool(_EMAIL_HOST) or DEBUG
# Who learners ask when they cannot reset their password by mail (shown on the reset page).
NOTESITE_HELP_CONTACT = os.environ.get("NOTESITE_HELP_CONTACT", "")
# Where links in e-mails point (no request to take the host from).
NOTESITE_SITE_URL = os.environ.get("NOTESITE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# FSRS spreads due dates a little ("fuzzing") so reviews do not clump; tests turn it off.
NOTESITE_FSRS_FUZZING = env_bool("NOTESITE_FSRS_FUZZING", True)

# django-ratelimit names the backends it was tested with; Django's own Redis cache and the
# database cache whose increment is made atomic here (throttling.cache) are not among them.
# Columns an index includes beside its keys (PostgreSQL's INCLUDE) spare reading the table
# there; SQLite builds the same index on its keys alone, which is all it can use.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001", "models.W040"]
