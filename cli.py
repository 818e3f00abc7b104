"""Command-line commands: ``flask --app app seed-demo``, ``create-user``, ``depreciation``, ``jobs-worker``,
``backup``, ``restore``."""
import click
from flask import Flask

from models import Role, db
from models.changelog import begin_batch


def register_cli(app: Flask) -> None:
    @app.cli.command("create-user")
    @click.argument("username")
    @click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
    @click.option("--full-name", default=None)
    def create_user_command(username, role, password, full_name):
        """Create a user with ROLE (password from --password or a prompt)."""
        from services.accounts import AccountError, create_user

        begin_batch(db.session, username="cli")
        try:
            create_user(db.session, username, password, role, full_name=full_name)
        except AccountError as exc:
            raise click.ClickException(str(exc))
        db.session.commit()
        click.echo(f"User {username} ({role}) created.")

    @app.cli.command("seed-demo")
    def seed_demo_command():
        """Fill an empty database with a realistic demo office and one user per role."""
        from services.demo import DemoRefused, seed_demo

        begin_batch(db.session, username="seed-demo")
        try:
            summary = seed_demo(db.session)
        except DemoRefused as exc:
            # Skipping (exit 0) keeps the README's start command repeatable.
            click.echo(f"seed-demo skipped: {exc}")
            return
        db.session.commit()
        for line in summary:
            click.echo(line)

    @app.cli.command("depreciation")
    @click.option("--month", required=True, help="The month to post, YYYY-MM (e.g. 2026-11).")
    def depreciation_command(month):
        """Post one month's depreciation for all assets (once per month, one change-log batch)."""
        from services.depreciation import AlreadyPosted, parse_month, post_month

        try:
            first = parse_month(month)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--month")
        begin_batch(db.session, username="depreciation", comment=f"depreciation {first:%Y-%m}")
        try:
            result = post_month(db.session, first)
        except AlreadyPosted as exc:
            db.session.rollback()
            raise click.ClickException(str(exc))
        db.session.commit()
        click.echo(f"Depreciation for {first:%Y-%m} posted: {result.assets} assets, total {result.total}; "
                   f"moved to off-balance account 21: {result.moved_off_balance}; batch {result.batch_id}.")

    @app.cli.command("jobs-worker")
    @click.option("--workers", default=1, show_default=True, help="Jobs run at once by this process (threads).")
    def jobs_worker_command(workers):
        """Take background jobs from the queue (Redis when REDIS_URL is set) until stopped (Ctrl+C, SIGTERM)."""
        from services.jobs import queue_of

        queue = queue_of(app)
        if queue.huey.immediate:
            raise click.ClickException("JOBS_MODE=immediate runs jobs where they are queued; no worker needed.")
        click.echo(f"Taking jobs from {'Redis' if app.config.get('REDIS_URL') else 'the local queue file'} "
                   f"with {workers} worker(s).")
        queue.huey.create_consumer(workers=workers, worker_type="thread", periodic=False).run()

    @app.cli.command("backup")
    @click.argument("target", type=click.Path(dir_okay=False, writable=True))
    def backup_command(target):
        """Write a consistent copy of the database to TARGET (SQLite: online backup; PostgreSQL: pg_dump -Fc)."""
        from services.backup import backup

        backup(db.engine.url, target)
        click.echo(f"Backup written to {target}.")

    @app.cli.command("restore")
    @click.argument("source", type=click.Path(exists=True, dir_okay=False))
    @click.option("--yes", is_flag=True, help="Do not ask: replace the database's contents.")
    def restore_command(source, yes):
        """Replace the database's contents with the backup SOURCE (stop the web and job workers first)."""
        from services.backup import restore

        if not yes:
            click.confirm(f"Replace everything in {db.engine.url.render_as_string(hide_password=True)} "
                          f"with {source}?", abort=True)
        db.session.remove()
        db.engine.dispose()
        restore(db.engine.url, source)
        click.echo(f"Restored from {source}.")

    @app.cli.command("sweep-imports")
    def sweep_imports_command():
        """Delete import uploads nobody confirmed before they expired (uploads also sweep; this is for cron)."""
        from services.import_jobs import sweep

        swept = sweep(db.session)
        db.session.commit()
        click.echo(f"Expired import jobs deleted: {swept}.")
