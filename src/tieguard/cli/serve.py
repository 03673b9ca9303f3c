"""``tieguard serve``: the organisation's web app (pages and REST API)."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import WarehouseMissingError
from .common import DB_OPTION, out, translate_errors

CREATE = typer.Option(False, "--create", help="Create the warehouse file if it does not exist "
                      "yet (without it, a missing --db is refused).")


def missing_warehouse(db: Path) -> WarehouseMissingError:
    return WarehouseMissingError(
        f"The warehouse {db.resolve()} does not exist, so tieguard serve did not start. Check "
        "--db (or TIEGUARD_DB) for a typo; to start with a new, empty warehouse there, run "
        "tieguard serve again with --create."
    )


def serve(
    db: Path = DB_OPTION,
    host: str = typer.Option(None, "--host", help="Address to listen on (web.host; default "
                             "127.0.0.1)."),
    port: int = typer.Option(None, "--port", help="TCP port to listen on (web.port; default "
                             "8000)."),
    app_db: str = typer.Option(None, "--app-db", envvar="TIEGUARD_APP_DB",
                               help="Application database URL (users, sessions, jobs, audit), "
                               "e.g. postgresql://user@host/tieguard (web.app_db; default: "
                               "SQLite beside the warehouse)."),
    config: Path = typer.Option(None, "--config", help="TOML settings file."),
    base_url: str = typer.Option(None, "--base-url", help="Public URL behind a reverse proxy "
                                 "(https://...); marks the session cookie Secure (web.base_url)."),
    create: bool = CREATE,
) -> None:
    """Start the web app; the first run prints a one-time link to create the administrator.

    Settings come from the [web] section of the settings file; options given here win.
    Example: tieguard serve --db tieguard.duckdb --port 8000
    """
    import uvicorn

    from ..web import WebConfig, WebState, create_app

    with translate_errors():
        if not db.exists() and not create:
            raise missing_warehouse(db)
        web_config = WebConfig(db=db, config=config, create=create, app_db=app_db,
                               base_url=base_url, host=host, port=port)
        state = WebState(web_config)
    if state.warehouse.created:
        out.print(f"Created a new, empty warehouse at {db.resolve()}.", highlight=False)
    link = state.setup_link()
    if link:
        out.print(f"No user exists yet. Create the first administrator (link works once):\n{link}",
                  highlight=False, soft_wrap=True)
    web = state.web
    out.print(f"tieguard serves {db} on http://{web.host}:{web.port} (Ctrl-C stops it).",
              highlight=False)
    uvicorn.run(create_app(web_config, state), host=web.host, port=web.port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
