"""The pages and exports every job writes, read back and checked against the data."""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import wikitextparser as wtp

from bot.directory.build import Directory
from bot.directory.pages import (
    render_by_skill,
    render_directory,
    render_export,
    render_problems,
)
from bot.i18n.catalogue import messages, read_catalogue
from bot.limits import per_entry
from bot.matching.pages import render_round, render_round_export
from bot.matching.values import MatchResult
from bot.model import Problem, Profile
from bot.notices.decide import Item, NoticeSettings, invite_items, profile_items
from bot.notices.text import Messages, Recipient, TextSettings, render_section
from bot.sessions.build import outcome_statuses
from bot.sessions.model import SessionLog
from bot.sessions.pages import (
    render_calendar,
    render_resources,
    render_resources_export,
    render_session_problems,
    render_sessions_export,
    safe_url,
)
from bot.stats.compute import CoffeeGroup, StatsSettings, compute_dashboard
from bot.stats.pages import render_dashboard, render_dashboard_export
from bot.taxonomy import Taxonomy
from bot.wikitext.tables import escape, normalise_user, valid_user_name
from tests.fuzz.run import COUNTS, NOW, ROUND
from tests.fuzz.wikitext import (
    Checker,
    TableSpec,
    check_markup,
    grammar,
    inert,
    parsed_shapes,
    read_page,
    tally,
)

#: The English page's words for those without a region, and for skills in no area.
NO_REGION = messages("letsconnect-directory-")("no-region", "en")
OTHER_SKILLS = messages("letsconnect-directory-")("other-skills", "en")

DIRECTORY_TABLE = TableSpec(
    "directory", ("User", "Country", "Languages", "Affiliation", "Shares", "Wants to learn"),
    ("user", "text", "text", "text", "skills_list", "skills_list"))
SKILL_TABLE = TableSpec(
    "by skill", ("Skill", "Sharers", "Shared by", "Learners", "Wants to learn"),
    ("skill", "number", "users_list", "number", "users_list"))
PROBLEM_TABLE = TableSpec(
    "problems", ("Page", "Owner", "Field", "What is wrong / how to fix"),
    ("page", "user", "text", "told"))
DIRECTORY_PAGE = grammar(
    [DIRECTORY_TABLE], blank="", total=r"[\d,]+ participants? in the directory\.",
    heading=r"== (?P<heading>.+) ==", count=r"[\d,]+ participants?\.")
SKILLS_PAGE = grammar(
    [SKILL_TABLE], blank="", heading=r"== (?P<heading>.+) ==",
    intro="Skills that participants want to learn and no active participant shares, "
          "most wanted first.",
    none="Every skill someone wants to learn has at least one sharer.",
    wanted=r"\* (?P<skill>.+?): wanted by [\d,]+ participants?")
PROBLEMS_PAGE = grammar(
    [PROBLEM_TABLE], blank="", total=r"[\d,]+ problems? on [\d,]+ pages?\.",
    heading=r"== (?P<heading>Quarantined entries) ==",
    intro="These entries are not shown, matched or notified until their owner saves them.",
    none=r"None\.",
    held=r"\* (?P<page>\[\[:[^\[\]]*\]\]|[^:\[\]]*): (?P<user>.*) \([a-z ;]+\)")


def directory_checker(directory: Directory, taxonomy: Taxonomy, pages: Iterable[str]) -> Checker:
    """Links the directory pages may hold: the users and pages in the data, nothing else."""
    users = {p.user for p in directory.profiles} | {p.user for p in directory.problems}
    titles = set(pages) | {p.page for p in directory.profiles} | {p.page for p in
                                                                  directory.problems}
    skills = {s for p in directory.profiles for s in (*p.share, *p.learn)}
    return Checker(users=known_users(users), pages=known_pages(titles),
                   skills=set(taxonomy.skills) | skills)


def known_users(names: Iterable[str]) -> set[str]:
    """The accounts in the data, as a user link names them."""
    return {normalise_user(n) for n in names if valid_user_name(normalise_user(n))}


def known_pages(titles: Iterable[str]) -> set[str]:
    """The pages in the data, as a page link names them."""
    return {":" + " ".join(t.replace("_", " ").split()) for t in titles}


