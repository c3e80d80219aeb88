"""Each job declares its own options; one shared parser reads them."""

from __future__ import annotations

import pytest

from bot.config import ConfigError
from bot.jobs import deploy, directory, match, notify, sessions, stats
from bot.jobs.common import parse_options


def test_flags_numbers_and_texts_from_their_defaults():
    options = parse_options(["-max-notices:3", "-date:2026-11-02", "-v"], notify.OPTIONS)
    assert options.number("max-notices") == 3 and options.text("date") == "2026-11-02"
    assert options.flag("verbose") and not options.flag("progress")
    defaults = parse_options([], match.OPTIONS)
    assert defaults.text("round") is None and not defaults.flag("rematch")
    assert parse_options(["-rematch", "-round:2026-11"], match.OPTIONS).flag("rematch")
    assert parse_options(["-full", "-progress"], directory.OPTIONS).flag("full")
    assert parse_options(["-force"], deploy.OPTIONS).flag("force")


@pytest.mark.parametrize("job", [deploy, directory, match, notify, sessions, stats])
def test_every_job_takes_the_common_options(job):
    assert parse_options(["-verbose", "-progress"], job.OPTIONS).flag("verbose")


@pytest.mark.parametrize(("options", "args", "message"), [
    (match.OPTIONS, ["-full"], "unknown option '-full' (see -help)"),
    (directory.OPTIONS, ["-round:2026-11"], "unknown option '-round:2026-11' (see -help)"),
    (stats.OPTIONS, ["-date:2026-11-02"], "unknown option '-date:2026-11-02' (see -help)"),
    (sessions.OPTIONS, ["extra"], "unexpected argument 'extra' (see -help)"),
    (sessions.OPTIONS, ["-"], "unexpected argument '-' (see -help)"),
    (deploy.OPTIONS, ["-full"], "unknown option '-full' (see -help)"),
    (notify.OPTIONS, ["-max-notices:many"], "-max-notices:N needs a whole number, got 'many'"),
])
def test_what_a_job_does_not_take_is_refused_with_one_line(options, args, message):
    with pytest.raises(ConfigError) as refused:
        parse_options(args, options)
    assert str(refused.value) == message
