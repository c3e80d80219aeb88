"""Recent changes as the jobs read them: the page a log entry names besides its own."""

from __future__ import annotations

import pytest

from bot.wiki.pages import _change


@pytest.mark.parametrize(("logtype", "params", "target"), [
    ("move", {"target_ns": 200, "target_title": "Grants:Knowledge Sharing/Connect/Profile/B"},
     "Grants:Knowledge Sharing/Connect/Profile/B"),
    ("merge", {"dest_ns": 200, "dest_title": "Grants:Knowledge Sharing/Connect/Profile/B",
               "mergepoint": "2026-12-01T00:00:00Z"}, "Grants:Knowledge Sharing/Connect/Profile/B"),
    ("delete", {}, ""),
    ("delete", [], ""),  # the API writes an empty object as a list in format version 1
])
def test_a_log_entry_names_the_page_it_moved_or_merged_into(logtype, params, target):
    item = {"type": "log", "title": "Grants:Knowledge Sharing/Connect/Profile/A",
            "timestamp": "2026-12-02T10:00:00Z", "user": "Ana", "logtype": logtype,
            "logparams": params}
    change = _change(item)
    assert (change["kind"], change["log"], change["target"]) == ("log", logtype, target)
