"""Reading and changing the organisation's settings file from the web app.

The file is the one the CLI reads for this warehouse (``--config`` of ``tieguard serve``, else
``tieguard.toml`` beside the warehouse). Every change is validated with the one settings model
(:class:`tieguard.settings.Settings`) before the file is replaced (atomically, comments and
layout kept by tomlkit); the errors come back as sentences naming the setting.

Not editable from the web: the ``warehouse`` and ``web`` sections (they take effect only when
the server restarts, and a mistake there could lock everyone out) and settings naming files on
the server. Secrets are never shown: a secret field says whether it is set, and an empty entry
keeps it.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import threading
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit
from pydantic import BaseModel, SecretStr, ValidationError
from pydantic.fields import FieldInfo

from ..errors import ConfigError
from ..session import SETTINGS_FILE
from ..settings import Settings

__all__ = ["SettingField", "settings_path", "describe", "changes_from_form", "save_changes",
           "READ_ONLY_SECTIONS", "settings_json", "typed_changes"]

READ_ONLY_SECTIONS = ("warehouse", "web")
HIDDEN = {"resolve.hash_key"}  # no longer read; setting it is refused
TOP = "organisation"  # the group name of the top-level settings (own_company, language)
_lock = threading.Lock()


@dataclass(frozen=True)
class SettingField:
    """One setting as the page shows it."""

    key: str
    label: str
    description: str
    kind: str  # bool | choice | int | float | list | date | secret | text
    choices: tuple[str, ...]
    value: str
    optional: bool
    editable: bool


def settings_path(db: Path, config: Path | None) -> Path:
    """The settings file the CLI and this server read for ``db``."""
    return config if config is not None else db.parent / SETTINGS_FILE


def _bare(annotation: Any) -> tuple[Any, bool]:
    """The annotation without ``None`` and whether None was allowed."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return rest[0], True
    return annotation, False


def _kind(annotation: Any) -> tuple[str, tuple[str, ...]]:
    if typing.get_origin(annotation) is typing.Literal:
        return "choice", tuple(str(a) for a in typing.get_args(annotation))
    if typing.get_origin(annotation) is list:
        return "list", ()
    simple = {bool: "bool", int: "int", float: "float", dt.date: "date", SecretStr: "secret",
              str: "text"}
    return simple.get(annotation, "file" if annotation is Path else "text"), ()


def _shown(value: Any, kind: str) -> str:
    if kind == "secret":
        return "set" if value is not None and value.get_secret_value() else ""
    if value is None:
        return ""
    if kind == "list":
        return ", ".join(str(v) for v in value)
    if kind == "bool":
        return "true" if value else "false"
    return str(value)


def _field(group: str, name: str, info: FieldInfo, value: Any) -> SettingField | None:
    key = name if group == TOP else f"{group}.{name}"
    if key in HIDDEN:
        return None
    annotation, optional = _bare(info.annotation)
    kind, choices = _kind(annotation)
    editable = group not in READ_ONLY_SECTIONS and kind != "file"
    return SettingField(key, name.replace("_", " "), info.description or "", kind, choices,
                        _shown(value, kind), optional, editable)


def describe(settings: Settings) -> list[tuple[str, list[SettingField]]]:
    """Every setting by section (the top-level ones first, as ``organisation``)."""
    groups: list[tuple[str, list[SettingField]]] = [(TOP, [])]
    for name, info in Settings.model_fields.items():
        value = getattr(settings, name)
        if isinstance(value, BaseModel):
            fields = [_field(name, sub, sub_info, getattr(value, sub))
                      for sub, sub_info in type(value).model_fields.items()]
            groups.append((name, [f for f in fields if f is not None]))
        else:
            shown = _field(TOP, name, info, value)
            if shown is not None:
                groups[0][1].append(shown)
    return groups


def _typed(kind: str, text: str) -> Any:
    """The form text as the TOML value of a setting; text that does not convert stays text
    (the model then says what it expected)."""
    text = text.strip()
    try:
        if kind == "bool":
            return {"true": True, "false": False}.get(text.lower(), text)
        if kind == "int":
            return int(text)
        if kind == "float":
            return float(text.replace(",", "."))
        if kind == "date":
            return dt.date.fromisoformat(text)
    except ValueError:
        return text
    if kind == "list":
        return [part.strip() for part in text.split(",") if part.strip()]
    return text


