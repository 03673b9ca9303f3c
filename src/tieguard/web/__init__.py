"""``tieguard serve``: the organisation's web app (pages, REST API, jobs, audit log).

See docs/deploy.md. Application state lives in SQLAlchemy (SQLite or PostgreSQL); the
analytics stay in the DuckDB warehouse and are read through the report builders.
"""

from .app import create_app
from .state import WebConfig, WebState

__all__ = ["create_app", "WebConfig", "WebState"]
