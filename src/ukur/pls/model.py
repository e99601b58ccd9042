"""The PLS path model: constructs (composites with their indicators) and structural paths.

A :class:`Model` is an immutable value. The text syntax (:mod:`ukur.pls.syntax`) and the Python builder
(``Model.build()``) both produce it, and :meth:`Model.to_syntax` writes it back so that the two round-trip.

Measurement modes follow the PLS literature (Lohmöller 1989; Hair et al. 2022, ch. 2):

* Mode A (``=~``, "reflective" in SmartPLS' wording): outer weights are the correlations between each
  indicator and the construct's inner proxy.
* Mode B (``<~``, "formative"): outer weights are the multiple-regression coefficients of the inner proxy
  on the block's indicators.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

import numpy as np

from ukur.errors import ModelError

__all__ = ["Construct", "Mode", "Model", "ModelBuilder", "Path"]


class Mode(StrEnum):
    """How a construct's outer weights are estimated."""

    A = "A"
    B = "B"


@dataclass(frozen=True, slots=True)
class Construct:
    """A composite: a name, its indicators (column names of the data) and its measurement mode."""

    name: str
    indicators: tuple[str, ...]
    mode: Mode = Mode.A

    def __post_init__(self) -> None:
        object.__setattr__(self, "indicators", tuple(self.indicators))
        object.__setattr__(self, "mode", Mode(self.mode))


@dataclass(frozen=True, slots=True)
class Path:
    """A structural path ``source -> target`` (``target ~ source`` in the syntax)."""

    source: str
    target: str


@dataclass(frozen=True)
class Model:
    """A validated PLS path model.

    Constructs keep the order in which they were declared; :attr:`order` is a causal (topological)
    order of the structural model, with ties broken by declaration order. Every construct must be
    measured, take part in at least one path (unless the model has a single construct), and the
    structural model must be acyclic.
    """

    constructs: tuple[Construct, ...]
    paths: tuple[Path, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "constructs", tuple(self.constructs))
        object.__setattr__(self, "paths", tuple(self.paths))
        validate(self)

    # --- construction -------------------------------------------------------------------------
    @staticmethod
    def build() -> ModelBuilder:
        """Start a fluent builder: ``Model.build().reflective("Image", ...).path(...).model()``."""
        return ModelBuilder()

    @classmethod
    def from_syntax(cls, text: str, *, source: str = "model") -> Model:
        """Parse the lavaan-style text syntax (see :mod:`ukur.pls.syntax`)."""
        from ukur.pls.syntax import parse_model

        return parse_model(text, source=source)

    def to_syntax(self) -> str:
        """Write the model in the text syntax; ``Model.from_syntax(m.to_syntax()) == m``."""
        from ukur.pls.syntax import format_model

        return format_model(self)

    # --- lookups --------------------------------------------------------------------------------
    @cached_property
    def construct_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.constructs)

    @cached_property
    def indicators(self) -> tuple[str, ...]:
        """All indicators, block by block in declaration order."""
        return tuple(i for c in self.constructs for i in c.indicators)

    def construct(self, name: str) -> Construct:
        for c in self.constructs:
            if c.name == name:
                return c
        raise KeyError(name)

    def predecessors(self, name: str) -> tuple[str, ...]:
        """Constructs with a path into ``name``, in declaration order."""
        sources = {p.source for p in self.paths if p.target == name}
        return tuple(n for n in self.construct_names if n in sources)

    def successors(self, name: str) -> tuple[str, ...]:
        targets = {p.target for p in self.paths if p.source == name}
        return tuple(n for n in self.construct_names if n in targets)

    @cached_property
    def endogenous(self) -> tuple[str, ...]:
        """Constructs with at least one predecessor, in causal order."""
        return tuple(n for n in self.order if self.predecessors(n))

    @cached_property
    def exogenous(self) -> tuple[str, ...]:
        return tuple(n for n in self.order if not self.predecessors(n))

    @cached_property
    def order(self) -> tuple[str, ...]:
        """A causal order: every construct after all its predecessors (Kahn's algorithm)."""
        return _topological_order(self.construct_names, self.paths)

    @cached_property
    def adjacency(self) -> np.ndarray:
        """Boolean matrix ``D[i, j]`` true when there is a path from construct i to j (declaration order)."""
        index = {n: k for k, n in enumerate(self.construct_names)}
        d = np.zeros((len(index), len(index)), dtype=bool)
        for p in self.paths:
            d[index[p.source], index[p.target]] = True
        d.setflags(write=False)
        return d


