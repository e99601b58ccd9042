"""``make bench``: time ukur's PLS estimation and bootstrap against plspm, openpls-engine and seminr.

For the ECSI model (mobi, n = 250) and the corporate reputation model (CR1, n = 344) it times one
estimation and bootstraps of 1,000 and 5,000 resamples, and prints seconds, resamples per second, the
ratio to ukur and the peak memory of each tool's process.  Every tool runs in its own process
(``bench/tools.py``) so that imports, memory and BLAS settings do not leak between them.

The other tools live in ``bench/.venv-others`` (git-ignored), created on first use with
``numpy 1.26`` and ``pandas 2.2`` (plspm fails with pandas 3).  If it cannot be created (no network, no
wheels) the script says so and times ukur alone.  plspm and openpls-engine need minutes for 1,000
resamples, so by default their 5,000-resample figure is extrapolated from their 1,000-resample rate (and
marked ``*``); ``--full`` measures it.

BLAS: the machines this runs on may set ``OPENBLAS_CORETYPE`` and ``OPENBLAS_L2_SIZE`` for older OpenBLAS
builds; they slow a current NumPy.  This script removes both from the environment of **ukur's** process
only (ukur's NumPy ships a current OpenBLAS) and says so; the other tools keep the environment as it is.
Tests and CI never change them.

Afterwards it runs the SLA clock benchmark ``bench/sla_clock.py`` (unless ``--pls-only``).

Usage: ``python bench/run.py [--quick] [--full] [--pls-only] [--tools ukur,seminr,plspm,openpls]
[--models ecsi,cr1]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OTHERS = ROOT / "bench" / ".venv-others"
OTHER_PACKAGES = ["numpy==1.26.*", "pandas==2.2.*", "plspm==0.5.7", "openpls-engine==1.13.0", "seminr==0.2.1"]
BLAS_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
SLOW = ("plspm", "openpls")
TIMEOUT = 3600


def _others_python() -> tuple[Path | None, str]:
    """The interpreter of bench/.venv-others, creating it if needed, or None and the reason."""
    python = OTHERS / "bin" / "python"
    if not python.exists():
        print(f"creating {OTHERS.relative_to(ROOT)} with {', '.join(OTHER_PACKAGES)} …", flush=True)
        try:
            venv.create(OTHERS, with_pip=True)
            subprocess.run([str(python), "-m", "pip", "install", "--quiet", *OTHER_PACKAGES], check=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            return None, f"could not install the other tools ({exc})"
    probe = subprocess.run(
        [str(python), "-c", "import plspm, openpls, seminr"], capture_output=True, text=True, check=False
    )
    if probe.returncode != 0:
        return None, "the other tools do not import: " + (probe.stderr.strip().splitlines() or ["?"])[-1]
    return python, ""


def _run(tool: str, python: Path, model: str, resamples: int, repeats: int) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src")
    if tool == "ukur":
        for var in BLAS_VARS:
            env.pop(var, None)
    try:
        proc = subprocess.run(
            [str(python), str(ROOT / "bench" / "tools.py"), tool, model, str(resamples), str(repeats)],
            capture_output=True,
            text=True,
            env=env,
            check=False,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"no result within {TIMEOUT} s"}
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": last}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _blas_report(python: Path) -> str:
    code = (
        "import numpy\n"
        "try:\n"
        "    from threadpoolctl import threadpool_info\n"
        "    print('; '.join(f\"{i.get('internal_api')} {i.get('version')} {i.get('architecture')} "
        "threads={i.get('num_threads')}\" for i in threadpool_info()))\n"
        "except ImportError:\n"
        "    print('numpy', numpy.__version__, '(threadpoolctl not installed: BLAS kernel not shown)')\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in BLAS_VARS}
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True, env=env, check=False)
    return out.stdout.strip() or out.stderr.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="ukur only, fewer repeats")
    parser.add_argument("--full", action="store_true", help="also measure 5,000 resamples of plspm/openpls")
    parser.add_argument("--tools", default="ukur,seminr,plspm,openpls")
    parser.add_argument("--models", default="ecsi,cr1")
    parser.add_argument(
        "--pls-only", action="store_true", help="skip the SLA clock benchmark (bench/sla_clock.py)"
    )
    args = parser.parse_args()
    tools = ["ukur"] if args.quick else args.tools.split(",")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    removed = [v for v in BLAS_VARS if v in os.environ]
    if removed:
        print(
            f"BLAS: removed {', '.join(removed)} from ukur's process environment (the other tools keep them)"
        )
    print(f"ukur BLAS: {_blas_report(Path(sys.executable))}")
    pythons: dict[str, Path] = {"ukur": Path(sys.executable)}
    others = [t for t in tools if t != "ukur"]
    if others:
        python, why = _others_python()
        if python is None:
            print(f"skipping {', '.join(others)}: {why}")
            tools = ["ukur"]
        else:
            pythons.update({t: python for t in others})
    repeats = {"ukur": 2 if args.quick else 5}
    for model in args.models.split(","):
        print(f"\n== {model}")
        print(f"{'tool':<9}{'task':>16}{'seconds':>11}{'resamples/s':>13}{'× ukur':>9}{'peak MB':>9}")
        rows: dict[tuple[str, int], dict] = {}
        for resamples in (0, 1000, 5000):
            for tool in tools:
                extrapolate = tool in SLOW and resamples == 5000 and not args.full
                if extrapolate:
                    base = rows.get((tool, 1000), {})
                    if "best" in base:
                        rows[(tool, resamples)] = {"best": base["best"] * 5, "peak": None, "note": "*"}
                    continue
                count = repeats.get(tool, 3 if resamples == 0 else 1)
                got = _run(tool, pythons[tool], model, resamples, count)
                if "error" in got:
                    rows[(tool, resamples)] = {"error": got["error"]}
                    continue
                peak = max(got["peak_mb"], got.get("children_peak_mb", 0.0))
                rows[(tool, resamples)] = {"best": min(got["seconds"]), "peak": peak, "note": ""}
            ukur = rows.get(("ukur", resamples), {}).get("best")
            for tool in tools:
                row = rows.get((tool, resamples))
                task = "estimate" if resamples == 0 else f"boot {resamples}"
                if row is None:
                    continue
                if "error" in row:
                    print(f"{tool:<9}{task:>16}  could not run: {row['error']}")
                    continue
                secs = row["best"]
                rate = f"{resamples / secs:,.0f}" if resamples else ""
                ratio = f"{secs / ukur:,.1f}" if ukur else ""
                peak = f"{row['peak']:.0f}" if row["peak"] is not None else ""
                print(f"{tool:<9}{task:>16}{secs:>10.3f}{row['note'] or ' '}{rate:>13}{ratio:>9}{peak:>9}")
    print("\nseconds: best of the repeats (ukur 5, others 1 for bootstraps, 3 for one estimate);")
    print(
        "peak MB: largest resident set of the tool's process or its workers; * extrapolated from 1,000 resamples."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
