"""Bootstrap resampling as count matrices, and the indicator correlation matrices of many resamples at once.

PLS needs a resample only through its indicator correlation matrix. A resample that draws row ``i``
``c_i`` times has the weighted moments

    mean_j = Σ_i c_i z_ij / N,   S_jk = Σ_i c_i z_ij z_ik / N,   N = Σ_i c_i,

so the moments of a whole block of resamples are ONE matrix product ``C [Z | P]`` of the count matrix
``C`` (B × n, how often each row was drawn) with the standardized data ``Z`` (n × p) and its row-wise
products ``P`` (n × p(p+1)/2, the upper triangle of ``z_i z_i'``).  The correlations follow as
``(S_jk − mean_j mean_k) / √(var_j var_k)``.  Jackknife (leave-one-out) samples are the count matrix
``1 − I``.

Random numbers
--------------
Row ``t`` of resample ``b`` is drawn from a counter-based generator: SplitMix64 (Steele, Lea and Flood
2014, "Fast splittable pseudorandom number generators", OOPSLA; the generator Java's ``SplittableRandom``
uses) evaluated at position ``b·n + t`` of the stream keyed by the seed.  The key is the first 64-bit
word of ``numpy.random.SeedSequence(seed)``.  Every resample's rows therefore depend only on
``(seed, b)``, never on how the resamples are split into blocks, chunks or worker processes.  The
64-bit output ``h`` becomes a row ``⌊n · (h >> 11) / 2⁵³⌋``; its deviation from the uniform
distribution is below ``n / 2⁵³`` (< 10⁻¹¹ for any realistic n).

Bit-identical results
---------------------
BLAS may sum a matrix product in a different order for a different matrix shape.  Resamples are
therefore always processed in blocks of a fixed size (:func:`block_size`, a function of the data
shape only) that start at multiples of that size; a short last block is padded with copies of its
first resample.  Every resample thus sees exactly the same arithmetic whatever the chunk size or
worker count.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "Moments",
    "block_size",
    "correlations",
    "correlations_last",
    "count_matrix",
    "draw_rows",
    "jackknife_counts",
    "stream_key",
]

_GAMMA = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_BLOCK_BYTES = 16_000_000
"""Target working-set size of one block: large enough that NumPy's per-call overhead is small, small
enough to stay in the caches of the machines ukur runs on."""


def stream_key(seed: int) -> np.uint64:
    """The 64-bit SplitMix64 key of a seed: the first word of ``SeedSequence(seed)``'s state."""
    return np.random.SeedSequence(seed).generate_state(1, dtype=np.uint64)[0]


def _mix64(z: np.ndarray) -> np.ndarray:
    """SplitMix64's output function (Stafford's "Mix13" variant of the MurmurHash3 finalizer)."""
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


def draw_rows(key: np.uint64, start: int, stop: int, n: int) -> np.ndarray:
    """Row indices (stop − start, n) of resamples ``start … stop−1``: each row uniform on 0 … n−1."""
    counter = np.arange(start * n, stop * n, dtype=np.uint64) + np.uint64(1)
    h = _mix64(key + counter * _GAMMA)
    u = (h >> np.uint64(11)).astype(np.float64) * 2.0**-53
    return (u * n).astype(np.intp).reshape(stop - start, n)


def count_matrix(rows: np.ndarray, n: int) -> np.ndarray:
    """(B, n) float counts: how often each of the n rows occurs in each resample's row indices."""
    b = rows.shape[0]
    flat = rows + (np.arange(b, dtype=np.intp) * n)[:, None]
    return np.bincount(flat.ravel(), minlength=b * n).reshape(b, n).astype(np.float64)


def jackknife_counts(n: int) -> np.ndarray:
    """(n, n) counts of the n leave-one-out samples: ``1 − I``."""
    return 1.0 - np.eye(n)


def block_size(n: int, p: int) -> int:
    """Resamples per block: a power of two from 16 to 1024 whose working set stays near 16 MB.

    Depends on the data shape only, so that every run of the same problem uses the same blocks.
    """
    q = p * (p + 1) // 2
    per_resample = 8 * (n + q + 12 * p * p)
    size = 16
    while size < 1024 and 2 * size * per_resample <= _BLOCK_BYTES:
        size *= 2
    return size


@dataclass(frozen=True)
class Moments:
    """The standardized data and its row-wise products, prepared once per bootstrap.

    ``data`` is (n, p), indicators in model order, already free of missing values.  It is standardized
    with the full-sample mean and SD so the products are well scaled; correlations do not change under
    this affine map, so each resample's correlation matrix is the same as from the raw data.
    """

    data: np.ndarray
    design: np.ndarray = field(init=False, repr=False)
    design_t: np.ndarray = field(init=False, repr=False)
    upper: tuple[np.ndarray, np.ndarray] = field(init=False, repr=False)
    diagonal: np.ndarray = field(init=False, repr=False)
    square: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        x = np.asarray(self.data, dtype=np.float64)
        sd = x.std(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            z = (x - x.mean(axis=0)) / np.where(sd > 0, sd, 1.0)
        iu = np.triu_indices(x.shape[1])
        design = np.ascontiguousarray(np.hstack([z, z[:, iu[0]] * z[:, iu[1]]]))
        object.__setattr__(self, "design", design)
        object.__setattr__(self, "design_t", np.ascontiguousarray(design.T))
        position = np.empty((x.shape[1], x.shape[1]), dtype=np.intp)
        position[iu] = np.arange(iu[0].size)
        position.T[iu] = np.arange(iu[0].size)
        object.__setattr__(self, "upper", iu)
        object.__setattr__(self, "diagonal", np.flatnonzero(iu[0] == iu[1]))
        object.__setattr__(self, "square", position.ravel())

    @property
    def n(self) -> int:
        return int(self.data.shape[0])

    @property
    def p(self) -> int:
        return int(self.data.shape[1])


def correlations_last(counts: np.ndarray, moments: Moments) -> np.ndarray:
    """(p, p, B) weighted correlation matrices of the rows given by ``counts`` (B, n), batch last.

    One matrix product ``[Z | P]' C'`` for all B resamples.  A resample in which an indicator has no
    variance gets NaN in that indicator's row and column (the PLS kernel then marks it as failed).
    Callers that need bit-identical results pass blocks of a fixed shape (see the module docstring).
    """
    p = moments.p
    total = counts.sum(axis=1)
    sums = moments.design_t @ counts.T / total
    mean = sums[:p]
    i, j = moments.upper
    second = sums[p:]
    cov = second - mean[i] * mean[j]
    var = cov[moments.diagonal]
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.sqrt(np.where(var > 1e-12 * second[moments.diagonal], var, np.nan))
        r = cov / (sd[i] * sd[j])
    r[moments.diagonal] = 1.0 + 0.0 * sd  # exactly 1, or NaN for an indicator without variance
    return r[moments.square].reshape(p, p, counts.shape[0])


def correlations(counts: np.ndarray, moments: Moments) -> np.ndarray:
    """(B, p, p) weighted correlation matrices of the rows given by ``counts`` (B, n), batch first."""
    return np.moveaxis(correlations_last(counts, moments), -1, 0)
