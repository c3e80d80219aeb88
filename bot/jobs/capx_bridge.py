"""What the jobs do with the Capacity Exchange: read it when it is due, and put the
participants' CapX values under their wiki values.

The directory job decides when CapX is read (:func:`allow_capx_read`): at most once a
day, or when a ``capx=yes`` profile is new or changed since the last read; its state page
keeps the values of the last successful read (``"capx"``: only the fields the profile
template holds).  Every job that reads the profiles (directory, match, notify, …) gets
them merged (:func:`with_capx`): the other jobs take the values the directory job kept
and never call CapX.  When CapX cannot be read, the participants keep the values of the
last successful read and the run says so in one line.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime

from bot.capx.client import CapxError, CapxRead, CapxSettings, read_capx, user_agent
from bot.capx.merge import Merged, capx_profiles, merge
from bot.capx.values import CapxState, CapxValues, resolve_record
from bot.directory.build import Directory
from bot.directory.settings import DirectorySettings
from bot.jobs.common import Context
from bot.model import JSON, PageData
from bot.taxonomy import Taxonomy

#: The run's CapX state, once known (bot.jobs.reads keeps the run's reads the same way).
STATE = "capx-state"
#: Set by the directory job: this run may read CapX when a read is due.
MAY_READ = "capx-may-read"
#: The fields each participant took from CapX in this run: user -> field names.
MARKS = "capx-marks"
#: The state page that holds the values: the directory job's.
JOB = "directory"

Reader = Callable[[CapxSettings, Collection[str]], CapxRead]


def capx_settings(ctx: Context) -> CapxSettings:
    c = ctx.config.capx
    return CapxSettings(base_url=c.base_url, user_agent=user_agent(c.contact),
                        timeout=float(c.timeout_seconds), retries=c.retries,
                        page_size=c.page_size)


def allow_capx_read(ctx: Context, state: Mapping[str, object]) -> CapxState:
    """The directory job: CapX may be read in this run (when due), starting from the
    ``capx`` part of the state page it already read (returned)."""
    found = CapxState.from_json(state.get("capx"))
    ctx.cache[STATE] = found
    ctx.cache[MAY_READ] = True
    return found


def capx_state(ctx: Context) -> CapxState:
    """The CapX state of this run: the directory job saves it in its state page."""
    found = ctx.cache.get(STATE)
    if not isinstance(found, CapxState):
        found = CapxState.from_json(ctx.wiki.read_json(ctx.config.state_page(JOB)).get("capx"))
        ctx.cache[STATE] = found
    return found


def save_card_values(ctx: Context, directory: Directory, before: CapxState) -> None:
    """The page the profile card reads (``capxPage`` in Module:Let's Connect): each
    participant's values that came from CapX, so that the card shows them marked.  Not
    written while nobody uses CapX (``before``: the state as the run found it)."""
    data = card_values(directory, capx_marks(ctx))
    if not data["participants"] and not before.users:
        return
    title = ctx.config.export_page("capx")
    ctx.wiki.read([title])
    ctx.wiki.save_json(title, data, ctx.summary("the values taken from the Capacity Exchange"))


def card_values(directory: Directory, marks: Mapping[str, Sequence[str]]
                ) -> dict[str, dict[str, dict[str, JSON]]]:
    """User -> field -> the value the profile took from CapX (ids, codes, a text)."""
    people: dict[str, dict[str, JSON]] = {}
    for profile in directory.profiles:
        fields = marks.get(profile.user, ())
        if fields and profile.consent:
            values: dict[str, JSON] = {}
            for name in fields:
                value = getattr(profile, name)
                values[name] = list(value) if isinstance(value, tuple) else str(value)
            people[profile.user] = values
    return {"participants": dict(sorted(people.items()))}


def capx_marks(ctx: Context) -> dict[str, tuple[str, ...]]:
    """User -> the fields of their profile that came from CapX in this run."""
    marks = ctx.cache.get(MARKS)
    return dict(marks) if isinstance(marks, Mapping) else {}


def with_capx(ctx: Context, pages: Sequence[PageData], directory: Directory,
              settings: DirectorySettings, taxonomy: Taxonomy, now: datetime,
              reader: Reader | None = None) -> Directory:
    """The directory with every ``capx=yes`` participant's empty fields filled from CapX
    (their values of the last successful read; read again first when the directory job
    allows it and a read is due)."""
    users = capx_profiles(pages, directory, settings)
    if not users:  # nobody asks for CapX: not even the directory state is read for it
        known = ctx.cache.get(STATE)
        if isinstance(known, CapxState):
            ctx.cache[STATE] = known.kept(())
        return directory
    state = capx_state(ctx)
    if ctx.cache.get(MAY_READ) is True and ctx.config.capx.base_url:
        state = _refresh(ctx, state, users, taxonomy, now, reader or read_capx)
    state = state.kept(users)
    ctx.cache[STATE] = state
    merged: Merged = merge(directory, users, state.users, settings.skills_page)
    ctx.cache[MARKS] = dict(merged.from_capx)
    return merged.directory


def _refresh(ctx: Context, state: CapxState, users: Mapping[str, tuple[str, int]],
             taxonomy: Taxonomy, now: datetime, reader: Reader) -> CapxState:
    inputs = {page: revid for page, revid in users.values()}
    if not state.due(inputs, now):
        return state
    try:
        read = reader(capx_settings(ctx), list(users))
    except CapxError as error:
        kept = sum(1 for u in users if u in state.users)
        ctx.report(f"the Capacity Exchange could not be read ({error}); {kept} of "
                   f"{len(users)} capx=yes participants keep the values of the last "
                   "successful read")
        return state
    values = {user: resolve_record(read.records[user], read.tree, taxonomy)
              if user in read.records else CapxValues(found=False) for user in users}
    ctx.report(f"read the Capacity Exchange: {len(read.records)} of {len(users)} capx=yes "
               f"participants found, {read.requests} requests")
    return CapxState(now.isoformat(timespec="seconds"), inputs, values)
