"""How a read or a write of the wiki can end other than well, for the jobs to tell apart.

Plain exceptions with no Pywikibot in them, so that the in-memory wiki
(:mod:`bot.wiki.memory`) raises the very same ones as the real one.
"""

from __future__ import annotations


class ShutoffError(Exception):
    """Someone asked the bot to stop through the shutoff page."""


class NotABot(ShutoffError):
    """The account lost its bot flag (or its login): no edit may be made, the run stops."""


class BotBlocked(ShutoffError):
    """The bot's account is blocked: the run stops at once."""


class EditConflict(Exception):
    """The page changed between our read and our write; nothing was saved."""


class SaveRefused(Exception):
    """The wiki or the page's own rules refused the edit; the message says why."""


class PageTooBig(SaveRefused):
    """The text is larger than the wiki accepts (``contenttoobig``); nothing was sent."""


def shutoff(title: str) -> ShutoffError:
    """Why the run stops when the shutoff page has text."""
    return ShutoffError(
        f"the shutoff page [[{title}]] is not empty, so the bot stops here. "
        "Empty that page to let it run again."
    )


def bot_blocked(name: str, reason: str) -> BotBlocked:
    """Why the run stops when the bot's account is blocked."""
    return BotBlocked(f"the bot's account {name} is blocked ({reason}), so it stops here")
