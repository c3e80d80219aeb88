"""Who gets which notice: items, opt-outs, caps, markers and the state (bot/notices/decide.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.matching.values import Group
from bot.model import Problem, Profile
from bot.notices.decide import (
    Facts,
    Item,
    NoticeSettings,
    TalkPage,
    bots_exclusion,
    by_talk_page,
    decide,
    followup_items,
    in_category,
    invite_items,
    item_marker,
    marker_sections,
    markers_in,
    match_items,
    profile_items,
    section_marker,
    sections_in,
)
from bot.notices.state import NoticeState
from bot.sessions.model import Session

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
TODAY = NOW.date()
SETTINGS = NoticeSettings()
BOT = ("LetsConnectBot",)
TASK = "letsconnect-notify"


def person(user: str, **fields) -> Profile:
    values = {"page": f"Grants:X/Directory/{user}", "revision": 7, "consent": True,
              "languages": ("en",), "region": "ssa", "timestamp": "2026-10-01T10:00:00Z"}
    values.update(fields)
    return Profile(user=user, **values)


def group(gid: str = "2026-11-001", sharer: str = "Ana", learners=("Ben",),
          skill: str = "fundraising") -> Group:
    return Group(id=gid, skill=skill, sharer=sharer, learners=tuple(learners), language="en")


def session(day: str = "2026-11-10", *, fmt: str = "clinic", status: str = "planned",
            skills=("fundraising",), languages=("en",), region: str = "",
            sharers=()) -> Session:
    start = datetime.fromisoformat(day + "T14:00:00+00:00")
    return Session(key=f"Grants:X/Sessions/{day}", page=f"Grants:X/Sessions/{day}", start=start,
                   has_time=True, title="A clinic", format=fmt, status=status, region=region,
                   languages=tuple(languages), skills=tuple(skills), sharers=tuple(sharers))


def talk(user: str = "Ben", text: str = "", **fields) -> TalkPage:
    return TalkPage(asked=f"User talk:{user}", title=f"User talk:{user}", owner=user,
                    exists=bool(text), text=text, **fields)


# --- ids and markers ---------------------------------------------------------------------


def test_ids_are_stable_and_tell_things_apart():
    a = Item("match", "Ben", "2026-11-001")
    assert a.id == Item("match", "Ben", "2026-11-001", expires="2027-01-01").id
    assert a.id.startswith("match:") and len(a.id) == len("match:") + 16
    others = {Item("match", "Ana", "2026-11-001").id, Item("match", "Ben", "2026-11-002").id,
              Item("followup", "Ben", "2026-11-001").id}
    assert a.id not in others and len(others) == 3


def test_a_profile_items_id_depends_on_its_problems_not_their_order():
    p1 = Problem("P", "Ben", "unknown-skill", "share", "X", "m")
    p2 = Problem("P", "Ben", "unknown-language", "languages", "Y", "m")
    one = Item("profile", "Ben", "P", problems=(p1, p2))
    assert one.id == Item("profile", "Ben", "P", problems=(p2, p1)).id
    assert one.id != Item("profile", "Ben", "P", problems=(p1,)).id
    stale = Item("profile", "Ben", "P@7", stale=True)
    assert stale.id != one.id


def test_markers_are_found_in_their_sections():
    first, second = datetime(2026, 11, 2, 9, tzinfo=UTC), datetime(2026, 11, 20, 9, tzinfo=UTC)
    a, b = Item("match", "Ben", "g1"), Item("invite", "Ben", "s1")
    text = (f"Hello\n== One ==\n{section_marker(first)}\n* x {item_marker(a.id)}\n"
            f"== Two ==\n{section_marker(second)}\n* y {item_marker(b.id)}\n"
            "<!-- letsconnect-notice:not-an-id -->")
    assert markers_in(text) == {a.id, b.id}
    assert sections_in(text) == {"2026-11-02T09:00:00Z", "2026-11-20T09:00:00Z"}
    assert marker_sections(text) == {a.id: "2026-11-02T09:00:00Z", b.id: "2026-11-20T09:00:00Z"}
    assert marker_sections(f"* z {item_marker(a.id)}") == {a.id: ""}


# --- items -------------------------------------------------------------------------------


def test_match_items_cover_every_member_of_this_and_the_previous_round():
    rounds = {"2026-09": [group("2026-09-001")], "2026-10": [group("2026-10-001")],
              "2026-11": [group("2026-11-001", learners=("Ben", "Cai"))]}
    items = match_items(rounds, TODAY)
    assert {(i.about, i.user) for i in items} == {
        ("2026-10-001", "Ana"), ("2026-10-001", "Ben"),
        ("2026-11-001", "Ana"), ("2026-11-001", "Ben"), ("2026-11-001", "Cai")}
    expiry = {i.about: i.expires for i in items}
    assert expiry == {"2026-10-001": "2026-11-30", "2026-11-001": "2026-12-31"}
    # January looks back to December of the year before.
    assert match_items({"2026-12": [group("2026-12-001")]}, date(2027, 1, 5))


def test_followups_come_once_the_wait_is_over_and_only_without_an_outcome():
    rounds = {"2026-10": [group("2026-10-001"), group("2026-10-002", sharer="Dee")]}
    told = date(2026, 10, 5)
    delivered = {Item("match", u, g).id: told for u, g in
                 [("Ana", "2026-10-001"), ("Ben", "2026-10-001"), ("Dee", "2026-10-002")]}

    def due(today, statuses=None):
        return {(i.about, i.user, i.days) for i in followup_items(
            rounds, statuses or {}, delivered, today, SETTINGS)}

    assert due(date(2026, 10, 25)) == set()  # 20 days
    assert due(date(2026, 10, 26)) == {("2026-10-001", "Ana", 21), ("2026-10-001", "Ben", 21),
                                       ("2026-10-002", "Dee", 21)}  # Ben of -002 never told
    assert due(date(2026, 10, 26), {"2026-10-001": "held"}) == {("2026-10-002", "Dee", 21)}
    assert due(date(2026, 10, 26), {"2026-10-002": "not held"}) == {
        ("2026-10-001", "Ana", 21), ("2026-10-001", "Ben", 21)}
    assert due(date(2026, 11, 16)) and not due(date(2026, 11, 17))  # 42 days is the last


def test_invitations_respect_skills_languages_formats_regions_and_sharers():
    people = [
        person("Ana", learn=("fundraising",)),
        person("Ben", learn=("fundraising",), languages=("es",)),  # no common language
        person("Cai", learn=("governance",)),  # wants something else
        person("Dee", learn=("fundraising",), formats=("1:1",)),  # no clinics
        person("Eve", learn=("fundraising",), status="stale"),  # not active
        person("Fay", learn=("fundraising",), consent=False, status="opted-out"),
        person("Gus", learn=("fundraising",), languages=("en-GB",), region="lac"),
        person("Hal", learn=("fundraising",)),  # shares in it
    ]
    sessions = [session(sharers=("Hal",))]
    assert {i.user for i in invite_items(people, sessions, NOW, SETTINGS)} == {"Ana", "Gus"}
    regional = [session(region="ssa", sharers=("Hal",))]
    assert {i.user for i in invite_items(people, regional, NOW, SETTINGS)} == {"Ana"}
    item = invite_items(people[:1], sessions, NOW, SETTINGS)[0]
    assert item.skills == ("fundraising",) and item.expires == "2026-11-10"


@pytest.mark.parametrize("changes", [
    {"day": "2026-11-17"},  # beyond 14 days
    {"day": "2026-11-01"},  # already over
    {"status": "cancelled"},
    {"status": "held"},
    {"fmt": "coffee"},  # a coffee is not open to others
])
def test_no_invitation_for_sessions_out_of_reach(changes):
    people = [person("Ana", learn=("fundraising",))]
    assert invite_items(people, [session(**changes)], NOW, SETTINGS) == []


def test_profile_items_tell_each_set_of_problems_once_and_stale_profiles():
    typo = Problem("P/Ana", "Ana", "unknown-skill", "share", "Wikidata basiks", "m1")
    lang = Problem("P/Ana", "Ana", "unknown-language", "languages", "Klingon", "m2")
    consent = Problem("P/Ana", "Ana", "no-consent", "consent", "", "m3")
    ana = person("Ana", page="P/Ana")
    items = profile_items([ana], [typo, lang, consent], {}, SETTINGS)
    assert [(i.kind, i.problems) for i in items] == [("profile", (lang, typo))]
    told = {"Ana": [frozenset(f"P/Ana|{p.code}|{p.field}|{p.value}" for p in (typo, lang))]}
    assert profile_items([ana], [typo], told, SETTINGS) == []  # fewer problems: nothing new
    fresh = Problem("P/Ana", "Ana", "bad-capacity", "capacity", "lots", "m4")
    assert len(profile_items([ana], [typo, fresh], told, SETTINGS)) == 1
    stale = profile_items([person("Ana", status="stale")], [], {}, SETTINGS)
    assert [(i.stale, i.since, i.days) for i in stale] == [(True, "2026-10-01", 365)]
    for status in ("quarantined", "opted-out", "blocked"):
        assert profile_items([person("Ana", status=status)], [typo], {}, SETTINGS) == []


# --- {{bots}} and the category -------------------------------------------------------------


@pytest.mark.parametrize("text, reason", [
    ("", None),
    ("{{nobots}}", "nobots"),
    ("{{Nobots}}", "nobots"),
    ("{{Template:nobots}}", "nobots"),
    ("{{nobots|deny=LetsConnectBot}}", "nobots"),
    ("{{nobots|OtherBot}}", None),
    ("{{bots|deny=all}}", "bots-deny"),
    ("{{bots|deny=letsConnectBot}}", "bots-deny"),  # a user name: first letter in any case
    ("{{bots|deny=OtherBot, LetsConnectBot}}", "bots-deny"),
    ("{{bots|deny=OtherBot}}", None),
    ("{{bots|allow=none}}", "bots-deny"),
    ("{{bots|allow=OtherBot}}", "bots-deny"),
    ("{{bots|allow=LetsConnectBot}}", None),
    ("{{bots|allow=all}}", None),
    ("{{bots|optout=all}}", "bots-optout"),
    ("{{bots|optout=letsconnect-notify}}", "bots-optout"),
    ("{{bots|optout=nosource,letsconnect-notify}}", "bots-optout"),
    ("{{bots|optout=nosource}}", None),
    ("{{bots}}", None),
    ("<!-- {{nobots}} -->", None),
    ("<nowiki>{{nobots}}</nowiki>", None),
    ("<code><nowiki>{{bots|optout=letsconnect-notify}}</nowiki></code>", None),  # our footer
    ("<div>{{nobots}}</div>", "nobots"),
])
def test_the_bots_convention(text, reason):
    assert bots_exclusion(text, BOT, TASK) == reason


def test_in_the_opt_out_category_by_the_wiki_or_by_the_text():
    cat = "Category:Opted-out of message delivery"
    assert in_category("", ["Category:Opted-out of message delivery"], cat)
    assert in_category("[[Category:Opted-out_of_message_delivery]]", [], cat)
    assert in_category("[[ category : Opted-out of message delivery|Ben]]", [], cat)
    assert not in_category("[[:Category:Opted-out of message delivery]]", [], cat)  # a link
    assert not in_category("<!-- [[Category:Opted-out of message delivery]] -->", [], cat)
    assert not in_category("[[Category:Other]]", ["Category:Other"], cat)


# --- decisions ---------------------------------------------------------------------------


def facts(profile: Profile | None, page: TalkPage | None = None, blocked: bool = False,
          stamps=()) -> Facts:
    return Facts(talk=page or talk(), profile=profile, blocked=blocked,
                 stamps=frozenset(stamps))


ITEMS = [Item("profile", "Ben", "P/Ben", problems=(Problem("P", "Ben", "c", "f", "v", "m"),)),
         Item("match", "Ben", "2026-11-001"), Item("invite", "Ben", "Grants:X/S")]


def test_a_recipient_with_nothing_against_gets_one_section_with_all_items_in_order():
    decision = decide(ITEMS, facts(person("Ben")), "2026-11", SETTINGS,
                      lambda p: "fr")
    d = decision.delivery
    assert d is not None and d.number == 1 and d.lang == "fr" and d.to == "Ben"
    assert [i.kind for i in d.items] == ["match", "invite", "profile"]
    assert decision.held == ()


@pytest.mark.parametrize("profile, page, blocked, reason", [
    (None, None, False, "no-profile"),
    (person("Ben", notify=False), None, False, "notify-no"),
    (person("Ben", status="quarantined"), None, False, "quarantined"),
    (person("Ben", status="opted-out", consent=False), None, False, "opted-out"),
    (person("Ben", status="blocked"), None, False, "blocked"),
    (person("Ben"), None, True, "blocked"),
    (person("Ben"), talk(text="{{nobots}}"), False, "nobots"),
    (person("Ben"), talk(text="{{bots|deny=LetsConnectBot}}"), False, "bots-deny"),
    (person("Ben"), talk(text="{{bots|optout=letsconnect-notify}}"), False, "bots-optout"),
    (person("Ben"), talk(categories=("Category:Opted-out of message delivery",)), False,
     "optout-category"),
    (person("Ben"), talk(redirect="interwiki"), False, "talk-redirect-interwiki"),
    (person("Ben"), talk(can_edit=False), False, "protected"),
])
def test_every_opt_out_holds_every_item(profile, page, blocked, reason):
    decision = decide(ITEMS, facts(profile, page, blocked), "2026-11", SETTINGS)
    assert decision.delivery is None
    assert {h.reason for h in decision.held} == {reason}
    assert len(decision.held) == len(ITEMS)
    assert all(h.waits == (reason == "protected") for h in decision.held)


def test_a_stale_profile_gets_no_invitation_but_the_rest():
    decision = decide(ITEMS, facts(person("Ben", status="stale")), "2026-11", SETTINGS)
    assert [i.kind for i in decision.delivery.items] == ["match", "profile"]
    assert [(h.item.kind, h.reason, h.waits) for h in decision.held] == [
        ("invite", "status-stale", False)]


def test_items_already_on_the_talk_page_are_not_sent_again():
    stamp = datetime(2026, 11, 1, 8, tzinfo=UTC)
    page = talk(text=f"== x ==\n{section_marker(stamp)}\n* {item_marker(ITEMS[1].id)}")
    decision = decide(ITEMS, facts(person("Ben"), page), "2026-11", SETTINGS)
    assert [(i.kind, t, s) for i, t, s in decision.found] == [
        ("match", "User talk:Ben", "2026-11-01T08:00:00Z")]
    assert [i.kind for i in decision.delivery.items] == ["invite", "profile"]
    assert decision.delivery.number == 2  # the section on the page counts this month
    everything = talk(text=" ".join(item_marker(i.id) for i in ITEMS))
    decision = decide(ITEMS, facts(person("Ben"), everything), "2026-11", SETTINGS)
    assert decision.delivery is None and len(decision.found) == 3 and not decision.held


def test_the_monthly_cap_counts_sections_on_the_page_and_in_the_state_once_each():
    on_page = talk(text=section_marker(datetime(2026, 11, 1, 8, tzinfo=UTC)))
    same = facts(person("Ben"), on_page, stamps={"2026-11-01T08:00:00Z"})
    assert decide(ITEMS, same, "2026-11", SETTINGS).delivery.number == 2
    other = facts(person("Ben"), on_page, stamps={"2026-11-15T08:00:00Z"})
    capped = decide(ITEMS, other, "2026-11", SETTINGS)
    assert capped.delivery is None
    assert {(h.reason, h.waits) for h in capped.held} == {("monthly-cap", True)}
    last_month = facts(person("Ben"), stamps={"2026-10-01T08:00:00Z", "2026-10-20T08:00:00Z"})
    assert decide(ITEMS, last_month, "2026-11", SETTINGS).delivery.number == 1
    one = NoticeSettings(max_per_month=1)
    assert decide(ITEMS, facts(person("Ben"), on_page), "2026-11", one).delivery is None


def test_items_for_a_renamed_user_meet_on_the_new_talk_page():
    moved = TalkPage(asked="User talk:Ben", title="User talk:Benedict", owner="Benedict")
    talks = {"Ben": moved, "Benedict": talk("Benedict"), "Ana": talk("Ana")}
    items = [Item("match", "Ben", "g1"), Item("profile", "Benedict", "P"),
             Item("match", "Ana", "g1")]
    grouped = by_talk_page(items, talks)
    assert list(grouped) == ["User talk:Ana", "User talk:Benedict"]
    assert [i.user for i in grouped["User talk:Benedict"]] == ["Ben", "Benedict"]


# --- the state -----------------------------------------------------------------------------


def test_the_state_records_sections_and_survives_a_round_trip():
    state = NoticeState()
    decision = decide(ITEMS, facts(person("Ben")), "2026-11", SETTINGS)
    state.record_section(decision.delivery, "2026-11-02T09:30:00Z", "Heading", 42)
    again = NoticeState.from_json(state.as_json())
    assert again == state
    assert set(again.sent) == {i.id for i in ITEMS}
    assert again.stamps_for("Ben") == {"2026-11-02T09:30:00Z"}
    assert again.delivered_days()[ITEMS[1].id] == date(2026, 11, 2)
    assert again.told_problems() == {"Ben": [frozenset({"P|c|f|v"})]}
    assert again.sections[0]["kinds"] == ["match", "invite", "profile"]
    assert NoticeState.from_json({"sent": "nonsense", "sections": 3}) == NoticeState()


def test_found_items_are_recorded_in_the_section_they_were_posted_in():
    state = NoticeState()
    for item in ITEMS[:2]:
        state.record_found(item, "User talk:Ben", "2026-11-02T09:30:00Z", "Ben", TODAY)
    assert len(state.sections) == 1
    assert state.sections[0]["items"] == [ITEMS[0].id, ITEMS[1].id]
    assert state.stamps_for("Ben") == {"2026-11-02T09:30:00Z"}
    state.record_found(ITEMS[2], "User talk:Ben", "", "Ben", TODAY)
    assert state.sent[ITEMS[2].id]["date"] == TODAY.isoformat()


def test_waiting_items_keep_their_first_day_and_expire_visibly():
    from bot.notices.decide import Held

    state = NoticeState()
    state.hold(Held(ITEMS[1], "monthly-cap", "Ben"), date(2026, 11, 20))
    state.hold(Held(ITEMS[1], "monthly-cap", "Ben"), date(2026, 11, 21))
    assert state.waiting[ITEMS[1].id]["since"] == "2026-11-20"
    state.hold(Held(ITEMS[2], "notify-no", "Ben"), date(2026, 11, 21))
    assert ITEMS[2].id not in state.waiting  # not delivered is not waiting
    closed = state.close_missing(set(), date(2026, 12, 1))
    assert [c["reason"] for c in closed] == ["expired"] and not state.waiting
    assert ITEMS[1].id in state.closed


def test_pruning_keeps_what_can_still_matter():
    state = NoticeState(
        sent={"match:1": {"kind": "match", "date": "2026-06-01"},
              "match:2": {"kind": "match", "date": "2026-10-01"},
              "profile:1": {"kind": "profile", "date": "2026-01-01"}},
        sections=[{"stamp": "2026-08-01T00:00:00Z"}, {"stamp": "2026-10-01T00:00:00Z"}],
    )
    state.prune(date(2026, 11, 2))
    assert set(state.sent) == {"match:2", "profile:1"}
    assert state.sections == [{"stamp": "2026-10-01T00:00:00Z"}]


def test_a_recovered_section_keeps_the_heading_it_was_posted_under():
    from bot.notices.decide import section_heading

    text = ("== Older ==\nhello\n\n== Let's Connect: news for you (2026-11-02) ==\n"
            "<!-- letsconnect-section:2026-11-02T09:30:00Z -->\nHi Ben\n\n== Later ==\nbye")
    assert section_heading(text, "2026-11-02T09:30:00Z") == (
        "Let's Connect: news for you (2026-11-02)")
    assert section_heading(text, "2026-11-03T09:30:00Z") == ""
    state = NoticeState()
    state.record_found(ITEMS[0], "User talk:Ben", "2026-11-02T09:30:00Z", "Ben", TODAY,
                       "Let's Connect: news for you (2026-11-02)", "es")
    assert state.sections[0]["heading"] == "Let's Connect: news for you (2026-11-02)"
    assert state.sections[0]["lang"] == "es"
