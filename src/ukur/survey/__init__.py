"""Questionnaires: design (YAML), import of form exports, screening, sample size, export.

Flow::

    questionnaire.yaml ──load_questionnaire──▶ Questionnaire ──measurement_syntax / pls_model──▶ PLS model
    form export ──read_table──▶ DataFrame ──import_responses(q, frame)──▶ ImportResult
        ──screen(imported, options)──▶ Screening ──exclude(checks)──▶ Cleaned ──export_bytes / write_export
    plan_sample_size(min_path, alpha=, power=) ──▶ SampleSizePlan
"""

from ukur.survey.export import codebook, export_bytes, profile_table, write_export
from ukur.survey.imports import ImportResult, import_responses
from ukur.survey.questionnaire import Questionnaire, load_questionnaire, parse_questionnaire, to_yaml
from ukur.survey.sample_size import SampleSizePlan, plan_sample_size
from ukur.survey.screening import CHECKS, Cleaned, Screening, ScreeningOptions, parse_checks, screen
from ukur.survey.specify import measurement_syntax, model_syntax, pls_model

__all__ = [
    "CHECKS",
    "Cleaned",
    "ImportResult",
    "Questionnaire",
    "SampleSizePlan",
    "Screening",
    "ScreeningOptions",
    "codebook",
    "export_bytes",
    "import_responses",
    "load_questionnaire",
    "measurement_syntax",
    "model_syntax",
    "parse_checks",
    "parse_questionnaire",
    "plan_sample_size",
    "pls_model",
    "profile_table",
    "screen",
    "to_yaml",
    "write_export",
]
