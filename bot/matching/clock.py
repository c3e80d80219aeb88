"""The round's clock: how much of ``time_limit_s`` is left.

Apart from the solver so that importing ``bot.matching.round`` loads no SciPy or
HiGHS; they are imported only when a round is actually solved.
"""

from __future__ import annotations

import time


class _Clock:
    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds

    def left(self) -> float:
        return self.deadline - time.monotonic()
