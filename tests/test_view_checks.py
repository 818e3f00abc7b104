"""The start-up check refuses a view that names what its model does not have, and passes every real view."""
import pytest

from admin_views import MODEL_VIEWS
from admin_views.assets import AssetView
from admin_views.checks import ViewDeclarationError, check_view
from models import Asset, db


def test_every_registered_view_passes(app):
    (admin,) = app.extensions["admin"]
    assert [p for v in admin._views if getattr(v, "model", None) is not None for p in check_view(v)] == []
    assert {v.model for v in admin._views if getattr(v, "model", None)} >= {m for _v, m, _c, _e in MODEL_VIEWS}


@pytest.mark.parametrize("declaration, value", [
    ("column_list", ("inventory_number", "inventry_number")),
    ("column_filters", ("status", "colour")),
    ("column_export_list", ("name", "supplier.phone_number")),
    ("form_columns", ("name", "weight")),
])
def test_a_misnamed_field_fails_loudly(app, declaration, value):
    broken = type("BrokenAssetView", (AssetView,), {declaration: value})
    with app.app_context(), pytest.raises(ViewDeclarationError,
                                          match=f"BrokenAssetView.{declaration} names «{value[1]}»"):
        broken(Asset, db, endpoint=f"broken_{declaration}")
