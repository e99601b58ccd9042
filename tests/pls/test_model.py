"""The model value object: validation with named culprits, causal order, builder."""

import pytest

from ukur.errors import ModelError
from ukur.pls.model import Mode, Model


def ecsi_small() -> Model:
    return (
        Model.build()
        .reflective("Image", ["IMAG1", "IMAG2"])
        .formative("Value", ["PERV1", "PERV2"])
        .reflective("Satisfaction", ["CUSA1", "CUSA2"])
        .path(["Image", "Value"], "Satisfaction")
        .path("Image", "Value")
        .model()
    )


def test_order_and_roles():
    m = ecsi_small()
    assert m.order == ("Image", "Value", "Satisfaction")
    assert m.exogenous == ("Image",)
    assert m.endogenous == ("Value", "Satisfaction")
    assert m.construct("Value").mode is Mode.B
    assert m.predecessors("Satisfaction") == ("Image", "Value")


def test_cycle_is_named():
    b = Model.build().reflective("A", ["a"]).reflective("B", ["b"]).reflective("C", ["c"])
    with pytest.raises(ModelError, match="A -> B -> C -> A"):
        b.path("A", "B").path("B", "C").path("C", "A").model()


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda b: b.reflective("A", []).reflective("B", ["b"]).path("A", "B"),
            "'A' has no indicators",
        ),
        (
            lambda b: b.reflective("A", ["x"]).reflective("B", ["x"]).path("A", "B"),
            "'x' is used by two",
        ),
        (
            lambda b: b.reflective("A", ["a"]).path("A", "Z"),
            "'Z' is used in a path but never measured",
        ),
        (lambda b: b.reflective("A", ["a"]).reflective("B", ["b"]), "'A' is not connected"),
    ],
)
def test_invalid_models_name_the_culprit(build, message):
    with pytest.raises(ModelError, match=message):
        build(Model.build()).model()
