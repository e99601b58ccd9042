"""The ukur web application: ``create_app(settings)`` (see :mod:`ukur.web.app`)."""

from ukur.web.app import create_app

__all__ = ["create_app"]
