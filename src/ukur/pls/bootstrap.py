"""Nonparametric bootstrap of a PLS estimation: all resamples of a block estimated together.

``bootstrap(result, samples=5000, seed=1)`` draws ``samples`` resamples of the rows used by the
estimation (with replacement, n rows each; Efron and Tibshirani 1993; Hair et al. 2022, ch. 5),
re-estimates the model on each with the estimation's settings, and summarizes the draws of every
statistic (:mod:`ukur.pls.replicate`) with :mod:`ukur.pls.inference`.

How it runs (see :mod:`ukur.pls.resample`): a resample enters PLS only through its indicator correlation
matrix, so a block of resamples is a count matrix, one matrix product gives all their correlation
matrices, and the PLS iteration runs on the whole stack.  Blocks have a fixed size and each resample's
rows come from its own counter-based random stream, so the same seed gives bit-identical results for any
``chunk`` size and any number of ``workers`` (processes).

Resamples whose estimation fails (the iteration does not converge within ``max_iter``, a singular
Mode B block or regression, an indicator without variance in the resample) are counted in
:attr:`BootstrapResult.failed` and left out of every statistic, as seminr does.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import warnings
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

import numpy as np
import pandas as pd

from ukur.errors import EstimationError
from ukur.pls.bootstrap_result import BootstrapOptions, BootstrapResult, build_result
from ukur.pls.inference import summarize
from ukur.pls.model import Model
from ukur.pls.replicate import Plan, replicate
from ukur.pls.resample import (
    Moments,
    block_size,
    correlations_last,
    count_matrix,
    draw_rows,
    stream_key,
)

__all__ = ["BootstrapOptions", "BootstrapResult", "bootstrap", "bootstrap_data"]

Progress = Callable[[int, int], None]

_BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
"""Spawned worker processes run single-threaded BLAS: the matrix products of one block are small, and
``workers`` processes with several BLAS threads each would only compete for the same cores."""


def _resolve_seed(seed: int | np.random.Generator | None) -> int:
    """The integer seed to record: given, drawn from a Generator, or fresh entropy."""
    if seed is None:
        return int(np.random.SeedSequence().entropy % (2**63))  # type: ignore[operator]
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(0, 2**63 - 1))
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise EstimationError(
            f"seed must be a non-negative integer or a numpy Generator, not {seed!r}", field="seed"
        )
    return int(seed)


def _run_blocks(
    plan: Plan,
    moments: Moments,
    key: np.uint64,
    start: int,
    stop: int,
    samples: int,
    block: int,
    reference: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Estimate resamples ``start … stop−1`` (start a multiple of ``block``) block by block.

    ``reference``: original loadings for construct-level sign changes (None: no sign changes).
    """
    values = []
    oks = []
    for first in range(start, stop, block):
        rows = draw_rows(key, first, first + block, moments.n)
        corr = correlations_last(count_matrix(rows, moments.n), moments)
        v, ok = replicate(corr, plan, batch_last=True, reference_loadings=reference)
        keep = min(block, samples - first)
        values.append(v[:keep])
        oks.append(ok[:keep])
    return np.concatenate(values), np.concatenate(oks)


