"""PLS-SEM engine: model specification, estimation, bootstrap. Pure: NumPy/SciPy/pandas only."""
