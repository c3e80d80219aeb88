"""Learning–sharing groups for a round: ``round`` computes them, ``values`` holds what goes
in and comes out, ``pages`` renders them; ``docs/matching.md`` maps the rest."""
