"""letsconnect JOB [options]: run one of the Let's Connect bot's jobs.

Jobs:
  deploy      put the templates, modules and their documentation on the wiki
  directory   read the profiles; write the directory, by-skill, problems and export pages
  match       compute this round's learning-sharing groups and publish them

Every job takes Pywikibot's global options (-simulate, -user:, -family:,
-lang:, -dir:, ...) and -config:PATH.  `letsconnect JOB -help` explains a job.
"""

from __future__ import annotations

import importlib
import sys

JOBS = {
    "deploy": "bot.jobs.deploy",
    "directory": "bot.jobs.directory",
    "match": "bot.jobs.match",
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in {"-h", "-help", "--help", "help"}:
        print(__doc__)
        return 0 if argv else 2
    job, rest = argv[0], argv[1:]
    if job not in JOBS:
        print(f"letsconnect: unknown job '{job}'; choose one of: {', '.join(JOBS)}", file=sys.stderr)
        return 2
    module = importlib.import_module(JOBS[job])
    return module.main(*rest)


if __name__ == "__main__":
    sys.exit(main())
