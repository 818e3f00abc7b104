"""Eight clerks at once on a million assets (not a test; run it by hand, with nice).

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test nice python bench/load.py [--assets 1000000]
        [--url postgresql://…/db built by bench/list.py --keep] [--seconds 60] [--clerks 8]

Serves the app with gunicorn and the project's gunicorn.conf.py (2 workers) on 127.0.0.1 and lets each clerk
(its own login and keep-alive connection, a thread here) work for --seconds: lists with filters and sorts,
searches (name fragments, exact inventory numbers), record details, and edit saves through the real form
(CSRF token and record version); a quarter of the saves go to 10 hot records. Every saved edit appends a
token to the record's notes, so a save that overwrote another's change shows as a token missing at the end
(a lost update); the optimistic lock must refuse those saves instead. Bounded: the clock, and at most
--max-requests per clerk. Loopback only. Last line:
RESULT db=postgresql clerks=… req_per_s=… list_p95_ms=… search_p95_ms=… http_5xx=… lost_updates=…
"""
from __future__ import annotations

import argparse
import random
import threading
import time
from collections import defaultdict

from http_tools import (TYPES, Client, FormReader, Server, database, inventory_number, percentile)

HOT = 10


def filter_args(url: str) -> dict[str, str]:
    """Query-string names of the asset list's filters the clerks use, as the app numbers them."""
    from flask_admin.contrib.sqla import filters

    from app import create_app
    from admin_views.pickers import LookupFilter

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    view = next(v for v in app.extensions["admin"][0]._views if getattr(v, "endpoint", None) == "asset")
    with app.test_request_context():
        wanted = {"status": filters.EnumEqualFilter, "responsible_id": LookupFilter, "category_id": filters.IntEqualFilter}
        found = {}
        for idx, flt in enumerate(view._filters):
            key = getattr(getattr(flt, "column", None), "key", None)
            if key in wanted and type(flt) is wanted[key] and key not in found:
                found[key] = f"flt0_{view.get_filter_arg(idx, flt)}"
    return found


class Clerk(threading.Thread):
    def __init__(self, n, port, assets, args_of, deadline, max_requests, stats):
        super().__init__(daemon=True)
        self.n, self.port, self.assets, self.args_of = n, port, assets, args_of
        self.deadline, self.max_requests, self.stats = deadline, max_requests, stats
        self.rnd = random.Random(n)
        self.saved_tokens = []  # (hot record id, token) of saves that succeeded

    def timed(self, kind, method, path, form=None):
        started = time.perf_counter()
        status, text, headers = self.client.request(method, path, form)
        elapsed = (time.perf_counter() - started) * 1000
        with self.stats["lock"]:
            self.stats[kind].append(elapsed)
            self.stats["requests"] += 1
            if status >= 500:
                self.stats["5xx"] += 1
        return status, text

    def some_asset(self):
        return self.rnd.randint(1, self.assets)

    def run(self):
        self.client = Client(self.port)
        self.client.login(f"clerk{self.n}")
        done = 0
        while time.monotonic() < self.deadline and done < self.max_requests:
            done += 1
            r = self.rnd.random()
            if r < 0.35:
                choice = self.rnd.randrange(4)
                if choice == 0:
                    path = f"/admin/asset/?{self.args_of['status']}=" + self.rnd.choice(["in_storage", "under_repair"])
                elif choice == 1:
                    path = f"/admin/asset/?{self.args_of['responsible_id']}={self.rnd.randint(1, 3000)}"
                elif choice == 2:
                    path = f"/admin/asset/?{self.args_of['category_id']}={self.rnd.randint(1, 40)}&sort=4&desc=1"
                else:
                    path = f"/admin/asset/?page={self.rnd.randint(0, 200)}"
                self.timed("list", "GET", path)
            elif r < 0.60:
                if self.rnd.random() < 0.5:
                    term = self.rnd.choice(TYPES).split()[0].lower()
                else:
                    term = inventory_number(self.some_asset())
                self.timed("search", "GET", f"/admin/asset/?search={term.replace(' ', '+')}")
            elif r < 0.80:
                self.timed("details", "GET", f"/admin/asset/details/?id={self.some_asset()}")
            else:
                self.save()

    def save(self):
        hot = self.rnd.random() < 0.25
        record = self.rnd.randint(1, HOT) if hot else self.some_asset()
        status, page = self.timed("edit form", "GET", f"/admin/asset/edit/?id={record}")
        if status != 200:
            return
        form = FormReader.read(page)
        token = f"c{self.n}-{time.monotonic_ns() % 10**9}"
        form["notes"] = (form.get("notes", "") + " " + token).strip()[-2000:]
        status, text = self.timed("save", "POST", f"/admin/asset/edit/?id={record}&url=/admin/asset/", form)
        with self.stats["lock"]:
            if status == 302:
                self.stats["saved"] += 1
                if hot:
                    self.saved_tokens.append((record, token))
            elif status == 200 and "изменил другой пользователь" in text:  # the optimistic lock's refusal
                self.stats["refused stale"] += 1
            else:
                self.stats["save other"] += 1


