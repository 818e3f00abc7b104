"""Long work off the request: a job queue on Huey, and the ``Job`` rows «Мои задания» shows.

Where jobs run:
- ``REDIS_URL`` set: a Redis queue; ``flask --app app jobs-worker`` processes (any host) take the jobs.
- nothing set (the README's first command): a SQLite queue file in the instance folder, taken by a thread
  of the web process itself, started when a job is queued or the jobs page is opened.
- ``JOBS_MODE=immediate`` (tests): the job runs inside ``enqueue``.

A job is a row (owner, kind, parameters, status, rows done of total, result file, expiry) and one queue
message carrying only its id, serialised as JSON (never a Python object: whoever can write to Redis must not be
able to run code in a worker). The handler for its kind gets the session, the job and a ``Progress``
that writes rows done in its own short transaction, so the page sees it while the work goes on.
Handlers register with ``@handler("kind")``; whoever defines a kind imports this module.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from collections.abc import Callable, Iterable, Iterator

from huey import MemoryHuey, RedisHuey, SqliteHuey
from huey.registry import Message
from huey.serializer import Serializer
from sqlalchemy import select, update

from models import Job, JobStatus, db, utcnow

log = logging.getLogger(__name__)

HANDLERS: dict[str, Callable] = {}
PROGRESS_EVERY_S = 0.5  # how often a running job writes its rows done
KEEP_HOURS = 72  # result files are kept this long unless JOBS_KEEP_HOURS says otherwise


class JobRefused(Exception):
    """What a handler says when the work cannot be done, in the user's words (shown on the jobs page)."""


@dataclass
class Outcome:
    message: str | None = None
    path: Path | None = None  # a result file under the jobs folder
    filename: str | None = None  # the name the user downloads it as


def handler(kind: str):
    """Register ``func(session, job, progress) -> Outcome`` for jobs of ``kind``."""
    def register(func):
        HANDLERS[kind] = func
        return func
    return register


class JsonSerializer(Serializer):
    """Queue messages as JSON: a message is a job id and Huey's bookkeeping, no Python objects."""

    def _serialize(self, data):
        if isinstance(data, Message):
            data = {"message": [list(v) if isinstance(v, Message) else v for v in data]}
        else:
            data = {"value": data}
        return json.dumps(data).encode()

    def _deserialize(self, data):
        data = json.loads(data)
        if "message" in data:
            return Message(*data["message"])
        return data["value"]


class Progress:
    """Rows done of the total, written to the job's row at most every PROGRESS_EVERY_S seconds."""

    def __init__(self, job_id: int):
        self.job_id, self.done, self.total, self._written = job_id, 0, None, 0.0

    def start(self, total: int | None):
        self.total = total
        self._write()

    def advance(self, rows: int = 1):
        self.done += rows
        if time.monotonic() - self._written >= PROGRESS_EVERY_S:
            self._write()

    def counting(self, rows: Iterable) -> Iterator:
        """Pass ``rows`` through, counting them."""
        for row in rows:
            yield row
            self.advance()

    def _write(self):
        # Its own connection and transaction: the job's own work may be one long transaction.
        with db.engine.begin() as connection:
            connection.execute(update(Job).where(Job.id == self.job_id).values(rows_done=self.done,
                                                                               rows_total=self.total))
        self._written = time.monotonic()


# --- the queue -------------------------------------------------------------------------------------

class JobQueue:
    def __init__(self, app):
        self.app = app
        name = app.config.get("JOBS_QUEUE_NAME", "khozchast")
        url = app.config.get("REDIS_URL")
        if app.config.get("JOBS_MODE") == "immediate":
            self.huey, self.embedded = MemoryHuey(name, immediate=True, results=False), False
        elif url:
            self.huey, self.embedded = RedisHuey(name, url=url, results=False, serializer=JsonSerializer()), False
        else:
            queue_file = Path(app.instance_path) / "jobs-queue.sqlite3"
            self.huey = SqliteHuey(name, filename=str(queue_file), results=False, serializer=JsonSerializer())
            self.embedded = True
        self.task = self.huey.task(name="khozchast.run_job")(self._run)
        self._thread = None
        self._lock = threading.Lock()

    def _run(self, job_id: int):
        with self.app.app_context():
            try:
                run(db.session, job_id)
            finally:
                db.session.remove()

    def enqueue(self, job_id: int):
        self.task(job_id)
        self.ensure_embedded_worker()

    def ensure_embedded_worker(self):
        """The web process takes its own queue when no broker is configured: one daemon thread."""
        if not self.embedded:
            return
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self.work, name="khozchast-jobs", daemon=True)
                self._thread.start()

    def work(self, stop: threading.Event | None = None, idle_s: float = 0.5):
        """Take and run queued jobs until ``stop`` is set (forever for the embedded thread)."""
        while stop is None or not stop.is_set():
            task = self.huey.dequeue()
            if task is None:
                time.sleep(idle_s)
                continue
            try:
                self.huey.execute(task)
            except Exception:  # a job's failure is recorded on its row by run(); the worker goes on
                log.exception("job task failed")

    def ping(self) -> bool:
        """The broker answers (always true for the embedded queue file and immediate mode)."""
        if isinstance(self.huey, RedisHuey):
            return bool(self.huey.storage.conn.ping())
        return True


