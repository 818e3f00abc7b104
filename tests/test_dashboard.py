"""The home page counts assets by status with their value, and links to what needs attention."""
import re
from datetime import date, timedelta
from decimal import Decimal
from html import unescape

from models import AssetStatus, ContractStatus, db
from tests import factories as f


def test_counts_value_and_deadline_links(app, clerk):
    today = date.today()
    with app.app_context():
        f.asset(db.session, status=AssetStatus.in_use, book_value=Decimal("1000.10"))
        f.asset(db.session, status=AssetStatus.in_use, book_value=Decimal("2000.20"))
        f.asset(db.session, status=AssetStatus.under_repair, book_value=Decimal("0.01"))
        f.vehicle(db.session, plate="А111АА77", osago_expires_on=today + timedelta(days=10))
        f.vehicle(db.session, plate="В222ВВ77", osago_expires_on=today + timedelta(days=90))
        f.contract(db.session, number="СКОРО", ends_on=today + timedelta(days=5), status=ContractStatus.active)
        f.contract(db.session, number="ИСПОЛНЕН", ends_on=today + timedelta(days=5), status=ContractStatus.executed)
        db.session.commit()

    page = clerk.get("/admin/").get_data(as_text=True)
    assert "3\xa0000,31" in page  # total book value
    osago = re.search(r'<a href="([^"]+)">Истекают полисы ОСАГО</a>\s*<span[^>]*>(\d+)</span>', page)
    assert osago and osago.group(2) == "1"
    listing = clerk.get(unescape(osago.group(1))).get_data(as_text=True)
    assert "А111АА77" in listing and "В222ВВ77" not in listing

    contracts = re.search(r'<a href="([^"]+)">Заканчиваются договоры</a>\s*<span[^>]*>(\d+)</span>', page)
    assert contracts.group(2) == "1"
    listing = clerk.get(unescape(contracts.group(1))).get_data(as_text=True)
    assert "СКОРО" in listing and "ИСПОЛНЕН" not in listing

    in_use = re.search(r'<a href="([^"]+)">В эксплуатации</a>', page)
    listing = clerk.get(unescape(in_use.group(1))).get_data(as_text=True)
    assert "1\xa0000,10" in listing and "2\xa0000,20" in listing and "0,01" not in listing


def test_figures_follow_every_kind_of_write_and_match_a_full_count(app, clerk):
    """The home page reads a ledger the database keeps; whatever writes assets, it agrees with counting them."""
    from sqlalchemy import delete, insert, update

    import admin_views.dashboard as dashboard
    from models import Asset
    from services.dashboard import assets_by_status, assets_by_status_counted

    with app.app_context():
        category = f.category(db.session)
        a = f.asset(db.session, status=AssetStatus.in_use, book_value=Decimal("100.00"))
        f.asset(db.session, status=AssetStatus.in_storage, book_value=Decimal("50.50"))
        db.session.commit()
        a.book_value = Decimal("120.00")  # ORM update of the value
        db.session.commit()
        # Set-based writes, as bulk edit and import do them.
        db.session.execute(update(Asset).where(Asset.id == a.id).values(status=AssetStatus.under_repair))
        db.session.execute(insert(Asset), [{"inventory_number": f"ИН-Б{n}", "name": "Стул", "category_id": category.id,
                                            "book_value": Decimal("1.00"), "depreciation": Decimal("0.00"),
                                            "status": AssetStatus.in_use, "version": 1} for n in range(5)])
        db.session.execute(delete(Asset).where(Asset.inventory_number == "ИН-Б0"))
        db.session.commit()
        assert assets_by_status(db.session) == assets_by_status_counted(db.session)
        figures = {s: (n, v) for s, n, v in assets_by_status(db.session)}
        assert figures[AssetStatus.under_repair] == (1, Decimal("120.00"))
        assert figures[AssetStatus.in_use] == (4, Decimal("4.00"))
        db.session.remove()

    dashboard.COMPACT_ABOVE = 2  # the page folds the ledger when it grows; the figures stay the same
    try:
        page = clerk.get("/admin/").get_data(as_text=True)
    finally:
        dashboard.COMPACT_ABOVE = 500
    assert "174,50" in page  # 120 + 50.50 + 4
    with app.app_context():
        from models.tally import ledger_rows
        assert ledger_rows(db.session) == 3
        assert assets_by_status(db.session) == assets_by_status_counted(db.session)
