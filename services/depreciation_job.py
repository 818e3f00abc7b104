"""Posting a month's depreciation as a background job (it updates every asset on the books)."""
from datetime import date

from flask_babel import format_decimal, gettext

from models import User
from models.changelog import begin_batch

from .depreciation import AlreadyPosted, post_month
from .jobs import JobRefused, Outcome, handler


@handler("depreciation")
def run_depreciation_job(session, job, progress) -> Outcome:
    month = date.fromisoformat(job.params["month"])
    owner = session.get(User, job.owner_id) if job.owner_id else None
    begin_batch(session, user=owner, comment=f"depreciation {month:%Y-%m}")
    progress.start(None)  # one set-based posting: no rows to count along the way
    try:
        result = post_month(session, month)
    except AlreadyPosted:
        raise JobRefused(gettext("Depreciation for %(month)s has already been posted.", month=f"{month:%m.%Y}"))
    progress.done = result.assets
    return Outcome(gettext("Posted for %(assets)s assets, total %(total)s; moved to account 21: %(moved)s.",
                           assets=result.assets, total=format_decimal(result.total, "#,##0.00"),
                           moved=result.moved_off_balance))
