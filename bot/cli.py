"""letsconnect JOB [options]: run one of the Let's Connect bot's jobs.

Jobs:
  deploy      put the templates, modules and their documentation on the wiki
  directory   read the profiles; write the directory, by-skill, problems and export pages
  match       compute this round's learning-sharing groups and publish them
  notify      post talk-page notices: new groups, clinic invitations, follow-ups, profile problems
  sessions    read the session logs; write the resource index, calendar, problems and exports
  stats       write the dashboard: figures and phase-1 targets, with a JSON export

Every job takes Pywikibot's global options (-simulate, -user:, -family:,
-lang:, -dir:, ...) and -config:PATH.  `letsconnect JOB -help` explains a job.
"""

from __future__ import annotations

import importlib
import os
import sys

from bot.config import ConfigError

JOBS = {
    "deploy": "bot.jobs.deploy",
    "directory": "bot.jobs.directory",
    "match": "bot.jobs.match",
    "notify": "bot.jobs.notify",
    "sessions": "bot.jobs.sessions",
    "stats": "bot.jobs.stats",
}


YAML = (".yaml", ".yml")


def take_config_option(argv: list[str]) -> list[str]:
    """Move ``-config:FILE.yaml`` into LETSCONNECT_CONFIG before Pywikibot is imported.

    Pywikibot reads ``-config:NAME`` from sys.argv at import time as the name of
    its own user-config file; ours always ends in .yaml/.yml, so the two never mix.
    Any other form (``-config PATH`` with a space, ``-config:x.json``) would reach
    Pywikibot as a user-config name that does not exist, and the job would quietly
    fall back to Pywikibot's defaults: it is refused here with a ConfigError instead.
    """
    kept = []
    for index, arg in enumerate(argv):
        name, colon, value = arg.partition(":")
        if name != "-config":
            kept.append(arg)
        elif value.endswith(YAML):
            os.environ["LETSCONNECT_CONFIG"] = os.path.abspath(value)
        elif value.endswith(".py"):
            kept.append(arg)  # Pywikibot's own -config:NAME.py
        else:
            raise ConfigError(_bad_config_option(arg, argv[index + 1:], bool(colon)))
    sys.argv[1:] = [a for a in sys.argv[1:] if a in kept or not a.startswith("-config:")]
    return kept


def _bad_config_option(arg: str, rest: list[str], colon: bool) -> str:
    """One line that says what is wrong with this -config and how to write it."""
    if not colon:
        if rest and not rest[0].startswith("-"):
            return (f"'-config {rest[0]}': write the option and the file as one word with a "
                    f"colon, -config:{rest[0]}")
        return "'-config' needs the file after a colon, e.g. -config:config/letsconnect.yaml"
    return (f"'{arg}' is not a YAML file: the bot reads its settings from -config:FILE.yaml "
            "(or .yml); Pywikibot's own user-config.py is found through PYWIKIBOT_DIR")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        argv = take_config_option(argv)
    except ConfigError as error:
        job = argv[0] if argv and argv[0] in JOBS else "letsconnect"
        print(f"{job}: configuration error: {error}", file=sys.stderr)
        # EXIT_CONFIG; bot.jobs.common is not imported yet: Pywikibot must not see these args
        return 2
    if not argv or argv[0] in {"-h", "-help", "--help", "help"}:
        print(__doc__)
        return 0 if argv else 2
    job, rest = argv[0], argv[1:]
    if job not in JOBS:
        choices = ", ".join(JOBS)
        print(f"letsconnect: unknown job '{job}'; choose one of: {choices}", file=sys.stderr)
        return 2
    sys.argv = [f"letsconnect-{job}", *rest]  # what Pywikibot sees as the script's own arguments
    module = importlib.import_module(JOBS[job])
    code: int = module.main(*rest)
    return code


if __name__ == "__main__":
    sys.exit(main())
