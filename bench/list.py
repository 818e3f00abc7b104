"""Lists at a million assets, side by side with stock Flask-Admin (not a test; run it by hand, with nice).

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test nice python bench/list.py [--assets 1000000]
        [--url postgresql://…/existing_db] [--keep]

Builds N assets in a scratch PostgreSQL database (bench/http_tools.py), serves the app and a stock
``ModelView(Asset)`` one after the other with gunicorn and the project's gunicorn.conf.py (2 workers), and
times p50/p95 of 20 requests per page as a logged-in user: the default list, a page deep in the list, a
filtered and sorted list, a search by a name fragment, by an exact inventory number, and the home page.
Prints the EXPLAIN ANALYZE of the two searches' page queries. Last line:
RESULT db=… assets=… list_p50_ms=… stock_list_p50_ms=… search_name_p50_ms=… search_inv_p50_ms=… dashboard_p50_ms=…
stock_dashboard_p50_ms=…
"""
from __future__ import annotations

import argparse
import re

from http_tools import Client, Server, database, inventory_number, timed

NAME_FRAGMENT = "принтер"  # one of 40 kinds: 25 000 of 1M assets
TWO_WORDS = "монитор samsung"


def explain(url: str, paths: list[str]) -> None:
    """EXPLAIN ANALYZE of every query on the asset table that showing each list URL runs (its count and its
    page), captured from the app itself as it builds the page."""
    from flask_login import login_user
    from sqlalchemy import event

    from app import create_app
    from models import User, db

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    view = next(v for v in app.extensions["admin"][0]._views if getattr(v, "endpoint", None) == "asset")
    for path in paths:
        with app.test_request_context(path):
            login_user(db.session.scalars(db.select(User).where(User.username == "bench")).one())
            seen = []

            def capture(conn, cursor, statement, parameters, context, executemany):
                if re.search(r"\bFROM asset\b", statement) and statement.lstrip().upper().startswith("SELECT"):
                    seen.append((statement, parameters))  # noqa: B023 (runs inside the loop)
            event.listen(db.engine, "before_cursor_execute", capture)
            try:
                args = view._get_list_extra_args()
                sort = view._get_column_by_idx(args.sort)
                view.get_list(args.page, sort[0] if sort else None, args.sort_desc, args.search, args.filters)
            finally:
                event.remove(db.engine, "before_cursor_execute", capture)
            with db.engine.connect() as conn:
                for statement, parameters in seen:
                    plan = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + statement,
                                                parameters).scalars().all()
                    print(f"--- EXPLAIN {path}\n{statement}\n{parameters}\n" + "\n".join(plan), flush=True)
            db.session.remove()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assets", type=int, default=1_000_000)
    parser.add_argument("--url", help="an existing database built by this bench (skips building)")
    parser.add_argument("--keep", action="store_true", help="keep the built database (its URL is printed)")
    args = parser.parse_args()

    url, drop = database(args.url, args.assets, "bench_list")
    if args.keep:
        print(f"database kept: {url}", flush=True)
    try:
        middle = inventory_number(args.assets // 2 + 7)
        ours = {
            "list": "/admin/asset/",
            "deep page": "/admin/asset/?page=5000",
            "filtered+sorted": "/admin/asset/?flt0_0=in_storage&sort=4&desc=1",
            "search name": f"/admin/asset/?search={NAME_FRAGMENT}",
            "search two words": f"/admin/asset/?search={TWO_WORDS.replace(' ', '+')}",
            "search inv": f"/admin/asset/?search={middle}",
            "dashboard": "/admin/",
        }
        stock = {"list": "/admin/asset/", "deep page": "/admin/asset/?page=5000",
                 "search name": f"/admin/asset/?search={NAME_FRAGMENT}", "dashboard": "/admin/"}
        results = {}
        with Server(url) as server:
            client = Client(server.port)
            client.login("bench")
            _, page = client.get(ours["list"])
            print(f"ours: list page {len(page.encode()) // 1024} KB", flush=True)
            for name, path in ours.items():
                results[("ours", name)] = timed(client, path)
                print(f"ours  {name:18} p50 {results[('ours', name)][0]:8.1f} ms  p95 {results[('ours', name)][1]:8.1f} ms",
                      flush=True)
        with Server(url, app="bench.stock_app:create()") as server:
            client = Client(server.port)
            _, page = client.get(stock["list"])
            print(f"stock: list page {len(page.encode()) // 1024} KB", flush=True)
            for name, path in stock.items():
                results[("stock", name)] = timed(client, path)
                print(f"stock {name:18} p50 {results[('stock', name)][0]:8.1f} ms  p95 {results[('stock', name)][1]:8.1f} ms",
                      flush=True)
        explain(url, [ours["search name"], ours["search two words"], ours["search inv"]])
    finally:
        if not args.keep:
            drop()
    p50 = {key: value[0] for key, value in results.items()}
    print(f"RESULT db=postgresql assets={args.assets} list_p50_ms={p50[('ours', 'list')]:.0f} "
          f"stock_list_p50_ms={p50[('stock', 'list')]:.0f} search_name_p50_ms={p50[('ours', 'search name')]:.0f} "
          f"search_inv_p50_ms={p50[('ours', 'search inv')]:.0f} dashboard_p50_ms={p50[('ours', 'dashboard')]:.0f} "
          f"stock_dashboard_p50_ms={p50[('stock', 'dashboard')]:.0f}")


if __name__ == "__main__":
    main()
