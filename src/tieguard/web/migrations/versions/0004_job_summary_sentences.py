"""A job's summary as sentences to translate (``jobs.summary_message``, JSON), beside the
English text the API shows (``jobs.summary``), so a page shows it in the reader's language.

Revision ID: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("summary_message", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("summary_message")