def lost_updates(url: str, clerks) -> tuple[int, int]:
    """(tokens of successful hot saves missing from the records' notes now, tokens checked)."""
    from sqlalchemy import create_engine, text

    from app import database_url

    engine = create_engine(database_url(url, "."))
    with engine.connect() as conn:
        notes = dict(conn.execute(text("SELECT id, coalesce(notes, '') FROM asset WHERE id <= :hot"), {"hot": HOT}).all())
    engine.dispose()
    tokens = [t for c in clerks for t in c.saved_tokens]
    return sum(1 for record, token in tokens if token not in notes[record].split()), len(tokens)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assets", type=int, default=1_000_000)
    parser.add_argument("--url", help="an existing database built by bench/list.py --keep")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--clerks", type=int, default=8)
    parser.add_argument("--max-requests", type=int, default=5000, help="per clerk, a bound besides the clock")
    args = parser.parse_args()

    url, drop = database(args.url, args.assets, "bench_load")
    try:
        args_of = filter_args(url)
        stats = defaultdict(list)
        stats.update({"lock": threading.Lock(), "requests": 0, "5xx": 0, "saved": 0, "refused stale": 0,
                      "save other": 0})
        with Server(url) as server:
            deadline = time.monotonic() + args.seconds
            clerks = [Clerk(n, server.port, args.assets, args_of, deadline, args.max_requests, stats)
                      for n in range(1, args.clerks + 1)]
            started = time.monotonic()
            for clerk in clerks:
                clerk.start()
            for clerk in clerks:
                clerk.join(args.seconds + 120)
            elapsed = time.monotonic() - started
        lost, checked = lost_updates(url, clerks)
    finally:
        drop()
    print(f"{args.clerks} clerks, {elapsed:.0f} s, {stats['requests']} requests ({stats['requests'] / elapsed:.1f}/s)")
    for kind in ("list", "search", "details", "edit form", "save"):
        values = stats[kind]
        print(f"  {kind:10} n={len(values):5}  p50 {percentile(values, 50):7.0f} ms  p95 {percentile(values, 95):7.0f} ms")
    print(f"  saves: {stats['saved']} saved, {stats['refused stale']} refused as stale, {stats['save other']} other; "
          f"hot-record tokens checked {checked}, lost {lost}; HTTP 5xx: {stats['5xx']}")
    print(f"RESULT db=postgresql clerks={args.clerks} req_per_s={stats['requests'] / elapsed:.1f} "
          f"list_p95_ms={percentile(stats['list'], 95):.0f} search_p95_ms={percentile(stats['search'], 95):.0f} "
          f"http_5xx={stats['5xx']} lost_updates={lost}")


if __name__ == "__main__":
    main()
