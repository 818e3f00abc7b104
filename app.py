"""Khozchast: the support department's admin panel. ``create_app`` builds the Flask application."""
import os
from pathlib import Path

from flask import Flask, g, has_request_context, jsonify, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import text

from extensions import HERE, TRANSLATIONS, babel, csp_nonce, csrf, login_manager, migrate
from models import db
from models.changelog import begin_batch

LANGUAGES = ("ru", "en")


def database_url(url: str | None, instance_path: str) -> str:
    """DATABASE_URL as given; ``postgresql://`` means psycopg 3; default: SQLite in instance/."""
    if not url:
        return f"sqlite:///{Path(instance_path) / 'khozchast.db'}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def content_security_policy() -> str:
    # Scripts only from us, and inline ones only with this request's nonce; inline style attributes
    # (Bootstrap, select2) are allowed, they cannot run code.
    return (f"default-src 'self'; script-src 'self' 'nonce-{csp_nonce()}'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'")


def select_locale():
    if not has_request_context():
        return "ru"  # CLI commands and jobs speak the panel's default language
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    if current_user and current_user.is_authenticated:
        return current_user.language.value
    return "ru"


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY"),
        SQLALCHEMY_DATABASE_URI=database_url(os.environ.get("DATABASE_URL"), app.instance_path),
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        BABEL_DEFAULT_LOCALE="ru",
        BABEL_DEFAULT_TIMEZONE=os.environ.get("TIMEZONE", "Europe/Moscow"),
        BABEL_TRANSLATION_DIRECTORIES=str(TRANSLATIONS),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("SESSION_COOKIE_SECURE", "").lower() in ("1", "true", "yes"),
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=25 * 1024 * 1024,
        FLASK_ADMIN_SWATCH="default",
        # Background jobs (services/jobs.py): Redis when REDIS_URL is set, else the web process's own queue.
        REDIS_URL=os.environ.get("REDIS_URL") or None,
        JOBS_KEEP_HOURS=float(os.environ.get("JOBS_KEEP_HOURS", "72")),
        EXPORT_JOB_ROWS=int(os.environ.get("EXPORT_JOB_ROWS", "10000")),
        IMPORT_JOB_ROWS=int(os.environ.get("IMPORT_JOB_ROWS", "5000")),
    )
    if config:
        app.config.update(config)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # Short queries from many clerks: no parallel workers (starting them cost seconds on a busy 2-core host)
        # and no JIT compilation (it costs more than the queries it would speed up).
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options.setdefault("connect_args", {"options": "-c max_parallel_workers_per_gather=0 -c jit=off"})
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if not app.config["SECRET_KEY"]:
        if not (app.debug or app.testing):
            raise RuntimeError(
                "SECRET_KEY is not set. Export SECRET_KEY=<a long random string> "
                "(e.g. python -c 'import secrets; print(secrets.token_hex(32))') before starting Khozchast."
            )
        app.config["SECRET_KEY"] = "development-only-key"

    db.init_app(app)
    migrate.init_app(app, db, directory=str(HERE / "migrations"), render_as_batch=True)
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    login_manager.init_app(app)

    from admin_views import init_admin
    from cli import register_cli
    from services.jobs import init_jobs

    init_jobs(app)
    init_admin(app)
    register_cli(app)

    @app.before_request
    def start_change_batch():
        # Everything one request changes shares one change-log batch and names its author.
        user = current_user if current_user and current_user.is_authenticated else None
        begin_batch(db.session, user=user)
        request.environ["khozchast.user"] = user.username if user else "-"  # gunicorn's access log names them

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    @app.route("/")
    def root():
        return redirect(url_for("admin.index"))

    @app.route("/healthz")
    def healthz():
        """For the load balancer and monitoring: the database answers, and the job broker when there is one."""
        from services.jobs import queue_of

        checks = {"database": "ok"}
        try:
            db.session.execute(text("SELECT 1"))
        except Exception as exc:
            checks["database"] = type(exc).__name__
        if app.config.get("REDIS_URL"):
            try:
                checks["broker"] = "ok" if queue_of(app).ping() else "no answer"
            except Exception as exc:
                checks["broker"] = type(exc).__name__
        healthy = all(v == "ok" for v in checks.values())
        return jsonify(status="ok" if healthy else "failing", **checks), 200 if healthy else 503

    @app.route("/favicon.ico")
    def favicon():
        return "", 204  # no icon; a 404 would be a console error on every page

    @app.route("/lang/<code>")
    def set_language(code):
        if code in LANGUAGES:
            session["lang"] = code
        target = request.referrer or url_for("admin.index")
        return redirect(target if target.startswith(request.host_url) else url_for("admin.index"))

    @app.context_processor
    def language_switch():
        return {"current_language": str(g.get("_flask_babel_locale", "")) or select_locale(), "languages": LANGUAGES}

    return app
