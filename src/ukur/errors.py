"""One exception tree for everything a user can get wrong.

::

    UkurError                 anything ukur reports to a person (CLI: exit 2, API: HTTP 4xx)
    ├── SpecError             a model, agreement or questionnaire specification is wrong
    │   ├── ModelSyntaxError  the PLS model text does not parse (line and column)
    │   ├── ModelError        the model parses but is not a valid PLS model
    │   └── AgreementError    an SLA agreement file is invalid (file, line, field)
    ├── DataError             a data or record file cannot be read or used (file, row, column)
    └── EstimationError       the data cannot be estimated (singular, no variance, ...)

Engines raise these with the location they know; the CLI and the web app translate them once, at the
edges, into a one-line message and an exit code or a JSON body.  ``ConvergenceWarning`` is a warning,
not an error: results carry it so reports can show it.
"""

from __future__ import annotations

__all__ = [
    "AgreementError",
    "ConvergenceWarning",
    "DataError",
    "EstimationError",
    "ModelError",
    "ModelSyntaxError",
    "SpecError",
    "UkurError",
]


class UkurError(Exception):
    """Base of every error meant for a person.

    ``source`` is a file name (or another label such as ``"model"``), ``line`` and ``column`` are
    1-based, ``field`` names the offending field, item or column.  ``str()`` puts the location first,
    the way compilers do: ``model.txt:3:14: unknown indicator 'IMAG9'``.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.field = field

    @property
    def location(self) -> str:
        """``source:line:column`` with the parts that are known, or an empty string."""
        parts = [p for p in (self.source, self.line, self.column) if p is not None]
        return ":".join(str(p) for p in parts)

    def __str__(self) -> str:
        where = self.location
        return f"{where}: {self.message}" if where else self.message

    def to_dict(self) -> dict[str, object]:
        """The JSON body the API returns for this error."""
        return {
            "error": type(self).__name__,
            "message": self.message,
            "source": self.source,
            "line": self.line,
            "column": self.column,
            "field": self.field,
        }


class SpecError(UkurError):
    """A specification (model, agreement, questionnaire) is wrong."""


class ModelSyntaxError(SpecError):
    """The PLS model text does not parse."""


class ModelError(SpecError):
    """The PLS model is well-formed text but not a valid model (cycle, unmeasured construct, ...)."""


class AgreementError(SpecError):
    """An SLA agreement is invalid."""


class DataError(UkurError):
    """A data or record file cannot be read or used as asked."""


class EstimationError(UkurError):
    """The data cannot be estimated (singular correlation matrix, no variance, ...)."""


class ConvergenceWarning(UserWarning):
    """An iterative algorithm stopped at its iteration limit before meeting its stop criterion."""
