"""The simulated Kilat Bisnis demo (examples/sla/success/generate.py), generated in memory."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from ukur.sla import Agreement, load_agreement

DEMO = Path(__file__).resolve().parents[2] / "examples" / "sla" / "success"


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("success_demo_generate", DEMO / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def generator() -> ModuleType:
    return load_generator()


@pytest.fixture(scope="session")
def bisnis() -> Agreement:
    return load_agreement(
        (DEMO / "kilat-bisnis.yaml").read_text(encoding="utf-8"), source="kilat-bisnis.yaml"
    )
