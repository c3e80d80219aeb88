"""The bridge to the Capacity Exchange (CapX, https://capx.toolforge.org).

Participants who write ``capx=yes`` (with ``consent=yes``) in their profile need not type
their skills twice: the directory job reads their CapX profile and fills in what their
entry leaves empty.  The wiki wins wherever both say something.

The core (pure: plain data in, plain data out, no network):

* :mod:`.tree` — CapX's capacity tree (codes, parents, names), from the snapshot CapX's
  frontend ships or from the live ``/skill/`` list;
* :mod:`.mapping` — capacity -> skill of ``config/skills.yaml`` (``capx:`` there), a
  capacity not listed counting as its nearest listed ancestor; the report of capacities
  with no skill and skills with no capacity;
* :mod:`.values` — one participant's CapX profile as the edge keeps it
  (:class:`CapxRecord`), what it means in the profile template's terms
  (:class:`CapxValues`), the language threshold, and the state kept between runs;
* :mod:`.merge` — CapX values under the wiki's, and the problems told in plain words.

The edge: :mod:`.client`, the only module here that talks to the network (requests:
a User-Agent with contact, timeouts, bounded retries, list endpoints only); it drops every
field but the ones the profile template holds before anything else sees the answer.
"""
