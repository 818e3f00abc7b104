"""Domain operations as plain functions over a SQLAlchemy session: no Flask-Admin, no HTTP."""
