"""Reaching the wiki: Pywikibot's own configuration, plus clear errors.

The bot uses Pywikibot's normal setup (``PYWIKIBOT_DIR``, ``user-config.py``,
a BotPassword in the password file), so the working group configures it like
any other Pywikibot bot and ``-family:``/``-lang:``/``-user:`` just work.
"""

from __future__ import annotations

import pywikibot
from pywikibot import exceptions as pwb_exc


class WikiError(Exception):
    """The wiki cannot be reached or refuses us; the message says what to do."""


def connect() -> pywikibot.site.APISite:
    """Return the logged-in site chosen by Pywikibot's configuration."""
    try:
        site = pywikibot.Site()
    except pwb_exc.Error as error:
        raise WikiError(
            f"cannot find the wiki from Pywikibot's configuration ({error}); "
            "check user-config.py in PYWIKIBOT_DIR"
        ) from None
    try:
        site.login()
    except pwb_exc.NoUsernameError as error:
        raise WikiError(
            f"cannot log in to {site}: {error}. Check usernames[...] in user-config.py and the "
            "BotPassword in the password file"
        ) from None
    except (pwb_exc.Error, OSError, ValueError) as error:
        # ValueError: Pywikibot's answer to a malformed password file.
        raise WikiError(f"cannot log in to {site}: {error}") from None
    if not site.logged_in():
        raise WikiError(f"not logged in to {site}; check the BotPassword")
    return site
