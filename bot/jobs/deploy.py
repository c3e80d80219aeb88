"""Put the Let's Connect templates, modules and documentation on the wiki.

Usage: letsconnect deploy [-config:PATH] [-force] [global Pywikibot options]

Syncs templates_wikitext/ (one file per page; the path is the title) and the
Lua data module rendered from the taxonomy (config/skills.yaml and config/regions.yaml,
read and checked by bot.taxonomy) and the modules' messages rendered from bot/i18n/*.json.
The profile form's gadget (the MediaWiki: pages, and its data and
messages rendered from the taxonomy and bot/i18n/form/) is written when the account
may edit the site's scripts (an interface administrator); else each of those pages
goes to the bot's user space and one line names the pages an interface
administrator must copy.  MediaWiki:Gadgets-definition gets the form's lines; the
other gadgets listed there are kept.

Saves only the pages whose text differs.  When a person edited a deployed page
since the bot's last deploy, the page is reported as drift and left alone;
-force overwrites it.  A page another job writes (the directory, its landing
page with the "Add your profile" button) is only created when it is missing,
never written again.  When it created a page, the deployed pages are purged so
that their links are right at once.

Options:
  -config:PATH  another configuration file (default config/letsconnect.yaml)
  -force        overwrite pages edited by people since the last deploy
  -simulate     show the diff of every page that would change; save nothing
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pywikibot

from bot import __version__
from bot.config import ROOT, Config, ConfigError
from bot.jobs.common import Context, OptionValue, load_taxonomy, run_job
from bot.onwiki.bundle import BundleError, BundlePage, assemble
from bot.onwiki.formdata import (
    FORM_DATA_PAGE,
    GADGETS_DEFINITION,
    SITE_SCRIPT_RIGHTS,
    is_site_page,
    merge_gadgets_definition,
    render_form_data,
    staged_title,
)
from bot.onwiki.luadata import render_lua_data
from bot.onwiki.luamessages import MESSAGES_PAGE, render_lua_messages
from bot.taxonomy import TaxonomyError
from bot.wiki.errors import EditConflict
from bot.wiki.protocol import WikiProtocol

JOB = "deploy"
OPTIONS: dict[str, OptionValue] = {"force": False}


def version() -> str:
    """The package version plus the commit, so a summary says exactly what was deployed."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = ""
    return f"{__version__}+{commit}" if commit else __version__


def load_bundle(ctx: Context) -> dict[str, BundlePage]:
    source: Path = ctx.config.templates.source_dir
    if not source.is_dir():
        raise ConfigError(f"templates.source_dir: {source} is not a folder")
    files = {
        path.relative_to(source).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(source.rglob("*"))
        if path.is_file()
    }
    generated: dict[str, tuple[str, str]] = {}
    try:
        taxonomy = load_taxonomy(ctx)
    except TaxonomyError as error:
        config_dir = ctx.config.path.parent
        raise ConfigError(f"cannot build the Lua data module from {config_dir}: {error}") from None
    generated[ctx.config.templates.lua_data] = (render_lua_data(taxonomy), "config/")
    generated[MESSAGES_PAGE] = (render_lua_messages(), "bot/i18n/")
    generated[FORM_DATA_PAGE] = (render_form_data(taxonomy), "config/ and bot/i18n/form/")
    try:
        return assemble(files, generated)
    except BundleError as error:
        raise ConfigError(str(error)) from None


def written_by_jobs(config: Config, title: str) -> bool:
    """Whether another job writes this page: deploy may create it, never replace it."""
    pages = config.pages
    whole = {pages.directory, pages.by_skill, pages.problems, pages.resources, pages.calendar,
             pages.session_problems, pages.dashboard}
    prefixes = (f"{pages.matches}/", f"{config.notices.log_page}/", config.exports_prefix,
                config.bot.state_prefix)
    return title in whole or title.startswith(prefixes)


def refresh_links(ctx: Context, titles: list[str]) -> None:
    """Purge the deployed pages with a link update, once everything is saved.

    Called when the run created a page: a page parsed before it (a template saved
    before its ``/doc``, a page deployed earlier) shows a red link to it until
    parsed again.  MediaWiki leaves that to its job queue, which is slow on Meta
    at busy times and never runs on the local wiki; purging all the deployed
    pages is one request per 50 pages and no edit, so it is right for both.  A
    purge that fails is reported, never fatal: the edits are made.
    """
    try:
        ctx.wiki.purge(titles)
    except pywikibot.exceptions.Error as error:
        ctx.report(f"links not refreshed ({error}); they will be when the wiki's job queue runs")


