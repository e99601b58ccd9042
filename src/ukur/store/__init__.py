"""ukur.store."""
