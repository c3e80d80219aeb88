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

JOBS = {
    "deploy": "bot.jobs.deploy",
    "directory": "bot.jobs.directory",
    "match": "bot.jobs.match",
    "notify": "bot.jobs.notify",
    "sessions": "bot.jobs.sessions",
    "stats": "bot.jobs.stats",
}


def take_config_option(argv: list[str]) -> list[str]:
    """Move ``-config:FILE.yaml`` into LETSCONNECT_CONFIG before Pywikibot is imported.

    Pywikibot reads ``-config:NAME`` from sys.argv at import time as the name of
    its own user-config file; ours always ends in .yaml/.yml, so the two never mix.
    """
    kept = []
    for arg in argv:
        name, _, value = arg.partition(":")
        if name == "-config" and value.endswith((".yaml", ".yml")):
            os.environ["LETSCONNECT_CONFIG"] = os.path.abspath(value)
        else:
            kept.append(arg)
    sys.argv[1:] = [a for a in sys.argv[1:] if a in kept or not a.startswith("-config:")]
    return kept


def main(argv: list[str] | None = None) -> int:
    argv = take_config_option(sys.argv[1:] if argv is None else argv)
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
    return module.main(*rest)


if __name__ == "__main__":
    sys.exit(main())