def region_sections(directory: Directory, taxonomy: Taxonomy) -> list[tuple[str, int]]:
    """(heading, participants) of every section of the directory page, in page order."""
    shown = directory.active()
    sections = [(taxonomy.region_label(r, "en"), sum(p.region == r for p in shown))
                for r in taxonomy.regions]
    elsewhere = sum(p.region not in taxonomy.regions for p in shown)
    return sections + ([(NO_REGION, elsewhere)] if elsewhere else [])


def skill_groups(taxonomy: Taxonomy) -> list[tuple[str, int]]:
    """(heading, skills) of every table of the by-skill page."""
    groups = [(taxonomy.area_label(a, "en"), len(area.skills))
              for a, area in taxonomy.areas.items() if area.skills]
    others = sum(s.area not in taxonomy.areas for s in taxonomy.skills.values())
    return groups + ([(OTHER_SKILLS, others)] if others else [])


def check_directory_pages(directory: Directory, taxonomy: Taxonomy,
                          titles: Iterable[str]) -> None:
    """Every page of the directory job: shape, lines, links; and the export."""
    shown = directory.active()
    sections = region_sections(directory, taxonomy)
    checker = directory_checker(directory, taxonomy, titles)
    text = render_directory(directory, taxonomy)
    reading = read_page(text, DIRECTORY_PAGE, checker)
    assert reading.headings == [escape(h) for h, _ in sections]
    assert reading.tables == [("directory", n) for _, n in sections if n]
    assert reading.lines["count"] == len(sections) and reading.lines["total"] == 1
    assert parsed_shapes(text) == [[6] * (n + 1) for _, n in sections if n]
    check_markup(text, checker)
    tally(reading)

    groups = skill_groups(taxonomy)
    checker = directory_checker(directory, taxonomy, titles)
    text = render_by_skill(directory, taxonomy)
    reading = read_page(text, SKILLS_PAGE, checker)
    learners = {s for p in shown for s in p.learn} - {s for p in shown for s in p.share}
    assert reading.headings == [escape(h) for h, _ in groups] + ["Sharers wanted"]
    assert reading.tables == [("by skill", n) for _, n in groups]
    assert reading.lines["wanted"] == len(learners)
    assert parsed_shapes(text) == [[5] * (n + 1) for _, n in groups]
    check_markup(text, checker)
    tally(reading)

    checker = directory_checker(directory, taxonomy, titles)
    text = render_problems(directory, taxonomy)
    reading = read_page(text, PROBLEMS_PAGE, checker)
    problems = listed_rows(directory.problems)
    held = sum(p.status == "quarantined" for p in directory.profiles)
    assert reading.tables == ([("problems", problems)] if problems else [])
    assert reading.lines["held"] == held and reading.lines["none"] == (not held)
    assert parsed_shapes(text) == ([[4] * (problems + 1)] if problems else [])
    check_markup(text, checker, tags=("span",))  # a line in its owner's language
    tally(reading)

    check_directory_export(directory)


def listed_rows(problems: Sequence[Problem]) -> int:
    """Rows of a problems table: at most 20 problems an entry, and a row for the rest."""
    return sum(1 + (more > 0) for _, more in per_entry(problems))


def check_directory_export(directory: Directory) -> None:
    """The export is JSON holding the profiles' values as they are (plain data, not
    wikitext), and only ``user``, ``page`` and ``status`` of a profile not to be shown."""
    data = json.loads(render_export(directory, "2026-11-01T00:00:00Z"))
    assert len(data["participants"]) == len(directory.profiles)
    for exported, profile in zip(data["participants"], directory.profiles, strict=True):
        if profile.consent and profile.status != "quarantined":
            assert exported == profile.as_json()
            assert exported["affiliation"] == profile.affiliation
        else:
            assert exported == {"user": profile.user, "page": profile.page,
                                "status": profile.status}
    listed = [p for p, _ in per_entry(directory.problems)]  # 20 an entry, quotes cut short
    assert [p["message"] for p in data["problems"]] == [p.message for p in listed]
    assert [p["value"] for p in data["problems"]] == [p.value for p in listed]
    COUNTS["exports checked"] += 1

# --- the session pages ------------------------------------------------------------------------

UPCOMING_TABLE = TableSpec(
    "upcoming", ("Date (UTC)", "Session", "Format", "Region", "Languages", "Skills", "Sharers",
                 "Registration"),
    ("text", "session", "text", "text", "text", "skills_list", "users_list", "web"))
SPACES_TABLE = TableSpec(
    "spaces", ("Space", "Organiser", "Region", "Topics", "Languages", "Schedule"),
    ("web", "text", "text", "text", "text", "text"))
