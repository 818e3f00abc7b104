"""The Flask extensions and per-request helpers the application and its views share.

app.py binds them to the application; admin_views imports them from here, so no view module
imports app.py (which imports the views).
"""
import secrets
from pathlib import Path

from flask import g
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

HERE = Path(__file__).resolve().parent
TRANSLATIONS = HERE / "translations"

babel = Babel()
login_manager = LoginManager()
csrf = CSRFProtect()
migrate = Migrate()


def csp_nonce() -> str:
    """One nonce per request for every <script> of ours and Flask-Admin's (Admin(csp_nonce_generator=…))."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce
