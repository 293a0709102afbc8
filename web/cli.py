"""The ``opstap`` command line: run, db upgrade, seed, user create."""

import argparse
import getpass
import logging
import sys

from domain.accounts import Role
from domain.db import make_engine, session_scope
from domain.links import Links
from domain.migrate import upgrade
from domain.services.accounts import create_user
from domain.services.reference import load_esco
from domain.validation import RuleBroken
from web.i18n import explain
from web.settings import Settings


def _prepare(settings: Settings):
    """Migrate the database and load the ESCO reference data; returns the engine."""
    engine = make_engine(settings.database_url)
    upgrade(engine)
    with session_scope(engine) as session:
        added = load_esco(session)
    if added:
        print(f"Loaded {added} ESCO skills and occupations.")
    return engine


def cmd_db_upgrade(settings: Settings, args) -> int:
    _prepare(settings).dispose()
    print("Database is up to date.")
    return 0


def cmd_seed(settings: Settings, args) -> int:
    from seed.demo import seed_demo

    engine = _prepare(settings)
    if not args.demo:
        print("Reference data loaded. Add --demo for demo organisations, offers and candidates.")
        return 0
    with session_scope(engine) as session:
        created = seed_demo(session, Links(settings.secret_key, "http://127.0.0.1:8000"))
    print("Demo data loaded." if created else "Demo data was there already; nothing changed.")
    return 0


def cmd_run(settings: Settings, args) -> int:
    import uvicorn

    from seed.demo import seed_demo
    from web.app import create_app

    engine = _prepare(settings)
    if args.demo:
        with session_scope(engine) as session:
            if seed_demo(session, Links(settings.secret_key, f"http://{args.host}:{args.port}")):
                print("Demo data loaded. Log in as employer@demo.opstap.be with password opstap-demo-2026.")
    engine.dispose()
    print(f"Opstap runs on http://{args.host}:{args.port}" + (f" with {args.workers} worker processes" if args.workers > 1 else ""))
    if args.workers > 1:
        # uvicorn's process manager: it starts the workers, restarts one that dies, and stops them all on
        # SIGINT/SIGTERM. Each worker builds the app from the same environment (``create_app_from_env``).
        uvicorn.run("web.app:create_app_from_env", factory=True, workers=args.workers, host=args.host,
                    port=args.port, log_level="warning")
    else:
        uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="warning")
    return 0


def cmd_reindex(settings: Settings, args) -> int:
    from search.runtime import start_search
    from search.sync import reindex

    engine = _prepare(settings)
    runtime = start_search(settings.data_dir, settings.meili_url, settings.meili_api_key, settings.meili_index_prefix)
    if runtime.search is None:
        print("Meilisearch is not reachable; nothing was rebuilt.", file=sys.stderr)
        return 1
    try:
        counts = reindex(engine, runtime.search)
    finally:
        runtime.close()
        engine.dispose()
    print("Rebuilt " + ", ".join(f"{index}: {count}" for index, count in counts.items()))
    return 0


def cmd_backup(settings: Settings, args) -> int:
    from domain.backup import BackupError, backup

    try:
        target = backup(settings.database_url, args.path)
    except BackupError as error:
        print(f"No backup made: {error}", file=sys.stderr)
        return 1
    print(f"Backup written to {target}.")
    return 0


def cmd_restore(settings: Settings, args) -> int:
    """Restore the database from a backup, then rebuild the search indexes from it."""
    from domain.backup import BackupError, restore

    try:
        restore(settings.database_url, args.path)
    except BackupError as error:
        print(f"Nothing restored: {error}", file=sys.stderr)
        return 1
    print(f"Database restored from {args.path}.")
    if args.no_reindex:
        return 0
    return cmd_reindex(settings, args)


def cmd_jobs(settings: Settings, args) -> int:
    """One round of the background jobs (expire interest requests, keep the pool fresh, deliver queued mail),
    e.g. from cron."""
    from web.background import run_jobs_once

    engine = _prepare(settings)
    try:
        done = run_jobs_once(engine, settings)
    finally:
        engine.dispose()
    print(f"Done: {done} steps (requests expired, questions asked, profiles or offers paused, mails delivered).")
    return 0


def cmd_token_create(settings: Settings, args) -> int:
    from domain.services.api_tokens import create_token_for_email

    engine = _prepare(settings)
    try:
        with session_scope(engine) as session:
            secret = create_token_for_email(session, args.email, args.name or "")
    except RuleBroken as broken:
        for violation in broken.violations:
            print(f"{violation.field}: {explain(violation, 'en')}", file=sys.stderr)
        return 2
    print(secret)
    return 0


def cmd_user_create(settings: Settings, args) -> int:
    password = sys.stdin.readline().rstrip("\n") if not sys.stdin.isatty() else getpass.getpass("Password: ")
    engine = _prepare(settings)
    try:
        with session_scope(engine) as session:
            actor = create_user(session, email=args.email, role=Role(args.role), organisation_name=args.org,
                                password=password, name=args.name or "")
    except RuleBroken as broken:
        for violation in broken.violations:
            print(f"{violation.field}: {explain(violation, 'en')}", file=sys.stderr)
        return 2
    print(f"Created {actor.role} {actor.email}" + (f" in {actor.organisation_name}" if actor.organisation_name else ""))
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="opstap", description="Opstap: traineeships for newcomers.")
    sub = p.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="serve Opstap")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.add_argument("--demo", action="store_true", help="load demo data when the database is empty")
    run.add_argument("--workers", type=int, default=1, help="worker processes (uvicorn's process manager)")
    run.set_defaults(handler=cmd_run)

    backup = sub.add_parser("backup", help="write a consistent copy of the database to PATH")
    backup.add_argument("path")
    backup.set_defaults(handler=cmd_backup)
    restore = sub.add_parser("restore", help="replace the database with the backup at PATH, then reindex")
    restore.add_argument("path")
    restore.add_argument("--no-reindex", action="store_true", help="leave the search indexes alone")
    restore.set_defaults(handler=cmd_restore)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply migrations and load reference data").set_defaults(handler=cmd_db_upgrade)

    seed = sub.add_parser("seed", help="load reference data, and demo data with --demo")
    seed.add_argument("--demo", action="store_true")
    seed.set_defaults(handler=cmd_seed)

    sub.add_parser("reindex", help="rebuild every search index from the database").set_defaults(handler=cmd_reindex)
    sub.add_parser("jobs", help="expire interest requests whose time is up and deliver queued e-mail, once "
                   "(every app process also does this in the background)").set_defaults(handler=cmd_jobs)

    token = sub.add_parser("token", help="API tokens")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    token_create = token_sub.add_parser("create", help="print a new API token for a user")
    token_create.add_argument("--email", required=True)
    token_create.add_argument("--name")
    token_create.set_defaults(handler=cmd_token_create)

    user = sub.add_parser("user", help="manage users")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    create = user_sub.add_parser("create", help="create a user; the password is read from standard input")
    create.add_argument("--email", required=True)
    create.add_argument("--role", required=True, choices=[r.value for r in Role if r != Role.CANDIDATE])
    create.add_argument("--org", help="organisation name (created when missing)")
    create.add_argument("--name")
    create.set_defaults(handler=cmd_user_create)
    return p


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = parser().parse_args(argv)
    return args.handler(Settings.from_env(), args)


if __name__ == "__main__":
    sys.exit(main())
