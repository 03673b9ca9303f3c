"""Reading the derived tables of docs/stage-outputs.md for the report.

Every reader checks that its tables hold rows, so the report renders whatever stages ran.
Team figures are suppressed below a minimum group size so that no shared view
reveals one person's figures (works-council rule: aggregates only).
"""

from __future__ import annotations

from typing import Any

from ..engine import ReadEngine

__all__ = [
    "BASELINE", "MIN_GROUP_SIZE", "SHARED_TABLES", "has_rows", "records", "headline_metrics",
    "exposed_money", "as_share", "teams_sql", "teams_params", "shared_table_sql",
]

BASELINE = "baseline"
#: Teams with fewer people than this are merged into one row (or withheld).
MIN_GROUP_SIZE = 3

#: Tables that may appear in the shared report and its exports (no per-employee tables).
SHARED_TABLES: tuple[str, ...] = (
    "exposure_headline", "exposure_opportunities", "exposure_accounts", "exposure_monthly",
    "exposure_teams", "exposure_countries", "exposure_head_start", "whatif_results",
    "whatif_costs", "capital_coverage", "capital_accounts", "capital_risk", "capital_monthly",
)


def has_rows(engine: ReadEngine, *names: str) -> bool:
    """True when every named (declared) table holds at least one row: its stage has output."""
    return all(bool(engine.scalar(f"SELECT EXISTS (SELECT 1 FROM {engine.ident(n)})"))
               for n in names)


def records(engine: ReadEngine, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    return engine.fetch_records(sql, params)


def headline_metrics(engine: ReadEngine, scenario: str = BASELINE) -> dict[str, float]:
    """``exposure_headline`` of one scenario as ``{metric: value}`` (empty if absent)."""
    if not has_rows(engine, "exposure_headline"):
        return {}
    rows = engine.fetchall(
        "SELECT metric, value FROM exposure_headline WHERE scenario = ?", [scenario]
    )
    return {str(m): float(v) for m, v in rows if v is not None}


def as_share(value: float | None) -> float | None:
    """A share stored as a fraction (0..1) or a percentage (0..100) as a fraction."""
    if value is None:
        return None
    return value / 100.0 if value > 1.0 else value


def exposed_money(metrics: dict[str, float]) -> float | None:
    """The € value of the revealed deals.

    ``deals_revealed_value`` is read as money when above 1, otherwise as the
    exposed share of ``opportunities_value``.
    """
    value = metrics.get("deals_revealed_value")
    total = metrics.get("opportunities_value")
    if value is None:
        return None
    if value <= 1.0 and total is not None and total > 1.0:
        return value * total
    return value


def teams_sql() -> str:
    """``exposure_teams`` with teams smaller than ``$min_group`` merged into one row.

    The merged row (labelled ``$small_label``) is withheld when it is itself smaller than
    ``$min_group``; :func:`teams_params` gives both values.
    """
    return """
        WITH t AS (SELECT * FROM exposure_teams),
        big AS (SELECT scenario, team, employees, leads, revealed_opportunities, revealed_value
                FROM t WHERE employees >= $min_group),
        small AS (SELECT scenario, $small_label AS team, sum(employees) AS employees,
                         sum(leads) AS leads, sum(revealed_opportunities) AS revealed_opportunities,
                         sum(revealed_value) AS revealed_value
                  FROM t WHERE employees < $min_group OR employees IS NULL GROUP BY scenario)
        SELECT * FROM big
        UNION ALL SELECT * FROM small WHERE employees >= $min_group
    """


def teams_params(min_group: int = MIN_GROUP_SIZE) -> dict[str, Any]:
    n = int(min_group)
    return {"min_group": n, "small_label": f"Smaller teams (fewer than {n} people, combined)"}


def shared_table_sql(table: str, min_group: int = MIN_GROUP_SIZE) -> tuple[str, dict[str, Any]]:
    """The SELECT (and its parameters) that exports ``table`` (teams with small-group suppression)."""
    if table not in SHARED_TABLES:
        raise ValueError(f"{table} is not a shared table")
    if table == "exposure_teams":
        return (f"SELECT * FROM ({teams_sql()}) ORDER BY scenario, revealed_value DESC",
                teams_params(min_group))
    return f'SELECT * FROM "{table}"', {}