PAST_TABLE = TableSpec(
    "past", ("Date (UTC)", "Session", "Format", "Status", "Participants", "Resources"),
    ("text", "page", "text", "text", "text", "text"))  # numbers grouped: "1,234"
SESSION_PROBLEM_TABLE = TableSpec(
    "problems", ("Page", "Field", "What is wrong / how to fix"), ("page", "text", "text"))
#: The calendar's headings for sessions open to every region and for topics in no list.
EVERY_REGION = read_catalogue()["en"]["letsconnect-sessions-every-region"]
OTHER_TOPICS = read_catalogue()["en"]["letsconnect-sessionpage-other-topics"]
#: A link the bot writes, or escaped text (which holds no bracket).
LINKED = r"\[\[:[^\[\]]*\]\]|\[[^\[\]]*\]|[^\[\]]*?"
HEADINGS = {"heading4": r"==== (?P<heading>.+) ====", "heading3": r"=== (?P<heading>.+) ===",
            "heading2": r"== (?P<heading>.+) =="}
RESOURCES_PAGE = grammar(
    [], blank="", **HEADINGS,
    total=r"'''[\d,]+ resources?'''\. (?:[\d,]+ of [\d,]+ held sessions? (?:has|have) at least "
          r"one resource \(\d+%\)|No session has been held yet)\.",
    empty="''No resource has been logged yet.''",
    item=rf"\* (?:[0-9-]+ · )?(?P<web>{LINKED}) \((?P<text>.*?)\)(?: ''no link yet'')?"
         rf"(?: · from (?P<page>{LINKED}))?")
CALENDAR_PAGE = grammar(
    [UPCOMING_TABLE, SPACES_TABLE, PAST_TABLE], blank="", **HEADINGS,
    total=r"'''[\d,]+ upcoming sessions?''' and '''[\d,]+ other learning spaces?'''\. "
          r"Times are in UTC\.",
    nothing=r"''(?:No session is planned yet|Nothing planned yet|No other learning space is "
            r"listed yet|No session has taken place yet)\.''",
    session=rf"\* [0-9-]+(?: [0-9]+&#58;[0-9]+)? · (?P<page>{LINKED}) \((?P<text>[^()]*)\)",
    space=rf"\* (?P<web>{LINKED})(?: \((?P<text>.*)\))?(?: — (?P<text_other>.*))?")
SESSION_PROBLEMS_PAGE = grammar(
    [SESSION_PROBLEM_TABLE], blank="", total=r"[\d,]+ problems? on [\d,]+ pages?\.")


class SessionChecker(Checker):
    """Adds the calendar's session cell: the session's link, perhaps marked cancelled."""

    def session(self, value: str) -> None:
        self.page(value.removesuffix(" ''(cancelled)''"))


def log_checker(log: SessionLog, taxonomy: Taxonomy, titles: Iterable[str]) -> SessionChecker:
    """Links the session pages may hold: the sessions' pages, the linked files, pages and
    web addresses (percent-encoded), the sharers' user pages."""
    links = [r.link for r in log.resources] + [s.registration for s in log.sessions]
    links += [s.link for s in log.spaces]
    pages = set(titles) | {s.page for s in log.sessions} | {p.page for p in log.problems}
    pages |= {link.target for link in links if link.kind in ("file", "page")}
    return SessionChecker(
        users=known_users(u for s in log.sessions for u in s.sharers),
        pages=known_pages(pages),
        skills=set(taxonomy.skills),
        urls={safe_url(link.target) for link in links if link.kind == "url"},
    )


def areas_of(ids: Iterable[str], taxonomy: Taxonomy) -> set[str]:
    """The areas a session's skills or a space's topics are listed under in the calendar."""
    return {taxonomy.skills[i].area if i in taxonomy.skills else i for i in ids
            if i in taxonomy.skills or i in taxonomy.areas or i in taxonomy.thematic_areas}