def _pool_context() -> Any:
    """Worker processes: forked on Linux (instant, nothing re-imported), spawned elsewhere.

    A spawned worker re-imports the program's ``__main__`` (for the ``ukur`` command: the whole CLI), which
    costs seconds.  Forking is safe here: workers are started from the main thread while no BLAS call runs,
    and OpenBLAS re-creates its thread pool in the child (``pthread_atfork``).
    """
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _draws(
    plan: Plan,
    moments: Moments,
    key: np.uint64,
    samples: int,
    *,
    chunk: int | None,
    workers: int,
    progress: Progress | None,
    reference: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    block = block_size(moments.n, moments.p)
    if chunk is None:
        chunk = block * max(1, -(-samples // (block * 8 * max(workers, 1))))
    chunk = block * max(1, -(-chunk // block))
    ranges = [(s, min(s + chunk, samples)) for s in range(0, samples, chunk)]
    values = np.empty((samples, plan.width))
    ok = np.empty(samples, dtype=bool)
    done = 0
    if progress is not None:
        progress(0, samples)
    if workers <= 1:
        for start, stop in ranges:
            for first in range(start, stop, block):
                last = min(first + block, stop)
                values[first:last], ok[first:last] = _run_blocks(
                    plan, moments, key, first, last, samples, block, reference
                )
                done += last - first
                if progress is not None:
                    progress(done, samples)
        return values, ok
    saved = {name: os.environ.get(name) for name in _BLAS_THREADS}
    os.environ.update(dict.fromkeys(_BLAS_THREADS, "1"))  # inherited by the worker processes only
    try:
        with (
            warnings.catch_warnings(),
            ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool,
        ):
            # Python ≥ 3.12 warns about fork() in a process with threads (here: BLAS's idle pool)
            warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
            futures = {
                pool.submit(_run_blocks, plan, moments, key, start, stop, samples, block, reference): (
                    start,
                    stop,
                )
                for start, stop in ranges
            }
            for future in as_completed(futures):
                start, stop = futures[future]
                values[start:stop], ok[start:stop] = future.result()
                done += stop - start
                if progress is not None:
                    progress(done, samples)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return values, ok


def _jackknife(plan: Plan, moments: Moments, reference: np.ndarray | None) -> np.ndarray:
    """(n, m) statistics of the n leave-one-out samples (for the BCa acceleration), block by block."""
    n = moments.n
    block = block_size(n, moments.p)
    out = np.empty((n, plan.width))
    for first in range(0, n, block):
        last = min(first + block, n)
        counts = np.ones((last - first, n))
        counts[np.arange(last - first), np.arange(first, last)] = 0.0
        corr = correlations_last(counts, moments)
        out[first:last], _ = replicate(corr, plan, batch_last=True, reference_loadings=reference)
    return out


def bootstrap_data(
    model: Model,
    data: np.ndarray | pd.DataFrame,
    *,
    scheme: str = "path",
    tol: float = 1e-7,
    max_iter: int = 300,
    criterion: str = "sum_abs",
    htmt: str = "absolute",
    options: BootstrapOptions | None = None,
    chunk: int | None = None,
    workers: int = 1,
    progress: Progress | None = None,
) -> BootstrapResult:
    """Bootstrap ``model`` on treated indicator ``data`` (n × p, columns in ``model.indicators`` order).

    The engine behind :func:`bootstrap`; use it directly when no :class:`PLSResult` is at hand.
    """
    options = options or BootstrapOptions()
    x = data[list(model.indicators)].to_numpy(dtype=float) if isinstance(data, pd.DataFrame) else data
    x = np.asarray(x, dtype=float)
    if x.ndim != 2 or x.shape[1] != len(model.indicators):
        raise ValueError(f"data must be n × {len(model.indicators)}, not {x.shape}")
    if workers < 1:
        raise EstimationError(f"workers must be at least 1, not {workers}", field="workers")
    plan = Plan(model, scheme=scheme, tol=tol, max_iter=max_iter, criterion=criterion, htmt=htmt)
    moments = Moments(x)
    original, ok = replicate(correlations_last(np.ones((1, moments.n)), moments), plan, batch_last=True)
    if not ok[0]:
        raise EstimationError(
            "the model cannot be estimated on the full sample, so it cannot be bootstrapped"
        )
    seed = _resolve_seed(options.seed)
    reference = original[0][plan.slices["loadings"]] if options.sign_change == "construct" else None
    values, good = _draws(
        plan,
        moments,
        stream_key(seed),
        options.samples,
        chunk=chunk,
        workers=workers,
        progress=progress,
        reference=reference,
    )
    usable = int(good.sum())
    if usable < 2:
        raise EstimationError(
            f"only {usable} of {options.samples} bootstrap resamples could be estimated; "
            "the model is not stable enough to bootstrap"
        )
    jack = _jackknife(plan, moments, reference) if options.ci == "bca" else None
    summary = summarize(
        original[0],
        values[good],
        alpha=options.alpha,
        tails=options.tails,
        ci=options.ci,
        jackknife=jack,
        sd=options.sd,
        t_statistic=options.t_statistic,
        p_value=options.p_value,
    )
    return build_result(
        plan,
        options,
        seed=seed,
        failed=options.samples - usable,
        summary=summary,
        draws=values[good],
        original=original[0],
        jackknife=jack,
    )


def bootstrap(
    result: Any,
    samples: int = 5000,
    seed: int | np.random.Generator | None = None,
    *,
    ci: str = "percentile",
    alpha: float = 0.05,
    tails: int = 2,
    workers: int = 1,
    progress: Progress | None = None,
    chunk: int | None = None,
    sd: str = "n-1",
    t_statistic: str = "original",
    p_value: str = "t",
    sign_change: str = "none",
) -> BootstrapResult:
    """Bootstrap a PLS estimation (:class:`~ukur.pls.result.PLSResult`) with its own settings.

    The resamples are drawn from the rows the estimation used (after its missing-value treatment) and
    estimated with its scheme, stop rule and HTMT convention.  f² is always bootstrapped with the
    same-scores (SmartPLS) definition.

    Parameters
    ----------
    samples : number of resamples (SmartPLS recommends 5,000 or more for final results).
    seed : integer or ``numpy.random.Generator``; the integer used is stored in the result.
    ci : ``"percentile"`` (default, SmartPLS 4) or ``"bca"`` (bias-corrected and accelerated).
    alpha, tails : significance level and a two-tailed (2) or one-tailed (1) test.
    workers : processes to spread the resamples over (same result for any number).
    progress : called as ``progress(done, total)`` after each block of resamples.
    chunk : resamples per task (rounded up to whole blocks); only changes scheduling, never results.
    sd, t_statistic, p_value, sign_change : conventions, see :class:`BootstrapOptions` and
        ``docs/bootstrap.md``.
    """
    options = BootstrapOptions(
        samples=samples,
        seed=seed,
        ci=ci,
        alpha=alpha,
        tails=tails,
        sd=sd,
        t_statistic=t_statistic,
        p_value=p_value,
        sign_change=sign_change,
    )
    model, data, settings = _unpack(result)
    return bootstrap_data(
        model, data, **settings, options=options, chunk=chunk, workers=workers, progress=progress
    )


def _unpack(result: Any) -> tuple[Model, np.ndarray, dict[str, Any]]:
    """Model, treated data (rows used, model indicator order) and PLS settings of a :class:`PLSResult`."""
    model = result.model
    frame = result.prepared.data
    keys = ("scheme", "tol", "max_iter", "criterion", "htmt")
    settings = {k: getattr(result.options, k) for k in keys if hasattr(result.options, k)}
    return model, frame[list(model.indicators)].to_numpy(dtype=float), settings
