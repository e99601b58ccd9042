"""Reading a paper's reported PLS-SEM numbers for the consistency audit (:mod:`ukur.pls.audit`).

Each number keeps the decimals it was printed with, because the audit's tolerance is the rounding of
the printed digits.

YAML format (``version: 1``)
----------------------------
Numbers are read exactly as written, so ``0.620`` counts as printed with 3 decimals; a decimal comma
may be used in quotes (``"0,620"``) and percentages may carry ``%``. Paths are written ``A -> B``;
an indirect effect ``A -> M -> B``. Every section is optional::

    version: 1
    study: Rojikun (2022), UMKM Pamulang
    n: 30                       # sample size
    bootstrap_samples: 500      # B, when the paper states it
    constructs:                 # measurement blocks (for AVE/ρC and the cross-loadings check)
      Minat Beli: [Minat_Preferensial, Minat_Referensial]
    paths:                      # path coefficients (else the bootstrap table's O is used)
      Promosi -> Minat Beli: 0.211
    r_squared:                  # predictors: k, when no paths are given
      Minat Beli: {r2: 0.886, adjusted: 0.878}
    f_squared:
      Promosi -> Minat Beli: 0.149
    bootstrap:                  # rows O (original), M (mean), STDEV, T, P
      paths:    {Promosi -> Minat Beli: {original: 0.211, mean: 0.278, stdev: 0.193, t: 1.090, p: 0.276}}
      indirect: {Promosi -> Keterlibatan -> Minat Beli: {original: 0.604, stdev: 0.173, t: 3.497, p: 0.001}}
      total:    {Promosi -> Minat Beli: {original: 0.815}}
    loadings:   {Minat_Referensial: 0.950}          # outer loadings, if printed
    cross_loadings:
      Minat_Referensial: {Minat Beli: 0.950, Promosi: 0.770}
    reliability:
      Minat Beli: {alpha: 0.975, rho_a: 0.976, rho_c: 0.982, ave: 0.931}
    fornell_larcker:            # √AVE on the diagonal, construct correlations off it (one triangle)
      Minat Beli: {Minat Beli: 0.965}
      Promosi: {Minat Beli: 0.815, Promosi: 0.922}
    profiles:
      - title: Tabel 2. Pendidikan Responden
        rows: {SLTP: {count: 4, percent: 13%}, SLTA: {count: 12, percent: 40%}}
        total: {count: 30, percent: 100%}

Errors in the file raise :class:`ukur.errors.SpecError` with the file name and line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from ukur.errors import SpecError

__all__ = ["Printed", "Reported", "load_reported"]

_NUMBER = re.compile(r"^\s*([+-]?)(\d*)(?:[.,](\d*))?\s*(%?)\s*$")


@dataclass(frozen=True, slots=True)
class Printed:
    """A number as printed: its value, the decimals shown and where it was written (line of the YAML)."""

    value: float
    decimals: int
    line: int | None = None

    @property
    def half_unit(self) -> float:
        """Half a unit in the last printed digit: the largest rounding error of this number."""
        return 0.5 * 10.0**-self.decimals


@dataclass(frozen=True)
class Reported:
    """A paper's reported numbers, as read by :func:`load_reported` (all fields optional)."""

    study: str = ""
    source: str = "table"
    n: int | None = None
    bootstrap_samples: int | None = None
    constructs: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    paths: Mapping[tuple[str, str], Printed] = field(default_factory=dict)
    r_squared: Mapping[str, Mapping[str, Printed]] = field(default_factory=dict)
    f_squared: Mapping[tuple[str, str], Printed] = field(default_factory=dict)
    bootstrap: Mapping[str, Mapping[tuple[str, ...], Mapping[str, Printed]]] = field(default_factory=dict)
    loadings: Mapping[str, Printed] = field(default_factory=dict)
    cross_loadings: Mapping[str, Mapping[str, Printed]] = field(default_factory=dict)
    reliability: Mapping[str, Mapping[str, Printed]] = field(default_factory=dict)
    fornell_larcker: Mapping[str, Mapping[str, Printed]] = field(default_factory=dict)
    profiles: tuple[Mapping[str, Any], ...] = ()


# --- reading the YAML ------------------------------------------------------------------------------------


