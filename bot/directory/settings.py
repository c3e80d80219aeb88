"""What the directory needs from the configuration: one value that the readers of
ownership, fields and status all take, so it sits below them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.directory.fields import DEFAULT_SKILLS_PAGE


@dataclass(frozen=True)
class DirectorySettings:
    """What the directory needs from the configuration."""

    template_names: tuple[str, ...] = ("Let's Connect/Profile",)
    prefixes: tuple[str, ...] = ("Grants:Knowledge Sharing/Connect/Directory/",)
    trusted: frozenset[str] = frozenset()
    stale_after_days: int = 365
    #: Named in problem messages as the place where the skills are listed.
    skills_page: str = DEFAULT_SKILLS_PAGE
