"""One selection protocol for every batch tool: "the ticked rows" or "everything the list found".

A ``Selection`` is built once from the request and used by export, bulk edit, write-off, transfers and every
later batch tool. Ticked ids arrive as ``rowid`` values (Flask-Admin's action form; ticks made on other pages
are carried by static/khozchast.js) or as ``ids=1,2,3``; ``found=1`` with the list's own query string means
everything the list's search and filters find. Ids are parsed by admin_views/ids.py: anything that is not a
plain ASCII number is ignored, never a 500. "All found" builds the list's query without the count the list
page would run.
"""
from dataclasses import dataclass

from flask import request
from flask_babel import ngettext
from sqlalchemy import func, select

from .ids import parse_ids


@dataclass
class Selection:
    view: object
    ticked: list[int] | None  # None: everything the list found

    @classmethod
    def from_request(cls, view, ids=None) -> "Selection":
        if ids is None:
            ids = request.values.getlist("rowid") + request.values.getlist("ids")
        ticked = parse_ids(ids)
        if ticked or not request.values.get("found"):
            return cls(view, ticked)
        return cls(view, None)

    @property
    def is_found(self) -> bool:
        return self.ticked is None

    def query(self):
        """The ORM query of the selected rows (for "found": in the list's order)."""
        if self.is_found:
            return self.view.found_query()
        pk = getattr(self.view.model, self.view.scaffold_pk())
        return self.view.get_query().filter(pk.in_(self.ticked))

    def id_select(self):
        """``SELECT id`` of the selection, for set-based services."""
        pk = getattr(self.view.model, self.view.scaffold_pk())
        return self.query().order_by(None).with_entities(pk).statement

    def ids(self, session) -> list[int]:
        if not self.is_found:
            return list(self.ticked)
        return list(session.scalars(self.id_select()))

    def count(self, session) -> int:
        if not self.is_found:
            return len(self.ticked)
        return session.scalar(select(func.count()).select_from(self.id_select().subquery()))

    def args(self) -> dict:
        """URL arguments that rebuild this selection on the next page (a tool's form, its preview)."""
        if self.is_found:
            return {**request.args.to_dict(flat=True), "found": "1"}
        return {"ids": ",".join(map(str, self.ticked))}

    def describe(self, session) -> str:
        """What the selection is, for a person: «3 selected records» / «all 1 234 records the list found»."""
        n = self.count(session)
        if self.is_found:
            return ngettext("the %(num)s record the list found", "all %(num)s records the list found", n)
        return ngettext("%(num)s selected record", "%(num)s selected records", n)

