"""ukur.io."""
