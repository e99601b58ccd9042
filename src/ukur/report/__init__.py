"""ukur.report."""