def may_edit_site_scripts(wiki: WikiProtocol) -> bool:
    """Whether the account may write the gadget's pages (an interface administrator's rights,
    and a BotPassword with the grant "Edit sitewide and user CSS/JS")."""
    site = getattr(wiki, "site", None)  # the real wiki's Pywikibot site; the twin has none
    return site is not None and all(site.has_right(right) for right in SITE_SCRIPT_RIGHTS)


def place_gadget(ctx: Context, bundle: dict[str, BundlePage]) -> dict[str, BundlePage]:
    """The bundle as this account may write it: the profile form's gadget (the MediaWiki:
    pages) as it is for an interface administrator; else each of those pages in the bot's
    own user space, and one line saying that an interface administrator must copy them."""
    site_pages = [title for title in bundle if is_site_page(title)]
    if not site_pages or may_edit_site_scripts(ctx.wiki):
        return bundle
    bot_user = ctx.wiki.username
    placed = {}
    for title, page in bundle.items():
        if is_site_page(title):
            title = staged_title(title, bot_user)
            page = BundlePage(title, page.text, page.model, page.source)
        placed[title] = page
    copies = ", ".join(
        f"[[{staged_title(t, bot_user)}]] -> [[{t}]]"
        + (" (add its lines)" if t == GADGETS_DEFINITION else "") for t in site_pages)
    ctx.report("the profile form is not installed: this account may not edit the site's "
               f"scripts; an interface administrator must copy these pages: {copies}")
    return placed


def deploy(ctx: Context) -> None:
    wiki = ctx.wiki
    bundle = place_gadget(ctx, load_bundle(ctx))
    state_title = ctx.config.state_page(JOB)
    state = wiki.read_json(state_title)
    known: dict[str, int] = dict(state.get("pages", {}))
    bot_user = wiki.username
    current = wiki.read(bundle)
    wiki.check_shutoff(ctx.config.bot.shutoff_page)
    label = version()
    drift = []
    created = False
    for title, page in bundle.items():
        on_wiki = current[wiki.normalise(title)]
        latest = on_wiki.latest
        if latest is not None and written_by_jobs(ctx.config, wiki.normalise(title)):
            wiki.counters.unchanged += 1  # the job that writes it owns it now
            continue
        if title == GADGETS_DEFINITION and latest is not None:
            # Other gadgets are listed there too: ours are added, everyone's are kept.
            merged = merge_gadgets_definition(latest.text, page.text)
            page = BundlePage(title, merged, page.model, page.source)
            known[title] = latest.revid
        if latest and latest.text.rstrip("\n") == page.text.rstrip("\n"):
            known[title] = latest.revid
            wiki.counters.unchanged += 1
            continue
        ours = latest is None or latest.revid == known.get(title) or (
            title not in known and latest.user == bot_user
        )
        if latest is not None and not ours and not ctx.options.flag("force"):
            drift.append(title)
            ctx.report(
                f"drift: [[{title}]] was edited by {latest.user} (revision {latest.revid}) "
                "since the last deploy; left as it is (use -force to overwrite)"
            )
            continue
        verb = "create" if latest is None else "update"
        try:
            saved = wiki.save(
                title,
                page.text,
                ctx.summary(f"{verb} from {page.source} (version {label})"),
                content_model=None if page.model == "wikitext" else page.model,
            )
        except EditConflict:
            drift.append(title)
            ctx.report(f"drift: [[{title}]] was edited while deploying; left as it is")
            continue
        if saved and not wiki.simulate:
            known[title] = wiki.revid(title)
            created = created or latest is None
    if created:
        refresh_links(ctx, list(bundle))
    ctx.problems += len(drift)
    wiki.save_json(
        state_title,
        {"schema": 1, "pages": dict(sorted(known.items())), "drift": sorted(drift)},
        ctx.summary("remember the deployed revisions"),
    )


def main(*args: str) -> int:
    return run_job(JOB, args, deploy, __doc__, OPTIONS)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
