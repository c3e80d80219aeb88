"""The lease's reading of its page: what counts as held, by whom, and until when."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from bot.wiki.lease import Holder, _alive_here, lease_title

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def holder_text(**extra) -> str:
    value = {"run": "host:1:abc", "host": "host", "pid": 1,
             "since": NOW.isoformat(), "until": (NOW + timedelta(minutes=30)).isoformat()}
    value.update(extra)
    return json.dumps(value)


def test_the_lease_page_sits_beside_the_state_page():
    assert lease_title("User:Bot/state/notify.json") == "User:Bot/state/notify.lease.json"


def test_a_holder_is_read_back_as_written():
    holder = Holder.from_text(holder_text())
    assert holder is not None
    assert Holder.from_text(json.dumps(holder.as_json())) == holder
    assert "process 1 on host" in holder.describe()


@pytest.mark.parametrize("text", [
    "", "not json", "[]", "null", json.dumps({"run": None, "released": NOW.isoformat()}),
    holder_text(until="tomorrow"), holder_text(pid="x"), json.dumps({"run": "a"}),
])
def test_a_free_released_or_unreadable_page_names_no_holder(text):
    assert Holder.from_text(text) is None


def test_only_a_dead_process_of_this_machine_is_known_to_be_gone():
    here = socket.gethostname()
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead = int(done.stdout)
    lease = Holder.from_text(holder_text(host=here, pid=dead))
    assert lease is not None and not _alive_here(lease, here)
    me = Holder.from_text(holder_text(host=here, pid=os.getpid()))
    assert me is not None and _alive_here(me, here)
    elsewhere = Holder.from_text(holder_text(host="another-container", pid=dead))
    assert elsewhere is not None and _alive_here(elsewhere, here)
