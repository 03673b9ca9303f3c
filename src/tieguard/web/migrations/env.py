"""Alembic environment: the connection comes from :func:`tieguard.web.store.migrate_app_db`."""

from alembic import context

from tieguard.web.store import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
