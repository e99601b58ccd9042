"""Hypothesis tests on a bootstrap: direct paths and mediation chains, supported or not.

A hypothesis names an effect of the structural model:

* ``A -> B``: the direct path from A to B (it must be a path of the model);
* ``A -> M -> B`` (any number of mediators): the specific indirect effect along that chain, the
  product of its paths (every link must be a path of the model).

One hypothesis per line, with an optional label before a colon; ``#`` starts a comment and blank lines
are skipped::

    # direct effects
    H1: Promosi -> Keterlibatan
    H4: Promosi -> Keterlibatan -> MinatBeli   # mediation

A hypothesis is *supported* when its p value is below ``alpha`` (the test of the effect being zero, as
reported in SmartPLS' bootstrap tables; Hair et al. 2022, ch. 6–7).  With ``tails=1`` the p value is
one-tailed.  The table also gives the confidence interval, which excludes zero exactly when a
percentile-based decision would support the hypothesis.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ukur.errors import SpecError
from ukur.pls.bootstrap_result import STATS, BootstrapResult
from ukur.pls.inference import summarize
from ukur.pls.model import Model

__all__ = ["Hypothesis", "HypothesisResult", "check_hypotheses", "hypotheses", "parse_hypotheses"]

_ARROW = re.compile(r"\s*(?:->|→)\s*")
_LABEL = re.compile(r"^\s*([^:]+?)\s*:\s*(.*)$")


@dataclass(frozen=True)
class Hypothesis:
    """A labelled effect (a chain of construct names) with the line it came from."""

    label: str
    chain: tuple[str, ...]
    line: int

    @property
    def effect(self) -> str:
        return " -> ".join(self.chain)


def parse_hypotheses(text: str | Sequence[str], *, source: str = "hypotheses") -> tuple[Hypothesis, ...]:
    """Parse hypotheses from text (one per line) or a list of lines.

    Unlabelled hypotheses are labelled ``H1``, ``H2``, … by their position.  Raises
    :class:`~ukur.errors.SpecError` naming the line for a line without an arrow, an empty construct
    name or a repeated label.
    """
    lines = text.splitlines() if isinstance(text, str) else list(text)
    out: list[Hypothesis] = []
    labels: set[str] = set()
    for number, raw in enumerate(lines, start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = _LABEL.match(line)
        label, body = (match.group(1), match.group(2)) if match else (f"H{len(out) + 1}", line)
        names = tuple(_ARROW.split(body.strip()))
        if len(names) < 2:
            raise SpecError(
                f"hypothesis '{line}' names no effect: write 'A -> B' or 'A -> M -> B'",
                source=source,
                line=number,
            )
        if any(not n for n in names):
            raise SpecError(f"hypothesis '{line}' has an empty construct name", source=source, line=number)
        if label in labels:
            raise SpecError(
                f"hypothesis label '{label}' is used twice", source=source, line=number, field=label
            )
        labels.add(label)
        out.append(Hypothesis(label, names, number))
    return tuple(out)


@dataclass(frozen=True)
class HypothesisResult:
    """The hypothesis table.

    Columns: ``label``, ``effect`` (``"A -> M -> B"``), ``kind`` (``"direct"`` or ``"indirect"``), the
    bootstrap statistics (``original, mean, std, t, p, ci_low, ci_high, bias``) and ``supported`` (bool).
    """

    table: pd.DataFrame
    alpha: float
    tails: int

    def to_list(self) -> list[dict[str, Any]]:
        """The top-level ``"hypotheses"`` list of the estimate JSON."""
        out = []
        for _, row in self.table.iterrows():
            entry: dict[str, Any] = {
                "label": row["label"],
                "path": list(row["chain"]),
                "kind": row["kind"],
            }
            for name in STATS:
                value = float(row[name])
                entry[name] = value if np.isfinite(value) else None
            entry["supported"] = bool(row["supported"])
            out.append(entry)
        return out


def check_hypotheses(model: Model, parsed: Sequence[Hypothesis], *, source: str = "hypotheses") -> None:
    """Raise :class:`~ukur.errors.SpecError` naming the line of the first hypothesis ``model`` lacks.

    Lets a caller reject a hypotheses file before spending time on the bootstrap.
    """
    for hyp in parsed:
        _column(model, hyp, source)


def _column(model: Model, hyp: Hypothesis, source: str) -> str:
    """The draws column of a hypothesis' effect, or a SpecError naming what is missing."""
    known = set(model.construct_names)
    for name in hyp.chain:
        if name not in known:
            raise SpecError(
                f"hypothesis {hyp.label}: unknown construct '{name}' (the model has {', '.join(sorted(known))})",
                source=source,
                line=hyp.line,
                field=name,
            )
    edges = {(p.source, p.target) for p in model.paths}
    for a, b in zip(hyp.chain[:-1], hyp.chain[1:], strict=True):
        if (a, b) not in edges:
            raise SpecError(
                f"hypothesis {hyp.label}: the structural model has no path {a} -> {b}",
                source=source,
                line=hyp.line,
                field=f"{a} -> {b}",
            )
    group = "paths" if len(hyp.chain) == 2 else "indirect"
    return f"{group}:{hyp.effect}"


def hypotheses(
    boot: BootstrapResult,
    spec: str | Sequence[str],
    *,
    alpha: float | None = None,
    tails: int | None = None,
    source: str = "hypotheses",
) -> HypothesisResult:
    """Test hypotheses (text or lines, see the module docstring) on a bootstrap result.

    ``alpha`` and ``tails`` default to the bootstrap's own; other values re-summarize the stored draws
    with the bootstrap's conventions (CI method, SD divisor, t and p definitions).
    """
    parsed = parse_hypotheses(spec, source=source)
    o = boot.options
    alpha = o.alpha if alpha is None else alpha
    tails = o.tails if tails is None else tails
    columns = [_column(boot.model, h, source) for h in parsed]
    jack = None if boot.jackknife is None else boot.jackknife[columns].to_numpy()
    summary = summarize(
        boot.original[columns].to_numpy(),
        boot.draws[columns].to_numpy(),
        alpha=alpha,
        tails=tails,
        ci=o.ci,
        jackknife=jack,
        sd=o.sd,
        t_statistic=o.t_statistic,
        p_value=o.p_value,
    )
    table = pd.DataFrame(
        {
            "label": [h.label for h in parsed],
            "effect": [h.effect for h in parsed],
            "chain": pd.Series([h.chain for h in parsed], dtype=object),
            "kind": ["direct" if len(h.chain) == 2 else "indirect" for h in parsed],
            **{name: getattr(summary, name) for name in STATS},
        }
    )
    table["supported"] = table["p"] < alpha
    return HypothesisResult(table=table, alpha=float(alpha), tails=int(tails))
