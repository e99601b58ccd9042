"""Mediation: the chains of the structural model and their effects, for a stack of path matrices.

In a recursive (acyclic) path model with path matrix ``B`` (``B[i, j]`` the coefficient of ``i -> j``)
the effect transmitted along one directed chain ``X -> M1 -> … -> Y`` is the product of its path
coefficients: the **specific indirect effect** (Alwin and Hauser 1975, "The decomposition of effects in
path analysis", ASR 40; Hair et al. 2022, *A Primer on PLS-SEM*, 3rd ed., ch. 7).  The **total effect**
of X on Y is the sum over all chains, ``T = B + B² + … + B^(K−1)``, and the **total indirect effect** is
``T − B``, the sum over the chains with at least one mediator.  SmartPLS reports the same three tables
("Specific indirect effects", "Total indirect effects", "Total effects").
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from ukur.pls.model import Model

__all__ = ["Effects", "chains", "specific_indirect"]


def chains(adjacency: np.ndarray) -> tuple[tuple[int, ...], ...]:
    """Every directed chain with at least one mediator (≥ 3 constructs) of an acyclic path matrix.

    Ordered by source, then target, then length, then the mediators' positions, so the order follows the
    constructs' declaration order.
    """
    adj = np.asarray(adjacency, dtype=bool)
    k = adj.shape[0]
    found: list[tuple[int, ...]] = []

    def walk(chain: tuple[int, ...]) -> None:
        for nxt in np.flatnonzero(adj[chain[-1]]).tolist():
            longer = (*chain, nxt)
            if len(longer) >= 3:
                found.append(longer)
            walk(longer)

    for source in range(k):
        walk((source,))
    return tuple(sorted(found, key=lambda c: (c[0], c[-1], len(c), c)))


def specific_indirect(paths: np.ndarray, chain_list: tuple[tuple[int, ...], ...]) -> np.ndarray:
    """(B, len(chain_list)) products of the path coefficients along each chain, for a (B, K, K) stack."""
    out = np.ones((paths.shape[0], len(chain_list)))
    for c, chain in enumerate(chain_list):
        for a, b in itertools.pairwise(chain):
            out[:, c] *= paths[:, a, b]
    return out


@dataclass(frozen=True)
class Effects:
    """Which structural effects a model has, as index pairs/chains into its construct order.

    ``paths``: the direct paths in the model's declaration order; ``total``: every pair joined by at least
    one chain; ``chains``: every chain with a mediator; ``indirect``: every pair joined by such a chain.
    """

    constructs: tuple[str, ...]
    paths: tuple[tuple[int, int], ...]
    total: tuple[tuple[int, int], ...]
    chains: tuple[tuple[int, ...], ...]
    indirect: tuple[tuple[int, int], ...]

    @classmethod
    def from_model(cls, model: Model) -> Effects:
        names = model.construct_names
        index = {n: k for k, n in enumerate(names)}
        direct = tuple((index[p.source], index[p.target]) for p in model.paths)
        chain_list = chains(model.adjacency)
        indirect = tuple(sorted({(c[0], c[-1]) for c in chain_list}))
        total = tuple(sorted(set(direct) | set(indirect)))
        return cls(names, direct, total, chain_list, indirect)

    def label(self, chain: tuple[int, ...]) -> str:
        """``"A -> M -> B"`` for a chain (or a pair) of construct indices."""
        return " -> ".join(self.constructs[k] for k in chain)

    def find_chain(self, names: tuple[str, ...]) -> int | None:
        """Position of the chain with these construct names in :attr:`chains`, or None."""
        index = {n: k for k, n in enumerate(self.constructs)}
        key = tuple(index[n] for n in names)
        return self.chains.index(key) if key in self.chains else None
