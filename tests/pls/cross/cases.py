"""The cross-check cases: data file, measurement model, paths and settings, written once.

This module is plain data (standard library only) because two interpreters read it: the test suite
(with ukur) and ``generate.py``, which runs plspm, seminr (Python port) and openpls-engine in a virtual
environment of their own to write the committed fixtures.  Each case names its data file in
``shared/data`` (or the repo), its constructs as ``(name, mode, indicators)`` with mode ``"A"`` or
``"B"``, its paths as ``(from, to)``, the inner weighting schemes to run, the missing-value markers and
treatment (``mean`` replacement or ``casewise`` deletion), and whether the fixtures carry construct
scores (``scores``; n × K values, so only for a few cases).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
SHARED_DATA = REPO.parent / "shared" / "data"

Construct = tuple[str, str, tuple[str, ...]]


def items(prefix: str, numbers: range | list[int]) -> tuple[str, ...]:
    return tuple(f"{prefix}{i}" for i in numbers)


@dataclass(frozen=True)
class Case:
    """One data set and model, estimated under each scheme in ``schemes``."""

    name: str
    data: Path
    constructs: tuple[Construct, ...]
    paths: tuple[tuple[str, str], ...]
    schemes: tuple[str, ...] = ("path",)
    na_values: tuple[float, ...] = ()
    missing: str = "mean"
    scores: bool = False
    index_col: bool = False
    note: str = ""
    tools: tuple[str, ...] = field(default=("plspm", "seminr", "openpls"))

    @property
    def indicators(self) -> tuple[str, ...]:
        return tuple(i for _, _, block in self.constructs for i in block)

    def syntax(self) -> str:
        """The model in ukur's lavaan-style syntax."""
        lines = [
            f"{name} {'=~' if mode == 'A' else '<~'} {' + '.join(block)}"
            for name, mode, block in self.constructs
        ]
        targets: dict[str, list[str]] = {}
        for source, target in self.paths:
            targets.setdefault(target, []).append(source)
        lines += [f"{target} ~ {' + '.join(sources)}" for target, sources in targets.items()]
        return "\n".join(lines) + "\n"


_ECSI_PATHS = (
    ("IMAG", "EXPE"),
    ("EXPE", "QUAL"),
    ("EXPE", "VAL"),
    ("QUAL", "VAL"),
    ("IMAG", "SAT"),
    ("EXPE", "SAT"),
    ("QUAL", "SAT"),
    ("VAL", "SAT"),
    ("IMAG", "LOY"),
    ("SAT", "LOY"),
)


def _ecsi(modes: dict[str, str]) -> tuple[Construct, ...]:
    blocks = {
        "IMAG": items("imag", range(1, 6)),
        "EXPE": items("expe", range(1, 6)),
        "QUAL": items("qual", range(1, 6)),
        "VAL": items("val", range(1, 5)),
        "SAT": items("sat", range(1, 5)),
        "LOY": items("loy", range(1, 5)),
    }
    return tuple((name, modes.get(name, "A"), block) for name, block in blocks.items())


_CR2_CONSTRUCTS: tuple[Construct, ...] = (
    ("QUAL", "B", items("qual_", range(1, 9))),
    ("PERF", "B", items("perf_", range(1, 6))),
    ("CSOR", "B", items("csor_", range(1, 6))),
    ("ATTR", "B", items("attr_", range(1, 4))),
    ("COMP", "A", items("comp_", range(1, 4))),
    ("LIKE", "A", items("like_", range(1, 4))),
    ("CUSA", "A", ("cusa",)),
    ("CUSL", "A", items("cusl_", range(1, 4))),
)
_CR2_PATHS = tuple(
    [(s, t) for t in ("COMP", "LIKE") for s in ("QUAL", "PERF", "CSOR", "ATTR")]
    + [("COMP", "CUSA"), ("LIKE", "CUSA"), ("COMP", "CUSL"), ("LIKE", "CUSL"), ("CUSA", "CUSL")]
)