def init_jobs(app) -> JobQueue:
    app.config.setdefault("JOBS_FOLDER", str(Path(app.instance_path) / "jobs"))
    app.config.setdefault("JOBS_KEEP_HOURS", KEEP_HOURS)
    queue = JobQueue(app)
    app.extensions["khozchast_jobs"] = queue
    return queue


def queue_of(app) -> JobQueue:
    return app.extensions["khozchast_jobs"]


def jobs_folder(app) -> Path:
    folder = Path(app.config["JOBS_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# --- jobs as rows ------------------------------------------------------------------------------------

def create(session, owner, kind: str, title: str, params: dict) -> Job:
    """A queued job of ``kind`` for ``owner``; the caller commits, then calls ``submit``."""
    if kind not in HANDLERS:
        raise ValueError(f"no handler for jobs of kind {kind!r}")
    job = Job(owner_id=getattr(owner, "id", None), kind=kind, title=title, params=params, status=JobStatus.queued,
              rows_done=0)
    session.add(job)
    session.flush()
    return job


def submit(app, job_id: int) -> None:
    """Put a committed job on the queue."""
    queue_of(app).enqueue(job_id)


def _set(job_id: int, **values):
    with db.engine.begin() as connection:
        connection.execute(update(Job).where(Job.id == job_id).values(**values))


def run(session, job_id: int) -> None:
    """Run one queued job: its handler's work is committed as a whole, or rolled back and the job failed."""
    from flask import current_app

    job = session.get(Job, job_id)
    if job is None or job.status is not JobStatus.queued:
        return  # gone, or taken already (a message delivered twice)
    kind = job.kind
    session.rollback()  # nothing of ours is open while the progress writer updates the row
    _set(job_id, status=JobStatus.running, started_at=utcnow())
    job = session.get(Job, job_id)
    progress = Progress(job_id)
    try:
        outcome = HANDLERS[kind](session, job, progress) or Outcome()
        session.commit()
    except JobRefused as exc:
        session.rollback()
        _set(job_id, status=JobStatus.failed, finished_at=utcnow(), message=str(exc))
        return
    except Exception as exc:
        session.rollback()
        log.exception("job %s (%s) failed", job_id, kind)
        _set(job_id, status=JobStatus.failed, finished_at=utcnow(), message=type(exc).__name__)
        return
    finished = utcnow()
    keep = timedelta(hours=float(current_app.config["JOBS_KEEP_HOURS"]))
    _set(job_id, status=JobStatus.done, finished_at=finished, rows_done=progress.done,
         rows_total=progress.total if progress.total is not None else progress.done,
         message=outcome.message, result_path=outcome.path.name if outcome.path else None,
         result_name=outcome.filename, expires_at=finished + keep if outcome.path else None)


def result_file(app, job: Job, suffix: str) -> Path:
    """Where a job writes its result file (named by the job, not by anything the user typed)."""
    return jobs_folder(app) / f"job-{job.id}-{int(time.time())}{suffix}"


def stored_file(app, job: Job) -> Path | None:
    if job.status is not JobStatus.done or not job.result_path:
        return None
    path = jobs_folder(app) / Path(job.result_path).name
    return path if path.is_file() else None


def sweep(app, session, now: datetime | None = None) -> int:
    """Remove result files past their time; their jobs say so. Returns how many."""
    now = now or utcnow()
    expired = session.scalars(select(Job).where(Job.status == JobStatus.done, Job.expires_at < now)).all()
    for job in expired:
        if job.result_path:
            (jobs_folder(app) / Path(job.result_path).name).unlink(missing_ok=True)
        job.status, job.result_path = JobStatus.expired, None
    return len(expired)


def estimate_seconds(job: Job, now: datetime | None = None) -> float | None:
    """Seconds left at the pace so far; None until there is a pace to go by."""
    if job.status is not JobStatus.running or not job.started_at or not job.rows_total or not job.rows_done:
        return None
    elapsed = ((now or utcnow()) - job.started_at).total_seconds()
    return max(elapsed * (job.rows_total - job.rows_done) / job.rows_done, 0.0)
