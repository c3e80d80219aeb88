"""What every job shares: options, setup, the one-line ending, clean failures.

A job is ``run(ctx)``: it reads, computes, renders and writes through
``ctx.wiki``.  This module turns command-line words into a context and every
expected failure into one clear line and a non-zero exit code.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pywikibot

from bot.config import Config, ConfigError, load_config
from bot.limits import HEADROOM, byte_size, fit_lines, left_out_note
from bot.model import PageData
from bot.taxonomy import Taxonomy
from bot.wiki.lease import Lease, LeaseHeld, lease_title
from bot.wiki.pages import (
    EditConflict,
    PageTooBig,
    SaveRefused,
    ShutoffError,
    Wiki,
    max_page_bytes,
)
from bot.wiki.site import WikiError
from bot.wikitext.sections import MarkerError, Markers, read_section, replace_section

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_CONFIG = 2
EXIT_STOPPED = 3


@dataclass
class Options:
    config_path: str | None = None
    force: bool = False
    rematch: bool = False
    full: bool = False
    progress: bool = False
    round: str | None = None
    max_notices: int = 0
    verbose: bool = False
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class Context:
    job: str
    config: Config
    wiki: Wiki
    options: Options
    problems: int = 0

    def summary(self, what: str) -> str:
        """An edit summary that names the job and links to the task page."""
        return f"Let's Connect {self.job}: {what} ([[{self.config.bot.task_page}|about the bot]])"

    def report(self, line: str) -> None:
        print(f"{self.job}: {line}")


def load_taxonomy(ctx: Context) -> Taxonomy:
    folder = ctx.config.path.parent
    return Taxonomy.load(folder / "skills.yaml", folder / "regions.yaml")


def write_section(
    ctx: Context, title: str, section: str, content: str, current: PageData, source: str
) -> None:
    """Put ``content`` between the section's markers; a page with broken markers is
    reported and left as it is, and the run goes on with the other pages.

    The last guard against a page the wiki would refuse as too big: when the page
    with ``content`` is larger than the wiki accepts, the section keeps its first
    whole lines and ends with a visible note saying how many were left out; when not
    even that fits (people's own text fills the page), the page is left as it is.
    Either way the run's notes say so and the run goes on.
    """
    markers = Markers(ctx.config.templates.start_marker, ctx.config.templates.end_marker)
    limit = max_page_bytes(ctx.wiki.site)
    cut: list[int] = []

    def change(old: str) -> str:
        return _fitted(old, section, content, markers, limit, cut)

    try:
        ctx.wiki.update(
            title,
            change,
            ctx.summary(f"update the {section} from {source}"),
            watch=lambda text: _section_or_none(text, section, markers),
        )
    except MarkerError as error:
        ctx.problems += 1
        ctx.report(f"[[{title}]] left untouched: {error}")
    except PageTooBig as error:
        ctx.problems += 1
        ctx.report(f"[[{title}]] left untouched: {error}")
    if cut:
        ctx.wiki.counters.notes.append(
            f"[[{title}]]: {cut[-1]:,} lines of the {section} were left out, or the page would "
            f"be larger than the wiki allows ({(limit + HEADROOM) // 1024:,} KiB); the page "
            "says so where they would be"
        )


def _fitted(
    old: str, section: str, content: str, markers: Markers, limit: int, cut: list[int]
) -> str:
    """The page with ``content`` in its section, shortened to ``limit`` bytes if need be
    (``cut`` gets how many lines were left out)."""
    text = replace_section(old, section, content, markers)
    if byte_size(text) <= limit:
        return text
    room = limit - byte_size(replace_section(old, section, "", markers))
    fitted = fit_lines(content, room, lambda n: left_out_note(n, limit + HEADROOM))
    if fitted is None:
        raise PageTooBig(
            f"the page is already larger than the wiki allows "
            f"({(limit + HEADROOM) // 1024:,} KiB) without the {section}, so the bot cannot "
            "add it; shorten or archive the page"
        )
    shortened, left_out = fitted
    cut.append(left_out)
    return replace_section(old, section, shortened, markers)


def _section_or_none(text: str, section: str, markers: Markers) -> str | None:
    try:
        return read_section(text, section, markers)
    except MarkerError:
        return None


def progress_printer(job: str) -> Callable[[int, int], None]:
    """Progress lines for people watching a long run; scheduled runs stay quiet."""

    def show(done: int, total: int) -> None:
        print(f"{job}: read {done} of {total or '?'} pages", flush=True)

    return show


def parse_options(args: list[str]) -> Options:
    options = Options()
    for arg in args:
        name, _, value = arg.partition(":")
        if name == "-force":
            options.force = True
        elif name == "-rematch":
            options.rematch = True
        elif name == "-full":
            options.full = True
        elif name == "-progress":
            options.progress = True
        elif name == "-round":
            options.round = value
        elif name == "-max-notices":
            if not value.isdigit():
                raise ConfigError(f"-max-notices:N needs a whole number, got '{value}'")
            options.max_notices = int(value)
        elif name in {"-v", "-verbose"}:
            options.verbose = True
        elif name.startswith("-") and name[1:]:
            raise ConfigError(f"unknown option '{arg}' (see -help)")
        else:
            raise ConfigError(f"unexpected argument '{arg}' (see -help)")
    return options


def run_job(job: str, args: tuple[str, ...], body: Callable[[Context], None], doc: str) -> int:
    """Set up Pywikibot and the config, run ``body``, and end with one summary line.

    Every way a run can end is one line (on stderr when it did not finish) and an
    exit code; the state page is written last by each job, so a run that stops
    half-way is redone by the next.  The lease is given back however it ends.
    """
    if "-help" in args or "-h" in args:
        print(doc)
        return EXIT_OK
    started = time.monotonic()
    lease: Lease | None = None
    verbose = "-v" in args or "-verbose" in args
    try:
        from bot.wiki.site import connect, require_user_config

        # Both before handle_args, which creates the Site and may already talk to the wiki
        # (a login with the saved cookies): a configuration mistake costs no request.
        # -config:FILE.yaml is in LETSCONNECT_CONFIG by now (bot.cli), and handle_args
        # would take any -config for Pywikibot's own.
        require_user_config()
        config = load_config()
        # handle_args writes logs/commands.log and makes the folder with a check-then-mkdir
        # that fails when two jobs start at the same moment on a fresh PYWIKIBOT_DIR.
        os.makedirs(os.path.join(pywikibot.config.base_dir, "logs"), exist_ok=True)
        local = pywikibot.handle_args(list(args) or None, do_help=False)
        if "-help" in local or "-h" in local:
            print(doc)
            return EXIT_OK
        options = parse_options(local)
        verbose = options.verbose
        site = connect()
        wiki = Wiki(
            site,
            simulate=bool(pywikibot.config.simulate),
            max_edits=config.bot.max_edits_per_run,
            progress=progress_printer(job) if options.progress or sys.stdout.isatty() else None,
        )
        ctx = Context(job=job, config=config, wiki=wiki, options=options)
        state = config.state_page(job)
        lease = Lease(
            site, lease_title(state), state, lambda: wiki.revid(state),
            config.bot.lease_minutes, ctx.summary,
        )
        wiki.before_write = lease.ensure
        body(ctx)
    except Exception as error:  # noqa: BLE001 - every ending is one line
        if verbose:
            import traceback

            traceback.print_exc()
        ending = _ending(error)
    else:
        ending = None
    finally:
        if lease is not None:
            lease.release()  # before the last line: nothing is printed after it
    if ending is not None:
        code, message = ending
        if code == EXIT_OK:  # another run is at work: not a failure
            print(f"{job}: {message}", flush=True)
        else:
            print(f"{job}: {message}", file=sys.stderr, flush=True)
        return code
    c = wiki.counters
    mode = " (simulated: nothing saved)" if wiki.simulate else ""
    print(
        f"{job}: read {c.read}, changed {c.changed}, unchanged {c.unchanged}, "
        f"skipped {c.skipped}, problems {ctx.problems} in {time.monotonic() - started:.1f} s{mode}"
    )
    for note in c.notes:
        print(f"{job}: note: {note}")
    return EXIT_OK


NEXT_RUN = "; nothing is lost, the next run does what is missing"


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0][:300]


def _ending(error: Exception) -> tuple[int, str]:
    """The exit code and the one line for a run that ended early."""
    if isinstance(error, LeaseHeld):
        return EXIT_OK, f"stopped: {error}"
    if isinstance(error, ConfigError):
        return EXIT_CONFIG, f"configuration error: {error}"
    if isinstance(error, WikiError):
        return EXIT_FAILED, f"wiki error: {error}"
    if isinstance(error, ShutoffError):
        return EXIT_STOPPED, f"stopped: {error}"
    if isinstance(error, EditConflict | SaveRefused | MarkerError):
        return EXIT_FAILED, f"not finished: {error}"
    if isinstance(error, pywikibot.exceptions.Error):
        return EXIT_FAILED, (f"not finished, the wiki kept failing or refused: "
                             f"{_first_line(error)}{NEXT_RUN}")
    if isinstance(error, OSError):  # the network: refused, reset, unreachable
        return EXIT_FAILED, (f"not finished, the wiki could not be reached: "
                             f"{_first_line(error)}{NEXT_RUN}")
    return EXIT_FAILED, (f"not finished, unexpected {type(error).__name__}: "
                         f"{_first_line(error)} (run with -v for details; please report it)")
