"""ukur.survey."""
