"""ukur.web."""
