"""What every job shares: options, setup, the one-line ending, clean failures.

A job is ``run(ctx)``: it reads, computes, renders and writes through
``ctx.wiki``.  This module turns command-line words into a context and every
expected failure into one clear line and a non-zero exit code.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import pywikibot

from bot.config import Config, ConfigError, load_config
from bot.i18n.words import left_out_note
from bot.limits import HEADROOM, byte_size, fit_lines
from bot.model import PageData
from bot.taxonomy import Taxonomy
from bot.wiki.errors import EditConflict, PageTooBig, SaveRefused, ShutoffError
from bot.wiki.lease import Lease, LeaseHeld, lease_title
from bot.wiki.pages import Wiki
from bot.wiki.protocol import WikiProtocol
from bot.wiki.site import WikiError
from bot.wikitext.sections import MarkerError, Markers, read_section, replace_section
from bot.wikitext.versions import in_language, version_titles

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_CONFIG = 2
EXIT_STOPPED = 3


#: An option's value: a flag (bool), a whole number (int) or a text (str, None when not given).
OptionValue = bool | int | str | None
#: What every job takes: -v (or -verbose) for the details of a failure, -progress for
#: progress lines on long reads.
COMMON_OPTIONS: dict[str, OptionValue] = {"verbose": False, "progress": False}
ALIASES = {"v": "verbose"}


class Options:
    """A job's options: each job declares its own (name -> default, as Pywikibot's
    ``available_options``) and :func:`parse_options` fills them from the command line."""

    def __init__(self, values: Mapping[str, OptionValue]) -> None:
        self._values = dict(values)

    def flag(self, name: str) -> bool:
        return bool(self._values[name])

    def number(self, name: str) -> int:
        value = self._values[name]
        return value if isinstance(value, int) else 0

    def text(self, name: str) -> str | None:
        value = self._values[name]
        return value if isinstance(value, str) else None


@dataclass
class Context:
    job: str
    config: Config
    wiki: WikiProtocol
    options: Options
    problems: int = 0
    #: What the run read once and shares between its steps (bot.jobs.reads).
    cache: dict[str, object] = field(default_factory=dict)

    def summary(self, what: str) -> str:
        """An edit summary that names the job and links to the task page."""
        return f"Let's Connect {self.job}: {what} ([[{self.config.bot.task_page}|about the bot]])"

    def report(self, line: str) -> None:
        print(f"{self.job}: {line}")


def load_taxonomy(ctx: Context) -> Taxonomy:
    folder = ctx.config.path.parent
    return Taxonomy.load(folder / "skills.yaml", folder / "regions.yaml")


#: A generated page: its base title, its section, and its text in a given language.
Output = tuple[str, str, Callable[[str], str]]


def versions(*outputs: Output) -> dict[str, tuple[str, str, str]]:
    """Title -> (section, content, language) for every language version of every output
    (:mod:`bot.wikitext.versions`), the outputs in the order given, English last in each: it
    links to every other version, so saved after them it shows its links blue at once (a page
    saved in the same second as the page it links to is not rendered again)."""
    pages: dict[str, tuple[str, str, str]] = {}
    for base, section, render in outputs:
        for lang, title in reversed(version_titles(base).items()):
            pages[title] = (section, in_language(render(lang), base, lang), lang)
    return pages


def write_section(
    ctx: Context, title: str, section: str, content: str, current: PageData, source: str,
    lang: str = "en",
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
    limit = ctx.wiki.max_bytes
    cut: list[int] = []

    def change(old: str) -> str:
        return _fitted(old, section, content, markers, limit, cut, lang)

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


def save_export(ctx: Context, title: str, text: str, what: str) -> None:
    """Save a JSON export unless only its "generated" time would change."""
    ctx.wiki.save_json(title, json.loads(text), ctx.summary(f"update the {what} export"),
                       ignore=("generated",))


def _fitted(
    old: str, section: str, content: str, markers: Markers, limit: int, cut: list[int],
    lang: str,
) -> str:
    """The page with ``content`` in its section, shortened to ``limit`` bytes if need be
    (``cut`` gets how many lines were left out)."""
    text = replace_section(old, section, content, markers)
    if byte_size(text) <= limit:
        return text
    room = limit - byte_size(replace_section(old, section, "", markers))
    fitted = fit_lines(content, room, lambda n: left_out_note(n, limit + HEADROOM, lang))
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


def parse_options(args: Iterable[str], available: Mapping[str, OptionValue]) -> Options:
    """The job's options (``available``: name -> default, besides the common ones) from the
    words left after Pywikibot took its own.  A default of False makes a flag (``-full``),
    of an int a whole number (``-max-notices:N``), any other a text (``-round:2026-11``)."""
    defaults = {**COMMON_OPTIONS, **available}
    values = dict(defaults)
    for arg in args:
        name, _, value = arg.partition(":")
        key = ALIASES.get(name[1:], name[1:]) if name.startswith("-") else ""
        if key not in defaults:
            if name.startswith("-") and name[1:]:
                raise ConfigError(f"unknown option '{arg}' (see -help)")
            raise ConfigError(f"unexpected argument '{arg}' (see -help)")
        default = defaults[key]
        if isinstance(default, bool):
            values[key] = True
        elif isinstance(default, int):
            if not value.isdigit():
                raise ConfigError(f"{name}:N needs a whole number, got '{value}'")
            values[key] = int(value)
        else:
            values[key] = value
    return Options(values)


def run_job(job: str, args: tuple[str, ...], body: Callable[[Context], None], doc: str,
            options: Mapping[str, OptionValue]) -> int:
    """Set up Pywikibot and the config, run ``body``, and end with one summary line.

    ``options`` are the job's own (name -> default); the common ones come with them.
    (None: the deploy job's ``-force``, until it passes them itself.)

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
        parsed = parse_options(local, options)
        verbose = parsed.flag("verbose")
        site = connect()
        wiki = Wiki(
            site,
            simulate=bool(pywikibot.config.simulate),
            max_edits=config.bot.max_edits_per_run,
            progress=(progress_printer(job) if parsed.flag("progress") or sys.stdout.isatty()
                      else None),
        )
        ctx = Context(job=job, config=config, wiki=wiki, options=parsed)
        state = config.state_page(job)
        lease = Lease(
            site, lease_title(state), state, lambda: wiki.first_revid(state),
            config.bot.lease_minutes, ctx.summary, peek=wiki.peek,
        )
        wiki.before_write = lease.ensure
        body(ctx)
    except Exception as error:  # noqa: BLE001 - every ending is one line
        if verbose:
            import traceback

            traceback.print_exc()
        ending: tuple[int, str] | None = _ending(error)
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
