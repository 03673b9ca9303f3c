"""One typed source of truth for settings.

Loaded from a TOML file (``tieguard.toml`` beside the warehouse, or ``--config``)
and overridden by CLI options. Field descriptions feed the CLI help and
``docs/settings.md``.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from .errors import ConfigError
from .i18n import N_

__all__ = [
    "Settings", "WarehouseSettings", "ResolveSettings", "WatchSettings", "ExposureSettings",
    "CapitalSettings", "RolesSettings", "AlertsSettings", "PrivacySettings", "SourcesSettings",
    "WebSettings",
    "load_settings", "with_overrides",
]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WarehouseSettings(_Section):
    db: Path = Field(Path("tieguard.duckdb"), description=N_("DuckDB warehouse file."))
    threads: int | None = Field(None, ge=1, description=N_("Engine threads (default: all cores)."))
    memory_limit: str | None = Field(
        "4GB",
        pattern=r"^\s*$|^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$",
        description=N_("Engine memory limit, e.g. '4GB' (work beyond it spills to disk); empty for the engine's default (80% of RAM)."),
    )


class ResolveSettings(_Section):
    match_threshold: float = Field(
        0.9, ge=0, le=1, description=N_("Match probability at or above which a tie is linked.")
    )
    review_threshold: float = Field(
        0.5, ge=0, le=1, description=N_("Lower edge of the review band (below: no match).")
    )
    max_block_size: int = Field(
        2000, ge=10, description=N_("A blocking key shared by more records than this on one side "
        "is refined with a tighter key (then capped if still too large), and reported.")
    )
    max_block_pairs: int = Field(
        5000, ge=10, description=N_("A block costing more comparisons than this (tie-people x "
        "contacts sharing one key) is refined with a tighter key (then capped), and reported.")
    )
    hash_key: str | None = Field(
        None, description=N_("No longer read: the keyed hashes use the installation secret (privacy.secret_file); setting it is refused.")
    )

    @field_validator("hash_key")
    @classmethod
    def _no_hash_key(cls, value: str | None) -> str | None:
        if value is not None:
            known = " (and 'change-me' is a published default)" if value == "change-me" else ""
            raise ValueError(
                "resolve.hash_key is no longer used" + known + ": tieguard keys pseudonyms with "
                "a secret kept in a file outside the warehouse (privacy.secret_file, default "
                "~/.config/tieguard/secret). Remove hash_key from the settings file"
            )
        return value


class WatchSettings(_Section):
    watched: Literal["all", "sales", "company_named"] = Field(
        "company_named",
        description=N_("Which employees the competitor watches: all, sales staff, or those whose profile names our company."),
    )
    vantage: Literal["stranger", "first_degree", "shared"] = Field(
        "first_degree", description=N_("Where the competitor looks from.")
    )
    cadence_days: int = Field(7, ge=1, le=365, description=N_("Days between the competitor's looks."))
    international_only: bool = Field(
        False, description=N_("Count only leads in another country than the employee's.")
    )
    exclude_competitor_customers: float = Field(
        0.0, ge=0, le=1,
        description=N_("Probability that a lead is already the competitor's customer and ignored."),
    )
    start: str | None = Field(None, description=N_("First poll date (ISO); default: first tie."))
    end: str | None = Field(None, description=N_("Last poll date (ISO); default: today or last tie."))
    shared_fraction: float = Field(
        0.05, ge=0, le=1,
        description=N_("Mean share of people the competitor's rep is also connected to (seen via shared connections)."),
    )


class ExposureSettings(_Section):
    lookback_days: int = Field(365, ge=1, description=N_("Window for 'last year' headline figures."))
    reveal_days_before: int = Field(
        180, ge=0, le=3650,
        description=N_("A deal is revealed by a buying-role tie made from this many days before the "
        "opportunity opened until it closed."),
    )


class CapitalSettings(_Section):
    half_life_days: int = Field(
        730, ge=1, description=N_("Days after which a relationship's strength halves without new evidence.")
    )
    value_years: int = Field(
        3, ge=1, le=50, description=N_("Years of won opportunities counted as customer value.")
    )
    key_roles: list[str] = Field(
        ["decision_maker", "economic_buyer", "procurement", "technical_evaluator"],
        description=N_("Buying roles whose contacts count as key contacts for key-person risk."),
    )
    as_of: str | None = Field(None, description=N_("Date (ISO) the registry describes; default: today."))


class PrivacySettings(_Section):
    secret_file: Path | None = Field(
        None, description=N_("File holding the installation's pseudonym secret (0600, created at first use); default: $TIEGUARD_SECRET_FILE, else ~/.config/tieguard/secret. Never inside the warehouse.")
    )
    k_anonymity: int = Field(
        3, ge=2, le=100, description=N_("Smallest group (team, country, ...) any shared table, export or report may name; smaller groups are merged or left out.")
    )


class RolesSettings(_Section):
    buying_table: Path | None = Field(
        None, description=N_("YAML/TOML file mapping (function, seniority) to buying roles; default: the built-in industrial-supplier table.")
    )
    fuzzy: bool = Field(
        True, description=N_("Let the learned function model (word and char n-gram features) name the function of titles that no rule word or exact lexicon label covers; false: those get function unknown.")
    )
    min_buying_score: float = Field(
        0.5, ge=0, le=1, description=N_("A person is a buying role when any buying-role score reaches this.")
    )


class AlertsSettings(_Section):
    enabled: bool = Field(
        True, description=N_("Raise alerts when an import brings a newer export of an employee (after a first scan).")
    )
    min_score: float = Field(
        5.0, ge=0, le=100, description=N_("Lowest exposure score (0-100, the report's per-tie score) that raises an alert.")
    )
    customer_years: int = Field(
        2, ge=0, le=50, description=N_("An account that has been a customer this many years is not news (no alert).")
    )
    digest: Literal["immediate", "daily", "weekly"] = Field(
        "daily", description=N_("Default grouping of messages: one per alert, per day or per ISO week (an employee may choose their own).")
    )
    smtp_host: str = Field("", description=N_("SMTP server for e-mail alerts; empty: no e-mail."))
    smtp_port: int = Field(587, ge=1, le=65535, description=N_("SMTP port (587 for STARTTLS)."))
    smtp_starttls: bool = Field(True, description=N_("Upgrade the SMTP connection with STARTTLS (refuse to send without it)."))
    smtp_username: str = Field("", description=N_("SMTP user name; empty: no login."))
    smtp_password: SecretStr = Field(
        SecretStr(""), description=N_("SMTP password (or set the environment variable TIEGUARD_SMTP_PASSWORD).")
    )
    smtp_from: str = Field("tieguard@localhost", description=N_("Sender address of alert e-mails."))
    smtp_ca_file: Path | None = Field(None, description=N_("CA certificates that sign the SMTP server's certificate; default: the system's."))
    webhook_url: str = Field("", description=N_("URL that receives alerts as a JSON POST; empty: no webhook."))
    webhook_secret: SecretStr = Field(
        SecretStr(""), description=N_("Key of the HMAC-SHA256 signature header X-Tieguard-Signature (or TIEGUARD_WEBHOOK_SECRET).")
    )
    webhook_format: Literal["json", "slack", "teams"] = Field(
        "json", description=N_("Body of the webhook POST: tieguard JSON, or a Slack/Teams-compatible message (text plus the JSON).")
    )
    retries: int = Field(3, ge=0, le=10, description=N_("Retries of a failed delivery within one send run (exponential back-off)."))
    backoff_seconds: float = Field(1.0, ge=0, le=300, description=N_("First back-off between retries; doubles each time."))
    timeout_seconds: float = Field(10.0, gt=0, le=300, description=N_("Network timeout of one delivery attempt."))


class SourcesSettings(_Section):
    """Limits and rules of the input readers (``tieguard import``); see docs/inputs.md."""

    max_file_mb: int = Field(
        512, ge=1, description=N_("Largest input file read, in MB (a LinkedIn export is a few MB); larger files are refused.")
    )
    max_field_chars: int = Field(
        65_536, ge=256, description=N_("Longest field (characters); a row with a longer field is quarantined.")
    )
    max_columns: int = Field(
        200, ge=8, description=N_("Most columns in a header or row; a header with more is refused, a row with more is quarantined.")
    )
    sniff_seconds: float = Field(
        10.0, gt=0, description=N_("Time limit for recognising one file (encoding, header, delimiter); an odd file taking longer is refused.")
    )
    earliest_date: dt.date = Field(
        dt.date(1990, 1, 1), description=N_("Earliest connection or invitation date accepted; rows with earlier dates are quarantined.")
    )
    latest_days_ahead: int = Field(
        365, ge=0, description=N_("Connection or invitation dates later than today plus this many days are quarantined.")
    )
    quarantine_raw: Literal["shape", "none", "full"] = Field(
        "shape",
        description=N_("What the quarantine keeps of a rejected row: 'shape' (letters as a/A, digits as 9: no names), 'none', or 'full' (the row as read, cleared after quarantine_days)."),
    )
    quarantine_days: int = Field(
        30, ge=0, description=N_("Days a full raw row stays in the quarantine (quarantine_raw = 'full'); older rows are reduced to their shape at the next import.")
    )
    max_removed_share: float = Field(
        0.2, ge=0, le=1,
        description=N_("Largest share of an employee's current ties one export may remove; an import removing more is refused unless --accept-removals is given."),
    )
    max_zip_mb: int = Field(
        1024, ge=1, description=N_("Largest total uncompressed size of the files read from a LinkedIn export zip, in MB (guards against zip bombs).")
    )


WEB_DEFAULT_ROLES = Literal["", "employee", "manager", "analyst", "auditor"]


class WebSettings(_Section):
    """``tieguard serve``: where it listens, its stores, sign-in and single sign-on."""

    host: str = Field("127.0.0.1", min_length=1, description=N_("Address the web app listens on (--host)."))
    port: int = Field(8000, ge=1, le=65535, description=N_("TCP port of the web app (--port)."))
    app_db: str = Field(
        "", description=N_("Application database URL (users, sessions, jobs, audit), e.g. postgresql://tieguard@dbhost/tieguard; empty: SQLite beside the warehouse (--app-db).")
    )
    base_url: str = Field(
        "", pattern=r"^$|^https?://[^\s/]+(/[^\s]*)?$",
        description=N_("Public URL behind a reverse proxy, e.g. https://tieguard.example.com; https marks the session cookie Secure. Empty: http://host:port (--base-url)."),
    )
    session_hours: float = Field(8, gt=0, le=24 * 30, description=N_("Hours a sign-in lasts."))
    login_limit: int = Field(5, ge=1, le=1000, description=N_("Failed sign-ins per user name and per client address before sign-in is refused for login_window_seconds."))
    login_window_seconds: int = Field(300, ge=1, le=86400, description=N_("Window of the sign-in rate limit."))
    max_upload_mb: int = Field(50, ge=1, le=4096, description=N_("Largest upload the web app accepts."))
    scan_after_upload: bool = Field(True, description=N_("Rescan after an employee uploads their export, so their report shows it (one scan for a burst of uploads)."))
    oidc_discovery_url: str = Field(
        "", pattern=r"^$|^https://\S+$|^http://(localhost|127\.0\.0\.1)(:\d+)?/\S*$",
        description=N_("OpenID Connect discovery URL of the organisation's identity provider (https://.../.well-known/openid-configuration); empty: local accounts only."),
    )
    oidc_client_id: str = Field("", description=N_("Client id tieguard is registered with at the identity provider."))
    oidc_client_secret: SecretStr = Field(SecretStr(""), description=N_("Client secret of that registration (keep it out of version control; TIEGUARD_OIDC_CLIENT_SECRET also sets it)."))
    oidc_scopes: str = Field("openid email profile", pattern=r"(^|\s)openid(\s|$)", description=N_("Scopes asked for; must include openid, and email for the roster mapping."))
    oidc_default_role: WEB_DEFAULT_ROLES = Field(
        "", description=N_("Role given to a signed-in person whose e-mail is neither a user's nor in the roster (no employee data); empty: such a sign-in is refused.")
    )
    oidc_label: str = Field("Sign in with your organisation's account", description=N_("Text of the single sign-on button."))

    @model_validator(mode="after")
    def _oidc_complete(self) -> WebSettings:
        if self.oidc_discovery_url and not self.oidc_client_id.strip():
            raise ValueError(
                "web.oidc_discovery_url is set but web.oidc_client_id is empty: set the client id "
                "tieguard is registered with at the identity provider, or remove the discovery URL"
            )
        return self

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.oidc_discovery_url)


class Settings(_Section):
    warehouse: WarehouseSettings = WarehouseSettings()
    resolve: ResolveSettings = ResolveSettings()
    watch: WatchSettings = WatchSettings()
    exposure: ExposureSettings = ExposureSettings()
    capital: CapitalSettings = CapitalSettings()
    roles: RolesSettings = RolesSettings()
    alerts: AlertsSettings = AlertsSettings()
    privacy: PrivacySettings = PrivacySettings()
    sources: SourcesSettings = SourcesSettings()
    web: WebSettings = WebSettings()
    own_company: str = Field("", description=N_("Our company name as it appears on profiles."))
    language: Literal["en", "nl", "de", "fr"] = Field(
        "en", description=N_("The organisation's default language of reports, personal reports and alerts (en, nl, de, fr); --lang and an employee's roster language take precedence.")
    )


def load_settings(path: Path | None = None, overrides: Mapping[str, Any] | None = None) -> Settings:
    """Read settings from a TOML file (missing: defaults), then apply dotted ``overrides``.

    ``overrides`` maps ``"section.name"`` (or a top-level name) to a value, e.g.
    ``{"warehouse.db": Path("x.duckdb")}``; the result is validated and frozen.
    """
    data: dict[str, Any] = {}
    if path is not None:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(f"The settings file {path} does not exist. Check --config.") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"The settings file {path} cannot be read ({exc}). Check --config.") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"The settings file {path} is not valid TOML: {exc}.") from exc
    for dotted, value in (overrides or {}).items():
        section, _, name = dotted.rpartition(".")
        target = data.setdefault(section, {}) if section else data
        if not isinstance(target, dict):
            raise ConfigError(f"The setting {dotted} cannot be set: {section} is not a section.")
        target[name] = value
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        where = f"The settings file {path}" if path else "The settings"
        raise ConfigError(f"{where} has invalid values: {problems}.") from exc


def with_overrides(settings: Settings, overrides: Mapping[str, Any]) -> Settings:
    """A copy of ``settings`` with dotted ``overrides`` applied and validated."""
    data = settings.model_dump()
    for dotted, value in overrides.items():
        section, _, name = dotted.rpartition(".")
        target = data.setdefault(section, {}) if section else data
        target[name] = value
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"The settings have invalid values: {problems}.") from exc


def settings_markdown() -> str:
    """Document every setting (section, name, type, default, description) as Markdown."""
    lines = [
        "# Settings",
        "",
        "Generated from `tieguard.settings.Settings` (`tieguard settings --markdown > docs/settings.md`).",
        "Put any of these in a TOML file and pass it with `--config`; sections are TOML tables.",
        "",
        "| setting | type | default | description |",
        "|---|---|---|---|",
    ]
    defaults = Settings()
    for name, field in Settings.model_fields.items():
        value = getattr(defaults, name)
        if isinstance(value, BaseModel):
            for sub_name, sub_field in type(value).model_fields.items():
                lines.append(_setting_row(f"{name}.{sub_name}", sub_field, getattr(value, sub_name)))
        else:
            lines.append(_setting_row(name, field, value))
    return "\n".join(lines) + "\n"


def _setting_row(name: str, field: object, default: object) -> str:
    annotation = getattr(field, "annotation", None)
    type_name = str(annotation).replace("typing.", "").replace("<class '", "").replace("'>", "")
    description = getattr(field, "description", "") or ""
    return f"| `{name}` | `{type_name}` | `{default!s}` | {description} |"