class ModelBuilder:
    """Fluent construction of a :class:`Model` from Python."""

    def __init__(self) -> None:
        self._constructs: list[Construct] = []
        self._paths: list[Path] = []

    def reflective(self, name: str, indicators: Sequence[str]) -> ModelBuilder:
        """A Mode A composite (``name =~ i1 + i2``)."""
        self._constructs.append(Construct(name, tuple(indicators), Mode.A))
        return self

    def formative(self, name: str, indicators: Sequence[str]) -> ModelBuilder:
        """A Mode B composite (``name <~ i1 + i2``)."""
        self._constructs.append(Construct(name, tuple(indicators), Mode.B))
        return self

    def path(self, source: str | Iterable[str], target: str) -> ModelBuilder:
        """One or several paths into ``target``."""
        sources = [source] if isinstance(source, str) else list(source)
        self._paths.extend(Path(s, target) for s in sources)
        return self

    def model(self) -> Model:
        return Model(tuple(self._constructs), tuple(self._paths))


def validate(model: Model) -> None:
    """Raise :class:`ModelError` naming the construct, indicator or cycle that makes ``model`` invalid."""
    if not model.constructs:
        raise ModelError("the model declares no constructs")
    seen: dict[str, str] = {}
    names: set[str] = set()
    for c in model.constructs:
        if c.name in names:
            raise ModelError(f"construct '{c.name}' is declared twice", field=c.name)
        names.add(c.name)
        if not c.indicators:
            raise ModelError(f"construct '{c.name}' has no indicators", field=c.name)
        if len(set(c.indicators)) != len(c.indicators):
            dup = next(i for i in c.indicators if c.indicators.count(i) > 1)
            raise ModelError(f"indicator '{dup}' is listed twice in construct '{c.name}'", field=dup)
        for i in c.indicators:
            if i in seen:
                raise ModelError(
                    f"indicator '{i}' is used by two constructs ('{seen[i]}' and '{c.name}')",
                    field=i,
                )
            seen[i] = c.name
    pairs: set[tuple[str, str]] = set()
    for p in model.paths:
        for end in (p.source, p.target):
            if end not in names:
                raise ModelError(
                    f"construct '{end}' is used in a path but never measured "
                    f"(declare it with '{end} =~ ...' or '{end} <~ ...')",
                    field=end,
                )
        if p.source == p.target:
            raise ModelError(f"construct '{p.source}' has a path to itself", field=p.source)
        if (p.source, p.target) in pairs:
            raise ModelError(f"path '{p.source} -> {p.target}' is declared twice", field=p.target)
        pairs.add((p.source, p.target))
    if len(model.constructs) > 1:
        connected = {p.source for p in model.paths} | {p.target for p in model.paths}
        for c in model.constructs:
            if c.name not in connected:
                raise ModelError(
                    f"construct '{c.name}' is not connected to any other construct by a path",
                    field=c.name,
                )
    _topological_order(tuple(c.name for c in model.constructs), model.paths)


def _topological_order(names: Sequence[str], paths: Iterable[Path]) -> tuple[str, ...]:
    preds: Mapping[str, set[str]] = {n: set() for n in names}
    for p in paths:
        preds[p.target].add(p.source)
    remaining = list(names)
    done: list[str] = []
    while remaining:
        ready = [n for n in remaining if preds[n] <= set(done)]
        if not ready:
            raise ModelError(f"the structural model has a cycle: {_describe_cycle(remaining, preds)}")
        done.append(ready[0])
        remaining.remove(ready[0])
    return tuple(done)


def _describe_cycle(remaining: Sequence[str], preds: Mapping[str, set[str]]) -> str:
    """Walk predecessors inside the unresolved set until a name repeats: that loop is a cycle."""
    inside = set(remaining)
    walk = [remaining[0]]
    while True:
        nxt = sorted(preds[walk[-1]] & inside, key=list(remaining).index)[0]
        if nxt in walk:
            loop = [*walk[walk.index(nxt) :], nxt]
            return " -> ".join(reversed(loop))
        walk.append(nxt)
