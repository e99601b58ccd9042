"""ukur — measure what you promised (SLAs) and what customers feel (PLS-SEM)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ukur")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

__all__ = ["__version__"]