def calendar_expectations(log: SessionLog, taxonomy: Taxonomy) -> tuple[list, list, int]:
    """Tables (name, rows), headings, and list items the calendar must have."""
    upcoming = [s for s in log.sessions if s.upcoming(NOW)]
    coming = [s for s in upcoming if s.status != "cancelled"]
    past = sorted((s for s in log.sessions if not s.upcoming(NOW)),
                  key=lambda s: (s.start, s.key), reverse=True)
    months = list(dict.fromkeys(s.month for s in past))
    tables = ([("upcoming", len(upcoming))] if upcoming else [])
    tables += [("spaces", len(log.spaces))] if log.spaces else []
    tables += [("past", sum(s.month == m for s in past)) for m in months]
    regions = [r for r in [*taxonomy.regions, ""]
               if any(s.region == r for s in [*coming, *log.spaces])]
    topics = [a for a in [*taxonomy.areas, *taxonomy.thematic_areas]
              if any(a in areas_of(s.skills, taxonomy) for s in coming)
              or any(a in areas_of(s.topics, taxonomy) for s in log.spaces)]
    others = [s for s in log.spaces if s.other_topics]
    headings = ["Upcoming sessions", "By region"]
    headings += [escape(taxonomy.region_label(r, "en")) if r else EVERY_REGION for r in regions]
    headings += ["By topic", *(escape(taxonomy.area_label(a, "en")) for a in topics)]
    headings += [OTHER_TOPICS] if others else []
    headings += ["Other learning spaces", "Past sessions"]
    headings += [datetime.strptime(m, "%Y-%m").strftime("%B %Y") for m in months]
    items = len(coming) + len(log.spaces) + len(others)
    items += sum(len(areas_of(s.skills, taxonomy)) for s in coming)
    items += sum(len(areas_of(s.topics, taxonomy)) for s in log.spaces)
    return tables, headings, items


def resource_items(log: SessionLog, taxonomy: Taxonomy) -> int:
    """List items of the resource index: the newest, then by skill, then by language."""
    if not log.resources:
        return 0
    listed = {s for area in taxonomy.areas.values() for s in area.skills}
    by_skill = sum(len(set(r.skills) & listed) for r in log.resources)
    by_skill += sum(not set(r.skills) & set(taxonomy.skills) for r in log.resources)
    by_language = sum(max(1, len(set(r.languages))) for r in log.resources)
    return min(10, len(log.resources)) + by_skill + by_language


def check_session_pages(log: SessionLog, taxonomy: Taxonomy, titles: Iterable[str]) -> None:
    """The resource index, the calendar, the problems page and the two exports."""
    checker = log_checker(log, taxonomy, titles)
    text = render_resources(log, taxonomy)
    reading = read_page(text, RESOURCES_PAGE, checker)
    assert reading.lines["item"] == resource_items(log, taxonomy)
    assert reading.lines["empty"] == (not log.resources)
    assert parsed_shapes(text) == []
    check_markup(text, checker)
    tally(reading)

    checker = log_checker(log, taxonomy, titles)
    text = render_calendar(log, taxonomy, NOW)
    reading = read_page(text, CALENDAR_PAGE, checker)
    tables, headings, items = calendar_expectations(log, taxonomy)
    assert reading.tables == tables
    assert reading.headings == headings
    assert reading.lines["session"] + reading.lines["space"] == items
    widths = {"upcoming": 8, "spaces": 6, "past": 6}
    assert parsed_shapes(text) == [[widths[name]] * (rows + 1) for name, rows in tables]
    check_markup(text, checker)
    tally(reading)

    checker = log_checker(log, taxonomy, titles)
    text = render_session_problems(log)
    reading = read_page(text, SESSION_PROBLEMS_PAGE, checker)
    problems = listed_rows(log.problems)
    assert reading.tables == ([("problems", problems)] if problems else [])
    assert parsed_shapes(text) == ([[3] * (problems + 1)] if problems else [])
    check_markup(text, checker)
    tally(reading)

    sessions = json.loads(render_sessions_export(log, "t"))["sessions"]
    assert [s["title"] for s in sessions] == [s.title for s in log.sessions]
    assert [s["page"] for s in sessions] == [s.key for s in log.sessions]
    resources = json.loads(render_resources_export(log, "t"))["resources"]
    assert [(r["title"], r["link"]) for r in resources] == [
        (r.title, r.link.target) for r in log.resources]
    COUNTS["exports checked"] += 2

# --- the round page, the dashboard, the notices ----------------------------------------------

GROUP_TABLE = TableSpec(
    "groups", ("Group", "Skill", "Sharer", "Learners", "Language", "Shared context", "Status"),
    ("text", "skill", "user", "users_list", "text", "text", "text"))
