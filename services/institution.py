"""The institution's settings as every document reads them."""
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import FormFamily, Institution


def settings(session: Session) -> Institution:
    """The one settings row; before an administrator fills it in, an empty one (not saved) so that
    documents print blank requisites rather than fail."""
    found = session.scalars(select(Institution).order_by(Institution.id).limit(1)).first()
    return found if found is not None else Institution(full_name="", form_family=FormFamily.f52n)


# Balance accounts (Инструкция 157н) of soft and household inventory, the only property form 0504143
# writes off: 101.x6 «инвентарь производственный и хозяйственный», 105.x5 «мягкий инвентарь»,
# 105.x6 «прочие материальные запасы» (хозяйственный инвентарь issued for use).
SOFT_HOUSEHOLD_ACCOUNT = re.compile(r"^(101\.\d6|105\.\d[56])(\.|$)")
OFF_BALANCE_ACCOUNT = "21"


def is_soft_household(account: str | None) -> bool:
    return bool(account and SOFT_HOUSEHOLD_ACCOUNT.match(account.strip()))


def account_group(account: str | None) -> str:
    """The balance-account group an act is drawn up for: the synthetic account (101, 105…);
    off-balance account 21 is a group of its own, so its objects never share an act with
    objects on the balance."""
    account = (account or "").strip()
    return account.split(".")[0] if account else ""
