"""Let's Connect bot: skills directory, matching, notices and dashboards.

For the peer-learning program of the Wikimedia movement on Meta-Wiki.
"""

__version__ = "0.1.0"
