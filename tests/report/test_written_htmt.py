"""The discriminant-validity paragraph names the largest HTMT with its value (once printed blank)."""

import numpy as np
import pandas as pd
import pytest

from tests.pls.reference import DATA
from ukur.pls import estimate
from ukur.pls.syntax import parse_model
from ukur.report.i18n import get_lang
from ukur.report.written import paragraphs

MODEL = """
Image =~ IMAG1 + IMAG2 + IMAG3
Satisfaction =~ CUSA1 + CUSA2 + CUSA3
Complaints =~ CUSCO
Loyalty =~ CUSL1 + CUSL2 + CUSL3
Satisfaction ~ Image
Complaints ~ Satisfaction
Loyalty ~ Satisfaction + Complaints
"""


@pytest.mark.parametrize(
    ("lang", "phrase"), [("en", "The largest HTMT is "), ("id", "HTMT terbesar adalah ")]
)
def test_largest_htmt_is_printed_with_its_value(lang, phrase):
    result = estimate(parse_model(MODEL), pd.read_csv(DATA / "mobi.csv"))
    largest = float(np.nanmax(result.htmt.to_numpy()))  # the diagonal is undefined (NaN)
    text = " ".join(paragraphs(result, get_lang(lang)))
    lg = get_lang(lang)
    assert f"{phrase}{lg.num(largest)} (" in text
    assert largest > 0.90 and ("above the threshold" in text or "di atas batas" in text)
