"""Small questionnaires and exports shared by the survey tests."""

from __future__ import annotations

import pandas as pd
import pytest

from ukur.survey.questionnaire import Questionnaire, parse_questionnaire

SMALL = """\
ukur: questionnaire/v1
languages: [id, en]
title: {id: Survei kecil, en: Small survey}
scale:
  points: 5
  labels:
    id: [Sangat tidak setuju, Tidak setuju, Netral, Setuju, Sangat setuju]
    en: [Strongly disagree, Disagree, Neutral, Agree, Strongly agree]
profile:
  - code: gender
    type: choice
    text: {id: Jenis kelamin, en: Gender}
    options:
      - {code: M, label: {id: Pria, en: Male}}
      - {code: F, label: {id: Wanita, en: Female}}
  - {code: age, type: number, text: {id: Usia, en: Age}, min: 17, max: 80}
constructs:
  - name: Citra Merek
    items:
      - {code: CM1, text: {id: Merek ini terkenal, en: This brand is well known}}
      - {code: CM2, text: {id: Merek ini terpercaya, en: This brand is trustworthy}}
      - {code: CM3, text: {id: Merek ini membosankan, en: This brand is boring}, reversed: true}
  - name: Minat
    items:
      - {code: MI1, text: {id: Saya ingin membeli, en: I want to buy}}
      - {code: MI2, text: {id: Saya akan membeli lagi, en: I will buy again}}
      - {code: MI3, text: {id: Saya mencari informasinya, en: I look for information about it}}
attention_checks:
  - {code: AC1, text: {id: Untuk pernyataan ini pilih Setuju, en: For this statement choose Agree}, expected: 4}
"""


@pytest.fixture
def small() -> Questionnaire:
    return parse_questionnaire(SMALL, source="small.yaml")


def export_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    """An export with Indonesian question texts as headers, one dict per respondent (by code)."""
    headers = {
        "submitted": "Timestamp",
        "started": "Start time",
        "email": "Email Address",
        "gender": "Jenis kelamin",
        "age": "Usia",
        "CM1": "Merek ini terkenal",
        "CM2": "Merek ini terpercaya",
        "CM3": "Merek ini membosankan",
        "MI1": "Saya ingin membeli",
        "MI2": "Saya akan membeli lagi",
        "MI3": "Saya mencari informasinya",
        "AC1": "Untuk pernyataan ini pilih Setuju",
    }
    used = [k for k in headers if any(k in r for r in rows)]
    return pd.DataFrame({headers[k]: [r.get(k) for r in rows] for k in used})