def load_reported(text: str, *, source: str = "table") -> Reported:
    """Parse the YAML described in the module docstring; errors name ``source`` and the line."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SpecError(
            f"not valid YAML: {getattr(exc, 'problem', exc)}",
            source=source,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from exc
    if root is None:
        raise SpecError("the file is empty", source=source)
    reader = _Reader(source)
    top = reader.mapping(root, "the document")
    known = {
        "version",
        "study",
        "n",
        "bootstrap_samples",
        "constructs",
        "paths",
        "r_squared",
        "f_squared",
        "bootstrap",
        "loadings",
        "cross_loadings",
        "reliability",
        "fornell_larcker",
        "profiles",
    }
    for key, (knode, _) in top.items():
        if key not in known:
            raise reader.error(knode, f"unknown section '{key}' (allowed: {', '.join(sorted(known))})")
    if "version" in top and reader.text(top["version"][1]) != "1":
        raise reader.error(top["version"][1], "only 'version: 1' is understood")
    get = lambda k: top[k][1] if k in top else None  # noqa: E731
    boot: dict[str, dict[tuple[str, ...], Mapping[str, Printed]]] = {}
    if get("bootstrap") is not None:
        for kind, (knode, node) in reader.mapping(get("bootstrap"), "bootstrap").items():
            if kind not in ("paths", "indirect", "total"):
                raise reader.error(
                    knode, f"unknown bootstrap table '{kind}' (allowed: paths, indirect, total)"
                )
            boot[kind] = {
                reader.chain(k, 2 if kind != "indirect" else 3): reader.numbers(
                    v, ("original", "mean", "stdev", "t", "p")
                )
                for k, v in reader.mapping(node, f"bootstrap.{kind}").values()
            }
    return Reported(
        study=reader.text(get("study")) if get("study") is not None else "",
        source=source,
        n=reader.integer(get("n")),
        bootstrap_samples=reader.integer(get("bootstrap_samples")),
        constructs={
            k: tuple(reader.text(i) for i in reader.sequence(v, k))
            for k, (_, v) in reader.mapping(get("constructs"), "constructs").items()
        },
        paths=_pairs(reader, get("paths"), "paths"),
        r_squared={
            k: reader.numbers(v, ("r2", "adjusted", "predictors"))
            for k, (_, v) in reader.mapping(get("r_squared"), "r_squared").items()
        },
        f_squared=_pairs(reader, get("f_squared"), "f_squared"),
        bootstrap=boot,
        loadings={k: reader.number(v) for k, (_, v) in reader.mapping(get("loadings"), "loadings").items()},
        cross_loadings={
            k: {c: reader.number(x) for c, (_, x) in reader.mapping(v, k).items()}
            for k, (_, v) in reader.mapping(get("cross_loadings"), "cross_loadings").items()
        },
        reliability={
            k: reader.numbers(v, ("alpha", "rho_a", "rho_c", "ave"))
            for k, (_, v) in reader.mapping(get("reliability"), "reliability").items()
        },
        fornell_larcker={
            k: {c: reader.number(x) for c, (_, x) in reader.mapping(v, k).items()}
            for k, (_, v) in reader.mapping(get("fornell_larcker"), "fornell_larcker").items()
        },
        profiles=tuple(reader.profile(p) for p in reader.sequence(get("profiles"), "profiles")),
    )


def _pairs(reader: _Reader, node: yaml.Node | None, what: str) -> dict[tuple[str, str], Printed]:
    out: dict[tuple[str, str], Printed] = {}
    for key, v in reader.mapping(node, what).values():
        a, b = reader.chain(key, 2)
        out[(a, b)] = reader.number(v)
    return out


class _Reader:
    """Turns YAML nodes into values, raising :class:`SpecError` at the node's line."""

    def __init__(self, source: str) -> None:
        self.source = source

    def error(self, node: yaml.Node, message: str) -> SpecError:
        return SpecError(
            message, source=self.source, line=node.start_mark.line + 1, column=node.start_mark.column + 1
        )

    def mapping(self, node: yaml.Node | None, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        if node is None:
            return {}
        if not isinstance(node, yaml.MappingNode):
            raise self.error(node, f"{what} must be a mapping of names to values")
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for k, v in node.value:
            key = self.text(k)
            if key in out:
                raise self.error(k, f"'{key}' appears twice in {what}")
            out[key] = (k, v)
        return out

    def sequence(self, node: yaml.Node | None, what: str) -> list[yaml.Node]:
        if node is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            raise self.error(node, f"{what} must be a list")
        return list(node.value)

    def text(self, node: yaml.Node | None) -> str:
        if node is None:
            raise SpecError("a value is missing", source=self.source)
        if not isinstance(node, yaml.ScalarNode):
            raise self.error(node, "expected a single value here")
        return str(node.value).strip()

    def number(self, node: yaml.Node) -> Printed:
        raw = self.text(node)
        m = _NUMBER.match(raw)
        if not m or not (m.group(2) or m.group(3)):
            raise self.error(node, f"'{raw}' is not a number")
        sign, whole, frac, _ = m.groups()
        value = float(f"{sign}{whole or '0'}.{frac or '0'}")
        return Printed(value, len(frac or ""), node.start_mark.line + 1)

    def integer(self, node: yaml.Node | None) -> int | None:
        if node is None:
            return None
        p = self.number(node)
        if p.decimals or p.value != int(p.value) or p.value < 0:
            raise self.error(node, f"'{self.text(node)}' must be a whole number")
        return int(p.value)

    def numbers(self, node: yaml.Node, allowed: Sequence[str]) -> dict[str, Printed]:
        items = self.mapping(node, "this entry")
        for key, (knode, _) in items.items():
            if key not in allowed:
                raise self.error(knode, f"unknown field '{key}' (allowed: {', '.join(allowed)})")
        return {k: self.number(v) for k, (_, v) in items.items()}

    def chain(self, node: yaml.Node, length: int) -> tuple[str, ...]:
        """``A -> B`` (``length`` 2) or ``A -> M -> B`` (3: any chain of at least two links)."""
        text = self.text(node)
        parts = tuple(p.strip() for p in text.split("->"))
        if len(parts) < 2 or not all(parts) or (length == 2 and len(parts) != 2):
            want = "'A -> B'" if length == 2 else "'A -> M -> B'"
            raise self.error(node, f"'{text}' must be written {want}")
        return parts

    def profile(self, node: yaml.Node) -> dict[str, Any]:
        items = self.mapping(node, "a profile table")
        if "rows" not in items:
            raise self.error(node, "a profile table needs 'rows'")
        rows = {
            k: self.numbers(v, ("count", "percent"))
            for k, (_, v) in self.mapping(items["rows"][1], "rows").items()
        }
        total = self.numbers(items["total"][1], ("count", "percent")) if "total" in items else {}
        title = self.text(items["title"][1]) if "title" in items else "profile"
        return {"title": title, "rows": rows, "total": total}