WANTED_TABLE = TableSpec("wanted", ("Skill", "Learners waiting"), ("skill", "number"))
UNMATCHED_TABLE = TableSpec("unmatched", ("Participant", "Skill", "Why"),
                            ("user", "skill", "text"))
ROUND_PAGE = grammar(
    [GROUP_TABLE, WANTED_TABLE, UNMATCHED_TABLE], blank="",
    total=r"'''[\d,]+''' groups?, '''[\d,]+''' learners? placed, '''[\d,]+''' wish(?:es)? "
          r"still open this round\.",
    none="''No group this round yet.''", heading3=r"=== (?P<heading>.+) ===")
CHART = 'class="unsortable" | Chart'
DASHBOARD_TABLES = [
    TableSpec("targets", ("Target", "Goal", "Today", 'class="unsortable" | Progress', "Met"),
              ("text", "number", "text", "progress", "text")),
    TableSpec("regions", ("Region", "Participants", "Share", CHART),
              ("text", "number", "text", "bar")),
    TableSpec("countries", ("Country", "Region", "Participants", CHART),
              ("text", "text", "number", "bar")),
    TableSpec("languages", ("Language", "Code", "Participants", CHART),
              ("text", "text", "number", "bar")),
    TableSpec("most wanted", ("Skill", "Learners", "Sharers", CHART),
              ("skill", "number", "number", "bar")),
    TableSpec("most shared", ("Skill", "Sharers", "Learners", CHART),
              ("skill", "number", "number", "bar")),
    TableSpec("months", ("Month", "Sessions held", "Participations", CHART),
              ("text", "number", "text", "bar")),  # participations grouped: "1,200"
    TableSpec("coffees", ("Coffees", "Number", CHART), ("text", "number", "bar")),
]
DASHBOARD_PAGE = grammar(
    DASHBOARD_TABLES, blank="", **HEADINGS,
    met=r"'''[\d,]+''' of '''[\d,]+''' targets? met\.",
    people=r"'''[\d,]+''' active participants? from '''[\d,]+''' countr(?:y|ies), speaking "
           r"'''[\d,]+''' languages?, in '''[\d,]+''' communit(?:y|ies)\.",
    nobody=r"''(?:Nobody yet|No country given yet|No language given yet|Nobody has asked for a "
           r"skill yet|Nobody offers a skill yet|No session has been held yet)\.''",
    intro=r"Skills that participants want to learn and no active participant shares\.",
    none=r"Every skill someone wants to learn has at least one sharer\.",
    wanted=r"\* (?P<skill>.+?): \d+ learners?",
    spaces=r"'''[\d,]+''' sessions? held \('''[\d,]+''' learning clinics?\), '''[\d,]+''' "
           r"participations?; '''[\d,]+''' resources?; '''[\d,]+''' other learning spaces? in the "
           r"calendar\.(?: [\d,]+ held sessions? gives? no count of participants\.)?",
    rate=r"'''Documentation rate''': [0-9.]+% \([\d,]+ of [\d,]+ held sessions? (?:has|have) "
         r"at least one resource\)\.",
    ideas=r"Ideas for the next clinics: the skills participants most want to learn that had no "
          r"clinic in the last (?:month|\d+ months) and have none planned\.",
    recent=r"Every wanted skill had a clinic recently\.",
    hot=r"# (?P<skill>.+?) \(\d+ learners?\)")
BAR = re.compile(r'(?:<span class="letsconnect-bar" style="display:inline-block;width:\d+\.\d\dem;'
                 r'height:0\.8em;background:#[0-9a-f]{6};vertical-align:middle;"></span>)?')


class DashboardChecker(Checker):
    """Adds the bars: a span of the bot's own style, or nothing."""

    def bar(self, value: str) -> None:
        if not BAR.fullmatch(value):
            self.fail("bar", value)

    def progress(self, value: str) -> None:
        found = re.fullmatch(r'<span style="display:inline-block;width:12\.00em;background:'
                             r'#c8ccd1;vertical-align:middle;line-height:0;">(.*)</span>', value)
        if found is None:
            self.fail("progress bar", value)
        self.bar(found[1])