CASES: tuple[Case, ...] = (
    Case(
        "ecsi",
        SHARED_DATA / "satisfaction_plspm.csv",
        _ecsi({}),
        _ECSI_PATHS,
        schemes=("path", "factorial", "centroid"),
        scores=True,
        index_col=True,
        note="plspm's satisfaction data and ECSI model (Sanchez 2013, PLS Path Modeling with R, ch. 4), all Mode A",
    ),
    Case(
        "ecsi_modeb",
        SHARED_DATA / "satisfaction_plspm.csv",
        _ecsi({"IMAG": "B", "VAL": "B"}),
        _ECSI_PATHS,
        schemes=("path", "factorial", "centroid"),
        index_col=True,
        note="the ECSI model with Image and Value as formative (Mode B) composites",
    ),
    Case(
        "russa",
        SHARED_DATA / "russa.csv",
        (
            ("AGRI", "A", ("gini", "farm", "rent")),
            ("IND", "A", ("gnpr", "labo")),
            ("POLINS", "A", ("inst", "ecks", "death", "demo")),
        ),
        (("AGRI", "POLINS"), ("IND", "POLINS")),
        schemes=("path", "centroid"),
        scores=True,
        index_col=True,
        note="plspm's Russett example (Sanchez 2013, ch. 2); gnpr and labo correlate -0.82",
    ),
    Case(
        "russa_modeb",
        SHARED_DATA / "russa.csv",
        (
            ("AGRI", "B", ("gini", "farm", "rent")),
            ("IND", "B", ("gnpr", "labo")),
            ("POLINS", "A", ("inst", "ecks", "death", "demo")),
        ),
        (("AGRI", "POLINS"), ("IND", "POLINS")),
        schemes=("path", "centroid"),
        index_col=True,
        note="the Russett model with the two exogenous blocks formative (Mode B)",
    ),
    Case(
        "corp_rep_cr2",
        SHARED_DATA / "corp_rep_data.csv",
        _CR2_CONSTRUCTS,
        _CR2_PATHS,
        schemes=("path", "factorial"),
        na_values=(-99.0,),
        note="Hair et al. corporate reputation model (seminr CR2): four Mode B drivers, -99 mean replacement",
    ),
    Case(
        "corp_rep_cr2_casewise",
        SHARED_DATA / "corp_rep_data.csv",
        _CR2_CONSTRUCTS,
        _CR2_PATHS,
        schemes=("path",),
        na_values=(-99.0,),
        missing="casewise",
        scores=True,
        note="CR2 with casewise deletion of the rows with a missing indicator (344 -> 336 rows)",
    ),
    Case(
        "influencer",
        SHARED_DATA / "influencer_data.csv",
        (
            ("SIC", "A", items("sic_", range(1, 8))),
            ("PL", "A", items("pl_", range(1, 5))),
            ("PQ", "A", items("pq_", range(1, 5))),
            ("PIC", "B", items("pic_", range(1, 6))),
            ("PI", "A", items("pi_", range(1, 6))),
            ("WTP", "A", ("wtp",)),
        ),
        (
            ("SIC", "PL"),
            ("SIC", "PQ"),
            ("SIC", "PI"),
            ("PL", "PI"),
            ("PQ", "PI"),
            ("PIC", "PI"),
            ("PI", "WTP"),
        ),
        schemes=("path", "factorial"),
        note="influencer data (Hair et al. / seminr workbook) with a model of our own: a formative block, a "
        "single-item outcome with a lone predictor",
    ),
    Case(
        "utaut",
        SHARED_DATA / "trello_utaut.csv",
        (
            ("PE", "A", items("PERF", range(1, 5))),
            ("EE", "A", items("PEOU", range(1, 7))),
            ("SI", "A", items("NORM", range(1, 3))),
            ("FC", "A", items("FACL", range(1, 5))),
            ("HAB", "A", items("HAB", range(1, 5))),
            ("ATT", "A", items("ATTU", range(1, 5))),
            ("BI", "A", items("INT", range(1, 4))),
        ),
        (
            ("PE", "ATT"),
            ("EE", "ATT"),
            ("PE", "BI"),
            ("EE", "BI"),
            ("SI", "BI"),
            ("FC", "BI"),
            ("HAB", "BI"),
            ("ATT", "BI"),
        ),
        schemes=("path",),
        note="UTAUT (Venkatesh et al. 2003) on the Trello survey: performance/effort expectancy, social "
        "influence, facilitating conditions, habit, attitude -> intention",
    ),
    Case(
        "threecommonfactors",
        SHARED_DATA / "threecommonfactors.csv",
        (
            ("eta1", "A", ("y11", "y12", "y13")),
            ("eta2", "A", ("y21", "y22", "y23")),
            ("eta3", "A", ("y31", "y32", "y33")),
        ),
        (("eta1", "eta2"), ("eta1", "eta3"), ("eta2", "eta3")),
        schemes=("path", "factorial", "centroid"),
        note="cSEM's simulated three-common-factor data and its example model",
    ),
    Case(
        "umkm_demo",
        REPO / "examples" / "umkm-pamulang" / "data.csv",
        (
            (
                "Promosi",
                "A",
                ("Enthusiasm", "Attention", "Absorption", "Interaction", "Identification"),
            ),
            ("Keterlibatan", "A", ("Faktor_Pribadi", "Faktor_Produk", "Faktor_Situasi")),
            (
                "Minat",
                "A",
                ("Minat_Transaksional", "Minat_Referensial", "Minat_Preferensial", "Minat_eksploratif"),
            ),
        ),
        (("Promosi", "Keterlibatan"), ("Promosi", "Minat"), ("Keterlibatan", "Minat")),
        schemes=("path",),
        scores=True,
        note="the demo study examples/umkm-pamulang (simulated data, n = 30); construct names shortened, the "
        "test also estimates examples/umkm-pamulang/model.txt itself",
    ),
)

BY_NAME = {case.name: case for case in CASES}
