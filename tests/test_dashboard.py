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
