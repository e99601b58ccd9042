"""The public names of ukur.pls: what the README's example and other packages rely on."""

import ukur.pls


def test_public_names_are_pinned():
    assert sorted(ukur.pls.__all__) == [
        "BootstrapResult",
        "Construct",
        "EstimateOptions",
        "HypothesisResult",
        "Mode",
        "Model",
        "PLSResult",
        "Path",
        "bootstrap",
        "estimate",
        "hypotheses",
        "parse_model",
    ]
    assert all(callable(getattr(ukur.pls, name)) for name in ukur.pls.__all__)
