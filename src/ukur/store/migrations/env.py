"""Alembic environment for ukur: uses the engine handed over by :func:`ukur.store.migrate.alembic_config`."""

from __future__ import annotations

from alembic import context

from ukur.store.engine import make_engine
from ukur.store.schema import metadata

config = context.config
engine = config.attributes.get("engine")
if engine is None:
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///./ukur.db")

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
