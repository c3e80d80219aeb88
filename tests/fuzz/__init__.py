"""Fuzzing the entry parser, the resolvers and every renderer with hostile wikitext.

Participants write their profiles and session logs by hand, and anyone can
edit them.  Whatever they write, the pages the bot generates must keep their
shape and carry nothing the bot did not mean to put there.  These tests
generate whole wiki pages (several entries each, broken and nested
templates, duplicated parameters, wrong owners, untrusted revisions) whose
values mix words the taxonomy knows, so that entries get through validation
and reach the tables, with hostile text: wikitext, HTML, signatures, magic
words, right-to-left and invisible characters, control characters, very long
strings.  The pipeline runs as the jobs run it (pages -> entries -> profiles
or sessions -> pages of text and JSON), and every output is checked:

* nothing raises;
* every line of a generated page is one the renderer writes (a participant's
  value never starts a line: a table row, a list item, a heading);
* every table parses back (line by line here, and with wikitextparser) to
  the number of tables, rows and columns the data asks for;
* every link, template, parser function, tag and comment that
  wikitextparser or mwparserfromhell finds is one the bot makes from the data
  (user links of known users, page links of known pages, the skill template
  with a known id); there is no ``~~~``, no ``__MAGIC__`` word, no bidi
  control, no free external link;
* JSON exports load and carry the participants' values as plain data;
* where a page's values are written so that their plain text is known in
  advance (character references, ``<nowiki>``), the parser reads back exactly
  the entries, values, duplicates, unknown names and templated fields written.

Most of each example comes from a seeded generator (fast and large); a few
pages come from Hypothesis draws, so that a failure shrinks to a small
example (printed with the seed of the rest).

Sizes: an entry costs about 3 ms through every job and every check, so the
default run generates about 13,000 entries in under a minute, and
``scripts/fuzz`` runs 100,000 and more (about 8 minutes).
``LETSCONNECT_FUZZ_EXAMPLES`` multiplies the number of examples (1 = the
default run, 10 = ten times as many); ``LETSCONNECT_FUZZ_REPORT`` names a JSON
file that receives the counts of what was generated and checked.

The package: ``run`` (sizes, the clock, the counts), ``text`` (hostile text, the
taxonomy's words, the sources of choices), ``profiles`` and ``sessions`` (the
generated pages), ``worlds`` (what one pipeline example holds), ``wikitext`` (reading
generated wikitext back) and ``pages`` (the checks of every job's pages); the tests
are ``test_*.py``.  ``scripts/test --fast`` leaves them out.
"""
