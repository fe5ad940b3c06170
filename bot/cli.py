"""`putokaz`: run the bot, chat with it in a terminal, and check content and catalogs."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.config import PACKAGE_ROOT, ConfigError, Settings

EXIT_CONFIG = 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "command_function"):
        parser.print_help()
        return EXIT_CONFIG
    try:
        return args.command_function(args)
    except ConfigError as error:
        print(f"putokaz: {error}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="putokaz",
        description="Putokaz: an orientation bot for refugees and migrants in Serbia, North Macedonia and "
                    "Bulgaria. Settings come from PUTOKAZ_* environment variables (see README).")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    run = commands.add_parser("run", help="serve the web chat and every configured channel",
                              description="Serve the web chat at http://PUTOKAZ_HOST:PUTOKAZ_PORT/, the Telegram "
                                          "bot when PUTOKAZ_TELEGRAM_TOKEN is set (webhook mode when "
                                          "PUTOKAZ_TELEGRAM_WEBHOOK_URL is set, else polling), and /healthz. "
                                          "SIGTERM or SIGINT finish updates in flight and close the database.")
    run.set_defaults(command_function=_run)

    chat = commands.add_parser("chat", help="talk to the bot in this terminal",
                               description="The same engine in a terminal: type text or /commands, a number to "
                                           "press a button, 'loc LAT,LON' to share a location, Ctrl-D to leave.")
    chat.set_defaults(command_function=_chat)

    content = commands.add_parser("content", help="work with the content folder").add_subparsers(
        title="content commands", metavar="COMMAND")
    check = content.add_parser("check", help="validate every content file",
                               description="Validate places, countries, services and articles; print "
                                           "file:line: message for each problem; exit 1 on errors.")
    check.add_argument("--max-age-days", type=int, default=180, metavar="N",
                       help="warn about review dates older than N days (default 180)")
    check.add_argument("--dir", type=Path, default=None, help="content folder (default PUTOKAZ_CONTENT_DIR)")
    check.set_defaults(command_function=_content_check)
    coverage = content.add_parser("coverage", help="count translated, machine, missing and stale articles",
                                  description="For every language (UI catalogs in PUTOKAZ_LOCALES_DIR, English and "
                                              "each folder under articles/) and section: how many English articles "
                                              "it has, how many are machine translations, which are missing and "
                                              "which are stale.")
    coverage.add_argument("--dir", type=Path, default=None, help="content folder (default PUTOKAZ_CONTENT_DIR)")
    coverage.add_argument("--format", choices=["table", "json"], default="table", help="output (default table)")
    coverage.add_argument("--strict", action="store_true",
                          help="exit 1 when a UI language misses a legal, emergency or privacy article")
    coverage.set_defaults(command_function=_content_coverage)
    new = content.add_parser("new", help="start an article, a translation, a service or an event",
                             description="Write a new page, translation, service or event with every field in place; "
                                         "it passes `content check` as written. Prints the path written; "
                                         "exit 2 when it refuses.").add_subparsers(title="what", metavar="KIND")
    new_article = new.add_parser("article", help="a new English page, or with --lang a human translation")
    new_article.add_argument("--id", required=True, help="the page id, [a-z0-9-], at most 40 characters")
    new_article.add_argument("--section", default=None, help="legal | emergency | privacy | about | integration")
    new_article.add_argument("--country", action="append", default=[], help="a country it applies to (repeatable)")
    new_article.add_argument("--place", action="append", default=[], help="a place it applies to (repeatable)")
    new_article.add_argument("--lang", default="en", help="en (default) or the language of a translation")
    new_article.add_argument("--dir", type=Path, default=None, help="content folder (default PUTOKAZ_CONTENT_DIR)")
    new_article.set_defaults(command_function=_content_new, kind="article")
    new_service = new.add_parser("service", help="append a service to services/<country>.yaml")
    new_service.add_argument("--id", required=True, help="the service id, [a-z0-9-], at most 40 characters")
    new_service.add_argument("--place", required=True, help="the place id, like rs-sid")
    new_service.add_argument("--dir", type=Path, default=None, help="content folder (default PUTOKAZ_CONTENT_DIR)")
    new_service.set_defaults(command_function=_content_new, kind="service")
    new_event = new.add_parser("event", help="append an event to events/<country>.yaml, a week from today")
    new_event.add_argument("--id", required=True, help="the event id, [a-z0-9-], at most 40 characters")
    new_event.add_argument("--place", required=True, help="the place id, like rs-sid")
    new_event.add_argument("--category", default="community",
                           help="training | language-class | legal-info | health | community (default) | children")
    new_event.add_argument("--dir", type=Path, default=None, help="content folder (default PUTOKAZ_CONTENT_DIR)")
    new_event.set_defaults(command_function=_content_new, kind="event")

    announce = commands.add_parser(
        "announce", help="send an event to its subscribers now, with a progress bar",
        description="Queues the event for every subscriber of its places and category (each in their language; "
                    "nobody twice, however often it runs) and sends it at the channels' rates, showing sent, failed "
                    "and remaining with an ETA. Stopped or crashed, run it again: it goes on where it stopped. "
                    "The running server sends queued announcements too.")
    announce.add_argument("event", help="the event's id, as in content/events/<country>.yaml")
    announce.add_argument("--dry-run", action="store_true", help="show who would get it, and how, without sending")
    announce.set_defaults(command_function=_announce)

    questions = commands.add_parser("questions", help="what people asked").add_subparsers(title="what",
                                                                                         metavar="ACTION")
    report = questions.add_parser("report", help="the questions the guide did not answer well, grouped",
                                  description="Unanswered, weakly answered and disliked questions from the anonymised "
                                              "log, grouped by similarity per language and place, biggest first.")
    report.add_argument("--days", type=int, default=30, help="look back this many days (default 30)")
    report.add_argument("--place", default=None, help="only this place id, like rs-sid")
    report.add_argument("--lang", default=None, help="only this language code, like fa")
    report.add_argument("--format", choices=["table", "csv"], default="table", help="output (default table)")
    report.add_argument("--limit", type=int, default=50, help="at most this many groups (default 50)")
    report.set_defaults(command_function=_questions_report)

    coordinator = commands.add_parser("coordinator", help="invite, list, edit and revoke coordinators").add_subparsers(
        title="action", metavar="ACTION")
    invite = coordinator.add_parser("invite", help="register a coordinator and print their one-time invite",
                                    description="Prints a one-time invite code (valid 72 hours) and a Telegram link; "
                                                "the coordinator opens the link or sends /coordinator <code> to the "
                                                "bot in a private chat.")
    invite.add_argument("--name", required=True, help="how the network knows them")
    invite.add_argument("--places", required=True, help="place ids or country codes, comma-separated: rs-sid,rs")
    invite.add_argument("--topics", required=True,
                        help="comma-separated: legal, health, shelter, education, work, protection, other, or all")
    invite.add_argument("--languages", default="", help="languages they answer in, comma-separated: sr,en")
    invite.set_defaults(command_function=_coordinator, action="invite")
    listed = coordinator.add_parser("list", help="every coordinator, registered or not, revoked or not")
    listed.set_defaults(command_function=_coordinator, action="list")
    revoke = coordinator.add_parser("revoke", help="take a coordinator's access away at once")
    revoke.add_argument("id", type=int)
    revoke.set_defaults(command_function=_coordinator, action="revoke")
    change = coordinator.add_parser("edit", help="change a coordinator's name, places, topics or languages")
    change.add_argument("id", type=int)
    change.add_argument("--name")
    change.add_argument("--places")
    change.add_argument("--topics")
    change.add_argument("--languages")
    change.set_defaults(command_function=_coordinator, action="edit")

    viber = commands.add_parser("viber", help="the Viber bot account").add_subparsers(title="what", metavar="ACTION")
    set_webhook = viber.add_parser(
        "set-webhook", help="register PUTOKAZ_PUBLIC_URL + /viber/webhook with Viber and print Viber's answer",
        description="Viber calls the webhook back at once and accepts it only when it answers 200, so start the "
                    "server (putokaz run) first. Exit 0 when Viber says ok, 1 when it refuses, 2 on a setting.")
    set_webhook.set_defaults(command_function=_viber_set_webhook)

    i18n = commands.add_parser("i18n", help="extract, update, compile and check UI string catalogs")
    i18n.add_argument("action", choices=["extract", "update", "compile", "check", "init"],
                      help="extract: bot/ -> locales/messages.pot; update: .pot -> every messages.po; "
                           "compile: .po -> .mo; check: report out-of-date or untranslated catalogs; "
                           "init LANG: start the catalog of a new UI language")
    i18n.add_argument("language", nargs="?", default=None, help="for init: a language code, like ku or sr_Latn")
    i18n.set_defaults(command_function=_i18n)
    return parser


def _setup_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Library request logs at DEBUG carry URLs with the bot token; keep them out of every level.
    for noisy in ("httpx", "telegram.ext", "telegram.request", "aiohttp.access", "alembic"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))


def _run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    from bot import memory
    from bot.app import StartupError, serve

    memory.fewer_arenas()
    _setup_logging(settings.log_level)
    try:
        _event_loop_runner()(serve(settings))
    except StartupError as error:
        print(f"putokaz: cannot start, fix these and start again:\n{error}", file=sys.stderr)
        return 1
    return 0


def _event_loop_runner():
    """uvloop's run where it is installed (libuv: the server's loop overhead roughly halves, bench/load.py), else
    asyncio's."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run
    return uvloop.run


