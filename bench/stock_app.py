"""Stock Flask-Admin over the same database, the alternative the list bench compares with:
``ModelView(Asset)`` searching the same columns, and Flask-Admin's own index page. No login."""
import os

from flask import Flask
from flask_admin import Admin
from flask_admin.contrib.sqla import ModelView
from flask_admin.theme import Bootstrap4Theme
from flask_babel import Babel

from app import database_url
from models import Asset, db


class StockAssetView(ModelView):
    column_searchable_list = ("inventory_number", "name", "serial_number")


def create():
    app = Flask(__name__)
    app.config.update(SECRET_KEY=os.environ["SECRET_KEY"],
                      SQLALCHEMY_DATABASE_URI=database_url(os.environ["DATABASE_URL"], "."))
    db.init_app(app)
    Babel(app)  # the models' enums print their labels through flask-babel
    admin = Admin(app, name="stock", theme=Bootstrap4Theme())
    admin.add_view(StockAssetView(Asset, db.session, endpoint="asset"))

    @app.route("/healthz")
    def healthz():
        return "ok"
    return app