def check_round_page(result: MatchResult, taxonomy: Taxonomy,
                     statuses: dict[str, str]) -> None:
    """The round's page (its groups, the skills without sharers, who stayed unmatched, each
    a table of its own) and its export."""
    users = {u for g in result.groups for u in g.members} | {u.user for u in result.unmatched}
    skills = {g.skill for g in result.groups} | {u.skill for u in result.unmatched}
    checker = Checker(users=known_users(users), pages=set(),
                      skills=set(taxonomy.skills) | skills | set(result.sharers_wanted))
    text = render_round(result, taxonomy, statuses)
    reading = read_page(text, ROUND_PAGE, checker)
    tables = [("groups", len(result.groups))] if result.groups else []
    tables += [("wanted", len(result.sharers_wanted))] if result.sharers_wanted else []
    tables += [("unmatched", len(result.unmatched))] if result.unmatched else []
    assert reading.tables == tables
    widths = {"groups": 7, "wanted": 2, "unmatched": 3}
    assert parsed_shapes(text) == [[widths[name]] * (rows + 1) for name, rows in tables]
    check_markup(text, checker)
    tally(reading)
    data = json.loads(render_round_export(result, "t"))
    assert [g["sharer"] for g in data["groups"]] == [g.sharer for g in result.groups]
    COUNTS["exports checked"] += 1


def check_dashboard(profiles: Sequence[Profile], log: SessionLog, result: MatchResult,
                    taxonomy: Taxonomy) -> None:
    """The dashboard: a table per figure, bars of the bot's own style, and its export."""
    groups = [CoffeeGroup(ROUND, g.id, g.sharer, g.skill) for g in result.groups]
    statuses = outcome_statuses(log.outcomes)
    settings_ = StatsSettings(targets={"communities": 5, "coffees": 2, "clinics": 1,
                                       "documented_percent": 50},
                              ambassadors=(profiles[0].user,) if profiles else ())
    dashboard = compute_dashboard(profiles, log, groups, statuses, settings_, now=NOW)
    f = dashboard.figures
    skills = {s for p in profiles for s in (*p.share, *p.learn)}
    checker = DashboardChecker(users=set(), pages=set(), skills=set(taxonomy.skills) | skills)
    text = render_dashboard(dashboard, taxonomy)
    reading = read_page(text, DASHBOARD_PAGE, checker)
    rows = [("targets", len(dashboard.targets)), ("regions", len(f["regions"])),
            ("countries", len(f["countries"])), ("languages", len(f["languages"])),
            ("most wanted", len(f["learn_top"])), ("most shared", len(f["share_top"])),
            ("months", len(f["sessions_by_month"])), ("coffees", 3)]
    tables = [(name, n) for name, n in rows if n or name in ("targets", "coffees")]
    assert reading.tables == tables
    assert reading.lines["wanted"] == len(f["sharers_wanted"])
    assert reading.lines["hot"] == len(f["hot_topics"])
    widths = {spec.name: len(spec.headers) for spec in DASHBOARD_TABLES}
    assert parsed_shapes(text) == [[widths[name]] * (n + 1) for name, n in tables]
    check_markup(text, checker, tags=("span",))
    tally(reading)
    json.loads(render_dashboard_export(dashboard, "t"))
    COUNTS["exports checked"] += 1


NOTICE_SETTINGS = TextSettings(task_page="Grants:Knowledge Sharing/Connect/Bot",
                               problems_page="Grants:Knowledge Sharing/Connect/Problems",
                               outcomes_page="Grants:Knowledge Sharing/Connect/Coffees")
NOTICE_MARKER = re.compile(r"<!-- letsconnect-(?:notice:[a-z]+:[0-9a-f]{16}|section:"
                           r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) -->")
NOTICE_CODE = re.compile(r'<code dir="ltr"(?: style="white-space:nowrap")?><nowiki>'
                         r"\{\{(?:Let's Connect/Outcome\|group=(?:\d{4}-\d\d-\d{3,}"
                         r"|[^{}<>\[\]|]*)\|held=yes\|summary=…|bots\|optout=letsconnect-notify)"
                         r"\}\}</nowiki></code>")
NOTICE_FUNCTION = re.compile(r"\{\{(?:GENDER:(?P<user>[^{}\[\]|]*)\|[^{}\[\]|]*\|[^{}\[\]|]*\|"
                             r"[^{}\[\]|]*|#time:[^{}\[\]|]*\|\d{4}-\d\d-\d\d\|"
                             r"[a-z]+(?:-[a-z]+)*)\}\}")
NOTICE_LINK = re.compile(r"\[\[(?P<target>[^\[\]|]+)\|(?P<label>[^\[\]|]*)\]\]")


