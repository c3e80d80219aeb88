"""CapX values under the wiki's: a ``capx=yes`` participant's empty fields filled from
their CapX profile, and what could not be taken told in plain words.

The wiki wins: a field the entry gives is never touched.  Region and country come as a
pair, and only when the entry gives neither (a country alone already gives its region).
A problem about a CapX value is only told when that value would have been used: an
unmapped capacity to share means nothing to someone whose entry lists what they share.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from bot.capx.values import CapxValues
from bot.directory.build import Directory
from bot.directory.fields import yes_no
from bot.directory.owners import entry_owner, page_owner, profile_entries
from bot.directory.settings import DirectorySettings
from bot.i18n.problems import PROFILE, render
from bot.model import PageData, Problem, ProblemParam, Profile

#: The problem codes of this module; their messages are ``letsconnect-problem-<code>`` in
#: the catalogue's ``capx`` group (bot/i18n/capx/).
UNMAPPED, UNKNOWN_LANGUAGE, UNKNOWN_TERRITORY, NOT_FOUND = (
    "capx-unmapped", "capx-unknown-language", "capx-unknown-territory", "capx-not-found")
#: The wiki's problems that a value from CapX answers.
ANSWERED = {"languages": "no-languages", "share": "empty-profile", "learn": "empty-profile"}


def capx_profiles(pages: Sequence[PageData], directory: Directory,
                  settings: DirectorySettings) -> dict[str, tuple[str, int]]:
    """User -> (page, revision) of every profile that says ``capx=yes`` and
    ``consent=yes`` and is not quarantined (an entry nobody vouches for asks nothing of
    CapX), read from the revision the directory used."""
    by_title = {p.title: p for p in pages}
    found: dict[str, tuple[str, int]] = {}
    for profile in directory.profiles:
        if not profile.consent or profile.status == "quarantined":
            continue
        page = by_title.get(profile.page)
        revision = next((r for r in page.revisions if r.revid == profile.revision),
                        None) if page else None
        if page is None or revision is None or "capx" not in revision.text.casefold():
            continue  # most entries never mention capx: no second parse for them
        owner = page_owner(page.title, settings.prefixes)
        entries = [e for e in profile_entries(revision, page.title, settings)
                   if entry_owner(e, owner) == profile.user]
        if entries and yes_no(entries[-1].params.get("capx", "")) is True:
            found[profile.user] = (profile.page, profile.revision)
    return found


@dataclass(frozen=True)
class Merged:
    directory: Directory
    #: User -> the fields of their profile that came from CapX, in FIELDS order.
    from_capx: Mapping[str, tuple[str, ...]]


def merge(directory: Directory, capx_users: Mapping[str, tuple[str, int]],
          values: Mapping[str, CapxValues], skills_page: str) -> Merged:
    """The directory with each ``capx_users`` participant's empty fields taken from
    ``values`` (none for a participant CapX was never read for)."""
    profiles: list[Profile] = []
    problems = list(directory.problems)
    marks: dict[str, tuple[str, ...]] = {}
    for profile in directory.profiles:
        found = values.get(profile.user) if profile.user in capx_users else None
        if found is None:
            profiles.append(profile)
            continue
        merged, taken, told = _fill(profile, found, skills_page)
        answered = {ANSWERED[f] for f in taken if f in ANSWERED}
        if "empty-profile" in answered and not (merged.share or merged.learn):
            answered.discard("empty-profile")
        problems = [p for p in problems
                    if not (p.user == profile.user and p.page == profile.page
                            and p.code in answered)]
        problems.extend(told)
        notes = {*profile.notes, *(p.code for p in told)} - answered
        profiles.append(replace(merged, notes=tuple(sorted(notes))))
        if taken:
            marks[profile.user] = taken
    return Merged(
        Directory(tuple(profiles), tuple(sorted(set(problems), key=_problem_key))), marks)


def _problem_key(p: Problem) -> tuple[str, ...]:
    return (p.page, p.user, p.field, p.code, p.value, p.message)


def _fill(profile: Profile, values: CapxValues, skills_page: str
          ) -> tuple[Profile, tuple[str, ...], list[Problem]]:
    told: list[Problem] = []

    def tell(code: str, field: str, value: str, *params: ProblemParam) -> None:
        told.append(capx_problem(profile.page, profile.user, code, field, value, *params))

    if not values.found:
        tell(NOT_FOUND, "capx", "yes", profile.user)
        return profile, (), told
    changes: dict[str, object] = {}
    if not profile.share and values.share:
        changes["share"] = values.share
    if not profile.learn and values.learn:
        changes["learn"] = values.learn
    for field, name in values.unmapped:
        if not getattr(profile, field):
            tell(UNMAPPED, field, name, name, (PROFILE + "capx-word-" + field,), skills_page)
    if not profile.languages:
        if values.languages:
            changes["languages"] = values.languages
        for name in values.unknown_languages:
            tell(UNKNOWN_LANGUAGE, "languages", name, name)
    if not profile.region and not profile.country:
        if values.region:
            changes["region"], changes["country"] = values.region, values.country
        for name in values.unknown_territories:
            tell(UNKNOWN_TERRITORY, "region", name, name)
    if not profile.affiliation and values.affiliation:
        changes["affiliation"] = values.affiliation
    taken = tuple(f for f in ("share", "learn", "languages", "region", "country",
                              "affiliation") if changes.get(f))
    return replace(profile, **changes), taken, told  # type: ignore[arg-type]


def capx_problem(page: str, user: str, code: str, field: str, value: str,
                 *params: ProblemParam) -> Problem:
    """A problem of this module, its English text from the catalogue."""
    key = PROFILE + code
    return Problem(page=page, user=user, code=code, field=field, value=value,
                   message=render(key, params, "en", user), key=key, params=params)
