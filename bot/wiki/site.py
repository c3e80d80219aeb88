"""Reaching the wiki: Pywikibot's own configuration, plus clear errors.

The bot uses Pywikibot's normal setup (``PYWIKIBOT_DIR``, ``user-config.py``,
a BotPassword in the password file), so the working group configures it like
any other Pywikibot bot and ``-family:``/``-lang:``/``-user:`` just work.
"""

from __future__ import annotations

import os
from pathlib import Path

import pywikibot
from pywikibot import exceptions as pwb_exc

from bot.config import ConfigError

HOW_TO_SET_IT = (
    "without it Pywikibot's defaults would send the job to test.wikipedia.org. Set "
    "PYWIKIBOT_DIR to the folder that holds your user-config.py (see user-config.py.sample), "
    'or for the local wiki run: eval "$(scripts/localwiki env)"'
)


class WikiError(Exception):
    """The wiki cannot be reached or refuses us; the message says what to do."""


def require_user_config() -> None:
    """Stop before any request when Pywikibot found no user-config.py.

    Installed as a package, Pywikibot then carries on in silence with its defaults
    (test.wikipedia.org, no account), and the job would fail later with a line about
    a wiki nobody meant to use.
    """
    folder = Path(pywikibot.config.base_dir)
    name = pywikibot.config.user_config_file
    if not (folder / name).is_file():
        raise ConfigError(f"no Pywikibot configuration: {_where(folder, name)}; {HOW_TO_SET_IT}")


def _where(folder: Path, name: str) -> str:
    """Where Pywikibot looked, in the words the person used to tell it."""
    for suffix in (".yaml.py", ".yml.py"):
        if name.endswith(suffix):
            yaml_name = name.removesuffix(".py")
            return (f"Pywikibot took -config:{yaml_name} for the name of its own user-config "
                    f"file (it does when a job runs through pwb.py: there, set "
                    f"LETSCONNECT_CONFIG={yaml_name} instead), and there is no {name}")
    chosen = os.environ.get("PYWIKIBOT_DIR")
    if chosen is None:
        return f"PYWIKIBOT_DIR is not set and there is no {name} in {folder}"
    if not Path(chosen).is_dir():
        return f"PYWIKIBOT_DIR={chosen} is not a folder, and there is no {name} in {folder}"
    return f"there is no {name} in PYWIKIBOT_DIR={chosen}"


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
