"""CapX's capacity tree: every capacity (a CapX "skill") with its parent, name and
Wikidata item.

Two shapes are read: the snapshot CapX's frontend ships (code -> node, a root's
``skill_type`` is its own code; ``parentCapacity`` nests the ancestors) and the backend's
``/skill/`` list (``id``, ``skill_type`` = the parent or null, ``skill_wikidata_item``,
no names: CapX takes names from Metabase and Wikidata).  Both become one
:class:`CapacityTree`; a malformed node is an error the caller reports, never a crash
further on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

#: CapX nests at most 3 levels; a deeper chain is a cycle in bad data, not a tree.
MAX_DEPTH = 8


class TreeError(ValueError):
    """The data is not a capacity tree; the message says what is wrong."""


@dataclass(frozen=True)
class Capacity:
    code: int
    parent: int | None = None
    name: str = ""
    qid: str = ""  # the Wikidata item where CapX has one (only the roots, in 2025)

    @property
    def label(self) -> str:
        """What a reader is shown: the name, or the code when CapX gave no name."""
        return self.name or str(self.code)


def _code(value: object, what: str) -> int:
    if isinstance(value, bool):
        raise TreeError(f"{what}: got {value!r}, expected a number")
    try:
        code = int(str(value))
    except (TypeError, ValueError) as error:
        raise TreeError(f"{what}: got {value!r}, expected a number") from error
    if code <= 0:
        raise TreeError(f"{what}: got {code}, expected a positive number")
    return code


def _parent(code: int, value: object, what: str) -> int | None:
    if value is None or value == "":
        return None
    parent = _code(value, what)
    return None if parent == code else parent


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


@dataclass(frozen=True)
class CapacityTree:
    nodes: Mapping[int, Capacity]

    @classmethod
    def from_snapshot(cls, data: object) -> CapacityTree:
        """The frontend's ``capacities.json`` shape: ``{"10": {"code": 10, "name": …,
        "skill_type": 10, "wd_code": "Q759524", …}, …}``."""
        if not isinstance(data, Mapping):
            raise TreeError("expected a mapping of capacity code to capacity")
        nodes: dict[int, Capacity] = {}
        for key, node in data.items():
            if not isinstance(node, Mapping):
                raise TreeError(f"capacity {key!r}: expected a mapping")
            code = _code(node.get("code", key), f"capacity {key!r}")
            nodes[code] = Capacity(
                code,
                _parent(code, node.get("skill_type"), f"capacity {key!r}: skill_type"),
                _text(node.get("name")),
                _text(node.get("wd_code")),
            )
        return cls._checked(nodes)

    @classmethod
    def from_skill_list(cls, items: Iterable[object]) -> CapacityTree:
        """The backend's ``/skill/`` results: ``[{"id": 10, "skill_type": null,
        "skill_wikidata_item": "Q…"}, …]`` (``skill_wikidata_item`` is a Metabase item,
        not a Wikidata one: it is not kept)."""
        nodes: dict[int, Capacity] = {}
        for i, item in enumerate(items):
            if not isinstance(item, Mapping):
                raise TreeError(f"skill {i}: expected a mapping")
            code = _code(item.get("id"), f"skill {i}")
            nodes[code] = Capacity(code, _parent(code, item.get("skill_type"), f"skill {code}"))
        return cls._checked(nodes)

    @classmethod
    def _checked(cls, nodes: dict[int, Capacity]) -> CapacityTree:
        tree = cls(nodes)
        for code in nodes:
            tree.lineage(code)  # raises on a cycle
        return tree

    def with_names(self, names: Mapping[int, str]) -> CapacityTree:
        """The same tree with names filled in where it has none (from another source)."""
        return CapacityTree({
            code: node if node.name or code not in names
            else Capacity(node.code, node.parent, names[code], node.qid)
            for code, node in self.nodes.items()
        })

    def __contains__(self, code: object) -> bool:
        return code in self.nodes

    def __iter__(self) -> Iterator[Capacity]:
        return iter(sorted(self.nodes.values(), key=lambda c: c.code))

    def __len__(self) -> int:
        return len(self.nodes)

    def lineage(self, code: int) -> tuple[int, ...]:
        """``code`` and its ancestors, nearest first; a parent the tree lacks ends the line
        (CapX may add a capacity before the snapshot knows its parent)."""
        line: list[int] = []
        current: int | None = code
        while current is not None and current in self.nodes:
            if current in line or len(line) >= MAX_DEPTH:
                raise TreeError(f"capacity {code}: its parents go round in a circle")
            line.append(current)
            current = self.nodes[current].parent
        return tuple(line) or (code,)

    def roots(self) -> tuple[Capacity, ...]:
        return tuple(c for c in self if c.parent is None or c.parent not in self.nodes)

    def label(self, code: int) -> str:
        node = self.nodes.get(code)
        return node.label if node else str(code)
