"""From questionnaire to PLS model syntax, so item codes are typed once.

Every construct of the questionnaire becomes a Mode A block (``Name =~ CODE1 + CODE2 + ...``): Likert items
written to reflect their construct are what Mode A weights (correlation weights) are for. Reverse-coded
items appear under their own codes because the import has already recoded them (``min + max − x``).

Structural paths are not in the questionnaire; they can be added as lines in the model syntax
(``"Minat Beli" ~ "Promosi di Media Sosial" + "Keterlibatan Pelanggan"``). As a convenience a construct
name with spaces may be written without quotes in those lines when it matches a construct of the
questionnaire exactly; the result is parsed and validated as a whole model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ukur.pls.model import Construct, Mode, Model
from ukur.pls.syntax import format_model, parse_model
from ukur.survey.questionnaire import Questionnaire

__all__ = ["measurement_syntax", "model_syntax", "pls_model"]

_SPLIT = re.compile(r"(~|\+)")


def measurement_syntax(questionnaire: Questionnaire) -> str:
    """The measurement model of every construct, one Mode A statement each, with a header comment."""
    lines = [*_header(questionnaire), "# measurement model"]
    for c in questionnaire.constructs:
        block = format_model(Model((Construct(c.name, c.codes, Mode.A),)))
        lines.extend(line for line in block.splitlines() if line and not line.startswith("#"))
    return "\n".join(lines) + "\n"


def model_syntax(questionnaire: Questionnaire, paths: Sequence[str] = ()) -> str:
    """The measurement model, plus the structural ``paths`` (validated as a complete model) when given."""
    if not any(p.strip() for p in paths):
        return measurement_syntax(questionnaire)
    model = pls_model(questionnaire, paths)
    return "\n".join(_header(questionnaire)) + "\n" + format_model(model)


def pls_model(questionnaire: Questionnaire, paths: Sequence[str]) -> Model:
    """The complete :class:`~ukur.pls.model.Model`: the questionnaire's blocks and the given paths."""
    names = {c.name for c in questionnaire.constructs}
    measurement = measurement_syntax(questionnaire)
    structural = "\n".join(_quote_names(line, names) for line in paths if line.strip())
    return parse_model(measurement + structural + "\n", source="model (questionnaire + paths)")


def _header(questionnaire: Questionnaire) -> list[str]:
    lines = [f"# from the questionnaire {questionnaire.source}: {questionnaire.title.get()}"]
    if questionnaire.reversed_codes:
        lines.append(f"# reverse-coded items (recoded on import): {', '.join(questionnaire.reversed_codes)}")
    return lines


def _quote_names(line: str, names: set[str]) -> str:
    """Quote bare construct names with spaces in a ``Y ~ X + Z`` line; anything else is left as written."""
    if '"' in line or "#" in line:
        return line
    parts = _SPLIT.split(line)
    out = []
    for part in parts:
        word = part.strip()
        out.append(
            f' "{word}" ' if word in names and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", word) else part
        )
    return "".join(out)
