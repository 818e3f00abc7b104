"""What the inventory card (ОКУД 0504031) of an asset shows, as plain values for reports/inventory_card.py."""
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Asset, Vehicle

from .transfers import asset_transfers


def card_data(session: Session, asset: Asset, institution) -> dict:
    category = asset.category
    vehicle = session.scalars(select(Vehicle).where(Vehicle.asset_id == asset.id)).first()
    movements = []
    for transfer, _line in reversed(asset_transfers(session, asset.id)):
        movements.append({"number": str(transfer), "date": transfer.doc_date,
                          "place": str(transfer.to_room) if transfer.to_room else
                          (transfer.to_department.name if transfer.to_department else ""),
                          "responsible": transfer.to_responsible.full_name if transfer.to_responsible else ""})
    act = asset.write_off_act
    place = " / ".join(x for x in (asset.department.name if asset.department else "",
                                   str(asset.room.building.name) + ", " + str(asset.room.number)
                                   if asset.room else "") if x)
    return {
        "institution": institution,
        "inventory_number": asset.inventory_number,
        "name": asset.name,
        "okof": category.okof_code if category else "",
        "department": asset.department.name if asset.department else "",
        "place": place,
        "responsible": asset.responsible.full_name if asset.responsible else "",
        "manufacturer": asset.supplier.short_name if asset.supplier else "",
        "serial_number": asset.serial_number or (vehicle.vin if vehicle else "") or "",
        "year_made": asset.year_made,
        "accepted_on": asset.accepted_on,
        "commissioned_on": asset.commissioned_on,
        "account": asset.balance_account or (category.balance_account if category else ""),
        "property_kind": category.property_kind.label if category else "",
        "book_value": asset.book_value,
        "depreciation": asset.depreciation,
        "residual_value": asset.residual_value,
        "useful_life_months": asset.useful_life_months,
        "opened_on": asset.accepted_on or (asset.created_at.date() if asset.created_at else None),
        "closed_on": asset.written_off_on,
        "movements": movements,
        "disposal": ({"reason": act.reason.label if act.reason else "", "document": f"{act.form_code} № {act}",
                      "date": act.act_date} if act is not None and asset.written_off_on else None),
    }