def check_notice(section: Any, checker: Checker, users: set[str]) -> None:
    """A notice section: the bot's own markers, links, codes and parser functions, then text
    in which nothing starts markup; the signature once, at the end of the footer."""
    assert "\n" not in section.heading and inert(section.heading)
    lines = section.body.split("\n")
    assert re.fullmatch(r'<div lang="[a-z]+(?:-[a-z]+)*" dir="(?:ltr|rtl)">', lines[0]), lines[0]
    assert lines[-1] == "</div>" and lines[-2].endswith(" ~~~~")
    assert section.body.count("~~~") == 1
    accepted = Counter()
    for line in lines[1:-1]:
        rest = line.removesuffix(" ~~~~")
        rest, markers = NOTICE_MARKER.subn("", rest)
        rest, codes = NOTICE_CODE.subn("", rest)
        for found in NOTICE_FUNCTION.finditer(rest):
            assert found["user"] is None or found["user"] in users, found[0]
        rest, functions = NOTICE_FUNCTION.subn("", rest)
        for found in NOTICE_LINK.finditer(rest):
            assert found["target"] in checker.pages, found[0]
            checker.text(found["label"])
        rest, links = NOTICE_LINK.subn("", rest)
        rest = re.sub(r'<bdi(?: dir="ltr")?>|</bdi>', "", rest)  # isolates (right to left)
        rest = re.sub(r'^\*\* (?:<span lang="en" dir="ltr">(.*)</span>)?', r"\1", rest)
        rest = re.sub(r"^\* ", "", rest).replace("'''", "").replace("''", "")
        checker.text(rest.replace("'", "&#39;"))
        accepted.update(comments=markers, codes=codes, functions=functions, links=links)
    parsed = wtp.parse(section.body)
    assert len(parsed.wikilinks) == accepted["links"]
    # wikitextparser takes GENDER for a template, #time for a parser function.
    calls = [str(c) for c in [*parsed.templates, *parsed.parser_functions]]
    assert len(calls) == accepted["functions"], calls
    assert all(NOTICE_FUNCTION.fullmatch(c) for c in calls), calls
    assert len(parsed.comments) == accepted["comments"]
    assert not parsed.external_links and not parsed.parameters
    tags = Counter(t.name for t in parsed.get_tags())
    assert set(tags) <= {"div", "span", "code", "nowiki", "bdi"}
    assert tags["nowiki"] == tags["code"] == accepted["codes"]
    COUNTS["links and templates checked"] += accepted["links"] + accepted["functions"]
    COUNTS["notices checked"] += 1


def check_notices(directory: Directory, log: SessionLog, result: MatchResult,
                  taxonomy: Taxonomy) -> None:
    """Sections for a few recipients: problems on their profiles (quoted in full), invitations
    to sessions (titles as written), matches (their groups)."""
    settings_ = NoticeSettings()
    items = profile_items(directory.profiles, directory.problems, {}, settings_)
    items += invite_items(directory.profiles, log.sessions, NOW, settings_)
    items += [Item("match", member, g.id, round=ROUND, group=g)
              for g in result.groups for member in g.members]
    by_user: dict[str, list[Item]] = {}
    for item in items:
        by_user.setdefault(item.user, []).append(item)
    profiles = {p.user: p for p in directory.profiles}
    pages = {NOTICE_SETTINGS.problems_page, NOTICE_SETTINGS.task_page,
             *(s.page for s in log.sessions)}
    pages |= {f"{NOTICE_SETTINGS.outcomes_page}/{ROUND}"} | {p.page for p in directory.profiles}
    users = set(profiles) | {u for g in result.groups for u in g.members}
    checker = Checker(users=users, skills=set(taxonomy.skills),
                      pages=known_pages([*pages, *(f"User talk:{u}" for u in users)]))
    for number, user in enumerate(sorted(by_user)[:6]):
        lang = ("en", "es", "fr", "pt", "ar")[number % 5]
        page = profiles[user].page if user in profiles else f"User:{user}"
        recipient = Recipient(user, page, lang, 1 + number % 2)
        section = render_section(MESSAGES(), taxonomy, NOTICE_SETTINGS, recipient,
                                 sorted(by_user[user], key=lambda i: i.order()), NOW)
        check_notice(section, checker, users)


@functools.cache
def MESSAGES() -> Messages:  # noqa: N802 - reads like the constant it stands for
    """The notices' messages, read once."""
    return Messages.load()
