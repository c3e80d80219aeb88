"""Let's Connect bot: skills directory, matching, notices and dashboards for a Wikimedia peer-learning program."""

__version__ = "0.1.0"
