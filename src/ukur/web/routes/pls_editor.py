"""The PLS model editor's check: ``POST /api/v1/pls/validate`` — errors with line and column, and the diagram.

The project page's model text area (``static/pls_editor.js``) sends the text here a moment after the
researcher stops typing.  The answer lists

* the syntax or model error of the PLS engine (:func:`ukur.pls.Model.from_syntax`), with its 1-based line
  and column, when the text does not parse into a model;
* otherwise every indicator that is not a column of the project's data (its newest data set, or the one
  named), at the place it is first written, with the closest column name as a suggestion;

and, whenever the text parses, the path diagram of the model as SVG (:func:`ukur.report.diagram.render_svg`,
no estimates yet).  A project the caller may not see is a 404 like everything else.
"""

from __future__ import annotations

import difflib
import threading
from collections import OrderedDict

from fastapi import APIRouter
from pydantic import BaseModel, Field

from ukur.errors import UkurError
from ukur.io import parse_table
from ukur.pls import Model
from ukur.pls.syntax import Token, tokenize
from ukur.report.diagram import render_svg
from ukur.store import pls
from ukur.store.errors import NotFoundError
from ukur.store.models_pls import PlsDataset
from ukur.store.pls import MAX_MODEL_CHARS
from ukur.web.deps import CsrfProtected, SessionDep, ViewerDep, require_roles
from ukur.web.schemas import ErrorOut

__all__ = ["ModelCheck", "ModelIssue", "ValidateIn", "check_model", "router", "unknown_indicators"]

router = APIRouter(
    prefix="/api/v1",
    dependencies=[CsrfProtected, require_roles("researcher", "admin")],
    responses={code: {"model": ErrorOut} for code in (400, 401, 403, 404, 422)},
)


class ValidateIn(BaseModel):
    """The model text and, optionally, the project (and data set) whose columns the indicators must name."""

    model: str = Field(max_length=MAX_MODEL_CHARS)
    project_id: int | None = None
    dataset_id: int | None = None


class ModelIssue(BaseModel):
    """One problem: where it is (1-based line and column), what, and a suggested fix when there is one."""

    kind: str
    message: str
    line: int | None = None
    column: int | None = None
    field: str | None = None
    suggestion: str | None = None


class ModelCheck(BaseModel):
    """The check's answer: ``ok`` when there is no issue; ``svg`` whenever the text parses into a model."""

    ok: bool
    errors: list[ModelIssue]
    svg: str | None = None
    constructs: list[str] = []
    indicators: int = 0
    columns: list[str] | None = None
    dataset: str | None = None


_CACHE_SIZE = 16
_columns_cache: OrderedDict[str, tuple[str, ...]] = OrderedDict()
_cache_lock = threading.Lock()


def dataset_columns(dataset: PlsDataset) -> tuple[str, ...]:
    """The column names of a stored data set, read once per content (keyed by its SHA-256).

    The editor asks on every pause in typing; parsing the file each time would be wasted work.
    """
    with _cache_lock:
        found = _columns_cache.get(dataset.sha256)
        if found is not None:
            _columns_cache.move_to_end(dataset.sha256)
            return found
    columns = tuple(str(c) for c in parse_table(dataset.content, name=dataset.filename).columns)
    with _cache_lock:
        _columns_cache[dataset.sha256] = columns
        while len(_columns_cache) > _CACHE_SIZE:
            _columns_cache.popitem(last=False)
    return columns


def _indicator_tokens(text: str) -> dict[str, Token]:
    """Where each indicator is first written: a name right after ``=~``/``<~`` or a ``+`` that continues it.

    Only called on text that parsed, so the token stream is a valid model.
    """
    first: dict[str, Token] = {}
    measuring = False
    previous: Token | None = None
    for tok in tokenize(text):
        if tok.kind == "OP":
            measuring = tok.value in ("=~", "<~")
        elif tok.kind == "SEMI":
            measuring = False
        elif (
            tok.kind == "NAME"
            and measuring
            and previous is not None
            and (previous.kind == "PLUS" or (previous.kind == "OP" and previous.value != "~"))
        ):
            first.setdefault(tok.value, tok)
        if tok.kind != "NEWLINE":
            previous = tok
    return first


def _suggest(name: str, columns: tuple[str, ...]) -> str | None:
    """The column the name most likely meant: same letters in another case, else the closest spelling."""
    folded = {c.casefold(): c for c in columns}
    if name.casefold() in folded:
        return folded[name.casefold()]
    close = difflib.get_close_matches(name, columns, n=1, cutoff=0.6)
    return close[0] if close else None


def unknown_indicators(model: Model, text: str, columns: tuple[str, ...]) -> list[ModelIssue]:
    """Indicators of ``model`` that are not among ``columns``, in the order they are written."""
    known = set(columns)
    places = _indicator_tokens(text)
    issues = []
    for construct in model.constructs:
        for name in construct.indicators:
            if name in known:
                continue
            tok = places.get(name)
            suggestion = _suggest(name, columns)
            hint = f"; did you mean '{suggestion}'?" if suggestion else ""
            issues.append(
                ModelIssue(
                    kind="UnknownIndicator",
                    message=f"indicator '{name}' of {construct.name} is not a column of the data{hint}",
                    line=tok.line if tok else None,
                    column=tok.column if tok else None,
                    field=name,
                    suggestion=suggestion,
                )
            )
    issues.sort(key=lambda i: (i.line or 0, i.column or 0))
    return issues


def check_model(text: str, columns: tuple[str, ...] | None) -> ModelCheck:
    """Parse ``text``; report its first error, or the indicators missing from ``columns`` (None: no data)."""
    try:
        model = Model.from_syntax(text, source="model")
    except UkurError as exc:
        issue = ModelIssue(
            kind=type(exc).__name__, message=exc.message, line=exc.line, column=exc.column, field=exc.field
        )
        return ModelCheck(ok=False, errors=[issue], columns=list(columns) if columns is not None else None)
    issues = unknown_indicators(model, text, columns) if columns is not None else []
    return ModelCheck(
        ok=not issues,
        errors=issues,
        svg=render_svg(model),
        constructs=[c.name for c in model.constructs],
        indicators=sum(len(c.indicators) for c in model.constructs),
        columns=list(columns) if columns is not None else None,
    )


@router.post("/pls/validate", tags=["pls"])
def validate_model(body: ValidateIn, db: SessionDep, viewer: ViewerDep) -> ModelCheck:
    """Check a model text as it is typed: the error with its line and column, unknown indicators with a
    suggestion (against the project's data), and the path diagram as SVG."""
    columns: tuple[str, ...] | None = None
    dataset_name: str | None = None
    if body.project_id is not None:
        project = pls.get_project(db, viewer, body.project_id)
        dataset: PlsDataset | None
        if body.dataset_id is not None:
            dataset = pls.get_dataset(db, viewer, body.dataset_id)
            if dataset.project_id != project.id:
                raise NotFoundError(f"dataset {body.dataset_id} not found", field="dataset_id")
        else:
            dataset = project.datasets[-1] if project.datasets else None
        if dataset is not None:
            try:
                columns, dataset_name = dataset_columns(dataset), dataset.filename
            except UkurError:  # an unreadable data file: check the syntax only (the run reports the file)
                columns = None
    elif body.dataset_id is not None:
        raise NotFoundError(f"dataset {body.dataset_id} not found", field="dataset_id")
    result = check_model(body.model.replace("\r\n", "\n"), columns)
    result.dataset = dataset_name
    return result