def changes_from_form(settings: Settings, form: Mapping[str, str]) -> dict[str, Any]:
    """Dotted key → new value for each editable setting the form changed (None: remove it from
    the file, so the default applies); an empty secret keeps the stored one."""
    changes: dict[str, Any] = {}
    for _group, fields in describe(settings):
        for f in fields:
            if not f.editable or f.key not in form:
                continue
            text = str(form[f.key]).strip()
            if f.kind == "secret":
                if text:
                    changes[f.key] = text
            elif text != f.value.strip():
                changes[f.key] = None if text == "" and f.optional else _typed(f.kind, text)
    return changes


def typed_changes(settings: Settings, changes: Mapping[str, Any]) -> dict[str, Any]:
    """API changes with text values converted as a form's are (``"14"`` → 14), so that the
    file keeps TOML numbers, booleans, dates and lists."""
    kinds = {f.key: f.kind for _, fields in describe(settings) for f in fields}
    return {key: _typed(kinds[key], value) if isinstance(value, str) and kinds.get(key) in
            ("bool", "int", "float", "date", "list") else value for key, value in changes.items()}


def _problems(exc: ValidationError, changes: Mapping[str, Any]) -> str:
    sentences = []
    for error in exc.errors():
        key = ".".join(str(p) for p in error["loc"] if not isinstance(p, int))
        entered = changes.get(key)
        shown = "" if entered is None or "secret" in key or "password" in key \
            else f" (you entered {entered!r})"
        message = str(error["msg"]).removeprefix("Value error, ")
        sentences.append(f"The setting {key} was not saved: {message[:1].lower()}{message[1:]}"
                         f"{shown}.")
    return " ".join(sentences) + " Nothing was changed."


def _set(doc: tomlkit.TOMLDocument, key: str, value: Any) -> None:
    section, _, name = key.rpartition(".")
    table: Any = doc
    if section:
        if section not in doc:
            doc[section] = tomlkit.table()
        table = doc[section]
    if value is None:
        table.pop(name, None)
    else:
        table[name] = value


def _editable(settings: Settings, changes: Mapping[str, Any]) -> None:
    allowed = {f.key for _, fields in describe(settings) for f in fields if f.editable}
    refused = sorted(set(changes) - allowed)
    if refused:
        raise ConfigError(f"The settings {', '.join(refused)} cannot be changed from the web "
                          "app (unknown, or the warehouse, web and file settings, which take "
                          "effect at a restart); edit the settings file instead.")


def save_changes(path: Path, settings: Settings, changes: Mapping[str, Any],
                 overrides: Mapping[str, Any]) -> None:
    """Validate ``changes`` over the file's content with the settings model, then replace the
    file; :class:`ConfigError` with every problem as a sentence, and the file untouched."""
    _editable(settings, changes)
    with _lock:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        try:
            doc = tomlkit.parse(text)
        except tomlkit.exceptions.ParseError as exc:
            raise ConfigError(f"The settings file {path} is not valid TOML ({exc}); fix it "
                              "in an editor first.") from exc
        for key, value in changes.items():
            _set(doc, key, value)
        new_text = tomlkit.dumps(doc)
        data = tomllib.loads(new_text)
        for dotted, value in overrides.items():  # what the server's options override
            section, _, name = dotted.rpartition(".")
            data.setdefault(section, {})[name] = value
        try:
            Settings.model_validate(data)
        except ValidationError as exc:
            raise ConfigError(_problems(exc, changes)) from exc
        _replace(path, new_text)


def _replace(path: Path, text: str) -> None:
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o600
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tieguard-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def settings_json(settings: Settings) -> dict[str, dict[str, Any]]:
    """Every shown setting by section for the API; a secret only says whether it is set."""
    out: dict[str, dict[str, Any]] = {}
    for group, fields in describe(settings):
        section = out.setdefault(group, {})
        for f in fields:
            name = f.key.rpartition(".")[2]
            raw = getattr(settings, name) if group == TOP else getattr(getattr(settings, group), name)
            section[name] = {"set": bool(f.value)} if f.kind == "secret" else \
                (str(raw) if isinstance(raw, Path | dt.date) else raw)
    return out
