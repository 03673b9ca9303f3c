"""``tieguard serve``: the organisation's web app (pages and REST API)."""

from __future__ import annotations

from pathlib import Path

import typer

from .common import DB_OPTION, out, translate_errors


def serve(
    db: Path = DB_OPTION,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="TCP port to listen on."),
    app_db: str = typer.Option(None, "--app-db", envvar="TIEGUARD_APP_DB",
                               help="Application database URL (users, sessions, jobs, audit), "
                               "e.g. postgresql://user@host/tieguard; default: SQLite beside "
                               "the warehouse."),
    config: Path = typer.Option(None, "--config", help="TOML settings file."),
    base_url: str = typer.Option(None, "--base-url", help="Public URL behind a reverse proxy "
                                 "(https://...); marks the session cookie Secure."),
) -> None:
    """Start the web app; the first run prints a one-time link to create the administrator.

    Example: tieguard serve --db tieguard.duckdb --port 8000
    """
    import uvicorn

    from ..web import WebConfig, WebState, create_app

    url = base_url or f"http://{host}:{port}"
    with translate_errors():
        web_config = WebConfig(db=db, app_db=app_db, config=config, base_url=url.rstrip("/"),
                               secure_cookies=url.startswith("https://"))
        state = WebState(web_config)
    link = state.setup_link()
    if link:
        out.print(f"No user exists yet. Create the first administrator (link works once):\n{link}",
                  highlight=False, soft_wrap=True)
    out.print(f"tieguard serves {db} on http://{host}:{port} (Ctrl-C stops it).", highlight=False)
    uvicorn.run(create_app(web_config, state), host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
