"""Command-line interface (Typer). Thin: parses options, calls the library, prints."""
