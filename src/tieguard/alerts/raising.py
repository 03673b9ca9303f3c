"""Raise alerts: judge the new connections of newer exports and store the result."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from .. import schema
from ..engine import Engine
from ..i18n import choose_language, use
from ..settings import Settings
from ..warehouse import stage_ran
from .advice import Measured, advice_text, value_band
from .detect import (
    CANDIDATES,
    SNAPSHOTS,
    bind,
    candidates_sql,
    detection_params,
    scored_sql,
    snapshots_sql,
    suppression_sql,
)

__all__ = ["DetectionResult", "raise_alerts", "raise_after_import", "measured_effects"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DetectionResult:
    """What one detection run did."""

    exports_checked: int
    new_ties: int
    alerts: int
    suppressed: int
    seconds: float

    def as_json(self) -> dict[str, Any]:
        return {"exports_checked": self.exports_checked, "new_ties": self.new_ties,
                "alerts": self.alerts, "suppressed": self.suppressed, "seconds": self.seconds}


def measured_effects(engine: Engine) -> Measured:
    """Deals-revealed differences of the what-if runs, if ``tieguard whatif`` ran."""
    rows = engine.fetchall(
        "SELECT policy, difference FROM whatif_results WHERE metric = 'deals_revealed' "
        "AND policy IN ('connect_after_close', 'act_on_alerts')"
    )
    found = {str(r[0]): float(r[1]) for r in rows if r[1] is not None}
    return Measured(found.get("connect_after_close"), found.get("act_on_alerts"))


def _rows(engine: Engine, params: dict[str, Any]) -> list[dict[str, Any]]:
    sql = (f"SELECT *, {suppression_sql()} AS suppressed_because FROM ({scored_sql()}) "
           "WHERE alert_id NOT IN (SELECT alert_id FROM alerts)")
    return engine.fetch_records(sql, bind(sql, params))


def employee_languages(engine: Engine, settings: Settings) -> dict[str, str]:
    """Each employee's language for alerts: the roster's, else the organisation's default."""
    return {str(e): choose_language(None, lang, settings.language) for e, lang in engine.fetchall(
        "SELECT employee_id, language FROM employees")}


def _advice(row: dict[str, Any], today: dt.date, measured: Measured, language: str) -> str:
    with use(language):
        return advice_text(row, today, measured)


def _alerts_table(rows: list[dict[str, Any]], today: dt.date, measured: Measured,
                  languages: dict[str, str]) -> pa.Table:
    columns = schema.table("alerts").column_names()
    now = dt.datetime.now()
    out: dict[str, list[Any]] = {c: [] for c in columns}
    for row in rows:
        row["value_band"] = value_band(row.get("opportunity_amount"))
        row["contact_name"] = row.get("contact_name") or None
        language = languages.get(str(row.get("employee_id")), "en")
        row["advice"] = (_advice(row, today, measured, language)
                         if row["suppressed_because"] is None else None)
        row["created_at"] = now
        for c in columns:
            out[c].append(row.get(c))
    types = {c.name: c.type for c in schema.table("alerts").columns}
    fields = [pa.field(c, _arrow_type(types[c])) for c in columns]
    return pa.table(out, schema=pa.schema(fields))


def _arrow_type(sql_type: str) -> pa.DataType:
    return {"DATE": pa.date32(), "DOUBLE": pa.float64(), "BIGINT": pa.int64(),
            "TIMESTAMP": pa.timestamp("us")}.get(sql_type, pa.string())


def raise_alerts(engine: Engine, settings: Settings, *, employees: list[str] | None = None,
                 since: dt.date | None = None, today: dt.date | None = None) -> DetectionResult:
    """Judge the new connections of every newer export not yet checked; store alerts.

    Each export is checked once (``alert_snapshots``); an alert is stored once per tie, so
    a second run changes nothing. ``employees``/``since`` narrow the exports checked.
    """
    started = dt.datetime.now()
    params = detection_params(engine, settings, employees=employees, since=since)
    snaps_sql = snapshots_sql()
    engine.scratch(SNAPSHOTS, snaps_sql, bind(snaps_sql, params))
    checked = int(engine.scalar(f"SELECT count(*) FROM {SNAPSHOTS}") or 0)
    rows: list[dict[str, Any]] = []
    if checked:
        sql = candidates_sql(settings)
        engine.scratch(CANDIDATES, sql, bind(sql, params))
        rows = _rows(engine, params)
    table = _alerts_table(rows, today or dt.date.today(), measured_effects(engine),
                          employee_languages(engine, settings))
    new_ties = int(engine.scalar(
        f"SELECT count(*) FROM ties WHERE first_import_id IN (SELECT import_id FROM {SNAPSHOTS}) "
        "AND NOT is_hidden_member") or 0)
    with engine.transaction():
        engine.insert_arrow("alerts", table)
        engine.replace("alert_snapshots", f"""
            SELECT s.import_id, s.employee_id, s.previous_import_id, s.exported_on,
                   (SELECT count(*) FROM ties t WHERE t.first_import_id = s.import_id
                      AND NOT t.is_hidden_member) AS new_ties,
                   (SELECT count(*) FROM alerts a WHERE a.import_id = s.import_id
                      AND a.suppressed_because IS NULL) AS alerts,
                   (SELECT count(*) FROM alerts a WHERE a.import_id = s.import_id
                      AND a.suppressed_because IS NOT NULL) AS suppressed,
                   ? AS checked_at
            FROM {SNAPSHOTS} s""", [dt.datetime.now()],
            where=f"import_id IN (SELECT import_id FROM {SNAPSHOTS})")
    engine.drop_scratch(SNAPSHOTS)
    if checked:
        engine.drop_scratch(CANDIDATES)
    raised = sum(1 for r in rows if r["suppressed_because"] is None)
    result = DetectionResult(checked, new_ties, raised, len(rows) - raised,
                             round((dt.datetime.now() - started).total_seconds(), 3))
    log.info("alerts: %s", result.as_json())
    return result


def raise_after_import(engine: Engine, settings: Settings) -> DetectionResult | None:
    """The import hook: raise alerts when enabled and a scan has run on this warehouse."""
    if getattr(engine, "read_only", False):
        return None
    if not settings.alerts.enabled or not stage_ran(engine, "resolve"):
        return None
    return raise_alerts(engine, settings)
