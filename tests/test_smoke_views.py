"""Every model has a list, details, create and edit view that render for a clerk."""
import pytest

from admin_views import MODEL_VIEWS
from models import db
from tests import factories as f

# Every model view the panel registers whose model has a factory: a new entity is smoke-tested by its factory.
LISTS = {endpoint: model for _view, model, _menu, endpoint in MODEL_VIEWS if model in f.FACTORIES}


@pytest.fixture
def records(app):
    with app.app_context():
        made = {endpoint: f.FACTORIES[model](db.session) for endpoint, model in LISTS.items()}
        db.session.commit()
        ids = {k: v.id for k, v in made.items()}
        db.session.remove()
    return ids


@pytest.mark.parametrize("endpoint", LISTS)
def test_list_details_create_edit_render(clerk, records, endpoint):
    rid = records[endpoint]
    for url in (f"/admin/{endpoint}/", f"/admin/{endpoint}/details/?id={rid}", f"/admin/{endpoint}/new/",
                f"/admin/{endpoint}/edit/?id={rid}"):
        response = clerk.get(url)
        assert response.status_code == 200, (url, response.data[:300])


def test_home_page_counts_assets(clerk, records):
    page = clerk.get("/admin/").get_data(as_text=True)
    assert "Основные средства" in page
    assert 'id="assets-by-status"' in page


def test_asset_list_filters_by_building(app, clerk):
    from admin_views.pickers import InBuilding

    with app.app_context():
        north, south = f.building(db.session, name="Север"), f.building(db.session, name="Юг")
        f.asset(db.session, name="Стол северный", room=f.room(db.session, building=north))
        f.asset(db.session, name="Стол южный", room=f.room(db.session, building=south))
        db.session.commit()
        north_id = north.id
        view = next(v for v in app.extensions["admin"][0]._views if getattr(v, "endpoint", "") == "asset")
        idx = next(i for i, flt in enumerate(view._filters) if isinstance(flt, InBuilding))
        arg = view.get_filter_arg(idx, view._filters[idx])
    page = clerk.get(f"/admin/asset/?flt0_{arg}={north_id}").get_data(as_text=True)
    assert "Стол северный" in page and "Стол южный" not in page