def _chat(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    from bot.app import StartupError, build
    from bot.channels.terminal.adapter import TerminalChannel

    _setup_logging("WARNING")

    async def talk() -> None:
        services = await build(settings)
        try:
            await TerminalChannel(handle=services.engine.handle, rtl=services.translator.is_rtl).run()
        finally:
            await services.close()

    try:
        asyncio.run(talk())
    except StartupError as error:
        print(f"putokaz: cannot start, fix these and start again:\n{error}", file=sys.stderr)
        return 1
    return 0


def _content_check(args: argparse.Namespace) -> int:
    from bot.content.check import check, format_problems

    root = args.dir or Settings.from_env().content_dir
    if not root.is_dir():
        raise ConfigError(f'--dir must be a folder of content, got "{root}"')
    problems = check(root, today=dt.date.today(), max_age_days=args.max_age_days)
    if problems:
        print(format_problems(problems))
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    print(f"{errors} error(s), {warnings} warning(s) in {root}", file=sys.stderr)
    return 1 if errors else 0


def _content_coverage(args: argparse.Namespace) -> int:
    from bot.content.coverage import catalog_locales, coverage

    settings = Settings.from_env()
    root = args.dir or settings.content_dir
    if not root.is_dir():
        raise ConfigError(f'--dir must be a folder of content, got "{root}"')
    found = coverage(root, catalog_locales(settings.locales_dir))
    print(json.dumps(found.as_json(), ensure_ascii=False, indent=2) if args.format == "json" else found.table())
    gaps = found.required_missing() if args.strict else {}
    for locale, missing in gaps.items():
        print(f"putokaz: {locale} misses {', '.join(missing)}", file=sys.stderr)
    return 1 if gaps else 0


def _content_new(args: argparse.Namespace) -> int:
    from bot.content.scaffold import ScaffoldError, new_article, new_event, new_service

    root = args.dir or Settings.from_env().content_dir
    if not root.is_dir():
        raise ConfigError(f'--dir must be a folder of content, got "{root}"')
    try:
        if args.kind == "service":
            path = new_service(root, service_id=args.id, place=args.place, today=dt.date.today())
        elif args.kind == "event":
            path = new_event(root, event_id=args.id, place=args.place, category=args.category, today=dt.date.today())
        else:
            path = new_article(root, article_id=args.id, section=args.section, countries=args.country,
                               places=args.place, language=args.lang, today=dt.date.today())
    except ScaffoldError as error:
        print(f"putokaz: {error}", file=sys.stderr)
        return EXIT_CONFIG
    print(path)
    return 0


def _questions_report(args: argparse.Namespace) -> int:
    from rich.console import Console

    from bot.report import as_csv, as_table, group
    from bot.storage import database_url, open_database

    if args.days < 1:
        raise ConfigError(f"--days must be 1 or more, got {args.days}")
    if args.limit < 1:
        raise ConfigError(f"--limit must be 1 or more, got {args.limit}")
    settings = Settings.from_env()
    since = dt.date.today() - dt.timedelta(days=args.days)

    async def read():
        database = await open_database(database_url(settings.database_url, settings.data_dir))
        try:
            return await database.questions.since(since, place=args.place, language=args.lang)
        finally:
            await database.close()

    logged = asyncio.run(read())
    groups = group(logged)[:args.limit]
    if args.format == "csv":
        sys.stdout.write(as_csv(groups))
    else:
        as_table(groups, since, len(logged), Console())
    return 0


def _announce(args: argparse.Namespace) -> int:
    import signal

    from bot.announcing import announce

    settings = Settings.from_env()
    _setup_logging("WARNING")

    async def until_stopped() -> int:
        # `kill` (SIGTERM) stops as Ctrl-C does: what is being sent finishes and is recorded, the rest waits for
        # the next run, so a stopped announcement repeats nothing and loses nothing.
        task = asyncio.current_task()
        assert task is not None
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
        try:
            return await announce(settings, args.event, dry_run=args.dry_run)
        except asyncio.CancelledError:
            print("putokaz: announcement stopped; run the same command again to go on", file=sys.stderr)
            return 130

    return asyncio.run(until_stopped())


def _viber_set_webhook(args: argparse.Namespace) -> int:
    import json

    import aiohttp

    from bot.channels.viber.adapter import EVENT_TYPES, WEBHOOK_PATH
    from bot.channels.viber.api import ViberAPI, ViberError

    settings = Settings.from_env()
    if not settings.viber_token:
        raise ConfigError("PUTOKAZ_VIBER_TOKEN must be set to the token from the Viber bot's settings, got nothing")
    if not settings.public_url:
        raise ConfigError("PUTOKAZ_PUBLIC_URL must be set to the https address where Viber reaches this server, "
                          "like https://putokaz.example.org, got nothing")
    url = settings.public_url + WEBHOOK_PATH

    async def call():
        async with aiohttp.ClientSession() as session:
            api = ViberAPI(token=settings.viber_token, session=session, api_url=settings.viber_api_url)
            return await api.set_webhook(url, EVENT_TYPES)

    try:
        answer = asyncio.run(call())
    except ViberError as error:
        print(f"putokaz: Viber did not answer at {settings.viber_api_url}: {error}", file=sys.stderr)
        return 1
    print(f"set_webhook {url}")
    print(json.dumps(answer.body, ensure_ascii=False, indent=2))
    if answer.status != 0:
        print(f"putokaz: Viber refused: {answer.name} ({answer.status}) {answer.message}", file=sys.stderr)
        return 1
    return 0


def _coordinator(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from bot.content.loader import load_content
    from bot.core.identity import Pseudonyms
    from bot.core.model import TOPICS
    from bot.privacy.sealing import Sealer
    from bot.storage import database_url, open_database
    from bot.storage.coordinators import SqlCoordinators

    settings = Settings.from_env()
    pack, _ = load_content(settings.content_dir, today=dt.date.today())
    known_places = {p.id for p in pack.places()} | {c.code for c in pack.countries()}

    def listed(option: str, value: str | None, allowed: set[str]) -> list[str] | None:
        if value is None:
            return None
        items = [item.strip() for item in value.split(",") if item.strip()]
        if not items and option != "--languages":
            raise ConfigError(f"{option} must name at least one, got \"{value}\"")
        for item in items:
            if item not in allowed:
                raise ConfigError(f"{option}: unknown \"{item}\"; one of {', '.join(sorted(allowed))}")
        return items

    places = listed("--places", getattr(args, "places", None), known_places)
    topics = listed("--topics", getattr(args, "topics", None), {*TOPICS, "all"})
    languages = listed("--languages", getattr(args, "languages", None), set(_ui_languages(settings)))
    if topics and "all" in topics and len(topics) > 1:
        raise ConfigError(f"--topics: \"all\" stands alone, got \"{args.topics}\"")
    key = settings.load_secret_key()

    async def act():
        database = await open_database(database_url(settings.database_url, settings.data_dir))
        registry = SqlCoordinators(database.engine, Pseudonyms(key), Sealer(key))
        try:
            if args.action == "invite":
                return await registry.invite(args.name, places or [], topics or [], languages or [])
            if args.action == "list":
                return await registry.all()
            if args.action == "revoke":
                return await registry.revoke(args.id)
            return await registry.edit(args.id, name=args.name, places=places, topics=topics, languages=languages)
        finally:
            await database.close()

    result = asyncio.run(act())
    if args.action == "invite":
        coordinator, code = result
        bot = settings.telegram_username or "<your_bot>"
        print(f"Coordinator {coordinator.id}: {coordinator.name}")
        print(f"Invite code (one use, valid 72 hours): {code}")
        print(f"Telegram link: https://t.me/{bot}?start=c_{code}")
        if settings.viber_uri:
            print(f"Viber link: viber://pa?chatURI={settings.viber_uri}&context=c_{code}")
        print(f"Or send the bot, in a private Telegram or Viber chat: /coordinator {code}")
        if settings.telegram_username is None:
            print("(set PUTOKAZ_TELEGRAM_USERNAME to your bot's username to print the real link)")
        return 0
    if args.action == "list":
        table = Table(title=f"{len(result)} coordinators")
        for name in ("id", "name", "places", "topics", "languages", "registered", "revoked"):
            table.add_column(name)
        for c in result:
            table.add_row(str(c.id), c.name, ",".join(c.places), ",".join(c.topics), ",".join(c.languages),
                          "yes" if c.registered else "no", "yes" if c.revoked else "no")
        Console().print(table)
        return 0
    if not result:
        print(f"putokaz: no coordinator {args.id} to {args.action}" +
              (" (or nothing to change)" if args.action == "edit" else " (or already revoked)"), file=sys.stderr)
        return 1
    print(f"Coordinator {args.id}: {'revoked' if args.action == 'revoke' else 'changed'}")
    return 0


def _ui_languages(settings: Settings) -> list[str]:
    locales = settings.locales_dir
    return [p.parent.parent.name for p in locales.glob("*/LC_MESSAGES/messages.po")] + ["sr_Latn"]


def _i18n(args: argparse.Namespace) -> int:
    from bot.i18n import catalogs

    root = PACKAGE_ROOT
    if args.action == "init":
        if not args.language:
            print("putokaz: i18n init needs a language code, like: putokaz i18n init ku", file=sys.stderr)
            return 2
        try:
            print(catalogs.init(root, args.language))
        except (ValueError, FileExistsError) as error:
            print(f"putokaz: {error}", file=sys.stderr)
            return 2
        return 0
    if args.language:
        print(f"putokaz: i18n {args.action} takes no language", file=sys.stderr)
        return 2
    if args.action == "check":
        problems = catalogs.check(root)
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    getattr(catalogs, args.action)(root)
    return 0
