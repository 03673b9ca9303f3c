"""The installation's pseudonym secret: the key of every keyed hash of a person's identity.

``person_key``, ``tie_id`` and ``person_hash`` are HMAC-SHA256 values under this secret
(the engine's ``tg_keyed_hash``), so someone holding only the warehouse file cannot
recompute them from a name or profile URL. The secret lives **outside** the warehouse file:

1. the file named by ``privacy.secret_file`` (settings), else
2. the file named by the environment variable ``TIEGUARD_SECRET_FILE``, else
3. ``$XDG_CONFIG_HOME/tieguard/secret`` (``~/.config/tieguard/secret``).

It is created at first use (32 random bytes, hex, mode 0600 in a 0700 directory) and
refused when others may read it, when it is shorter than 32 characters or when it is a
known default such as ``change-me``. The warehouse remembers the key's id
(:func:`key_id`, a one-way value) in ``pseudonym_keys``; a different secret is refused
until ``tieguard privacy rekey`` re-derives the keys.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from .engine import Engine
from .errors import ConfigError

__all__ = ["secret_path", "load_secret", "create_secret", "key_id", "install_secret",
           "KNOWN_DEFAULTS"]

#: Secrets published somewhere (docs, old defaults): never accepted.
KNOWN_DEFAULTS = frozenset({"change-me", "changeme", "secret", "tieguard", "password"})
_MIN_LENGTH = 32


def secret_path(configured: Path | None = None) -> Path:
    """Where this installation's secret is (see the module docstring)."""
    if configured is not None:
        return Path(configured).expanduser()
    env = os.environ.get("TIEGUARD_SECRET_FILE")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "tieguard" / "secret"


def create_secret(path: Path) -> bytes:
    """Write a new random secret to ``path`` (0600; the directory 0700); return it."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    value = secrets.token_hex(32)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, (value + "\n").encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, path)
    return value.encode("ascii")


def load_secret(path: Path, *, create: bool) -> bytes:
    """The secret in ``path``; created there if missing and ``create``; checked either way."""
    if not path.exists():
        if not create:
            raise ConfigError(
                f"The pseudonym secret {path} is missing, but this warehouse was built with one. "
                "Restore the file from your backup (it never lives inside the warehouse), or "
                "run `tieguard privacy rekey` to re-derive every key under a new secret."
            )
        return create_secret(path)
    if not path.is_file():
        raise ConfigError(f"The pseudonym secret {path} is not a regular file. Point "
                          "privacy.secret_file (or TIEGUARD_SECRET_FILE) at a file.")
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(
            f"The pseudonym secret {path} can be read by other users (mode "
            f"{stat.S_IMODE(mode):o}). Run `chmod 600 {path}` and try again."
        )
    value = path.read_text(encoding="utf-8", errors="strict").strip()
    if value.lower() in KNOWN_DEFAULTS:
        raise ConfigError(
            f"The pseudonym secret in {path} is the published default {value!r}; anyone could "
            "recompute every pseudonym with it. Delete the file to have a random one created "
            "(then run `tieguard privacy rekey` if a warehouse used it)."
        )
    if len(value) < _MIN_LENGTH:
        raise ConfigError(
            f"The pseudonym secret in {path} has {len(value)} characters; at least "
            f"{_MIN_LENGTH} random ones are needed. Delete it to have one created."
        )
    return value.encode("utf-8")


def key_id(secret: bytes) -> str:
    """A one-way id of ``secret`` (to recognise it; reveals nothing usable about it)."""
    return hmac.new(secret, b"tieguard key id", hashlib.sha256).hexdigest()[:16]


def install_secret(engine: Engine, configured: Path | None = None, *, check: bool = True) -> str:
    """Load (or, for a new warehouse, create) the secret and key the engine with it.

    Returns the key id. With ``check`` a warehouse keyed under another secret, or built
    before keyed pseudonyms, is refused with the way out (``tieguard privacy rekey``).
    """
    path = secret_path(configured)
    if engine.read_only:  # reading needs no key; anything computing one fails with a clear error
        if path.exists():
            engine.set_pseudonym_key(load_secret(path, create=False))
        return ""
    stored = engine.scalar("SELECT max(key_id) FROM pseudonym_keys")
    secret = load_secret(path, create=stored is None or not check)
    engine.set_pseudonym_key(secret)
    current = key_id(secret)
    if not check:
        return current
    if stored is None:
        if engine.scalar("SELECT count(*) FROM tie_people"):
            raise ConfigError(
                f"The warehouse {engine.path} was built before keyed pseudonyms (its person keys "
                "are plain hashes anyone can recompute). Run `tieguard privacy rekey` once."
            )
        engine.execute("INSERT INTO pseudonym_keys (key_id, created_at) VALUES (?, ?)",
                       [current, dt.datetime.now()])
    elif stored is not None and stored != current:
        raise ConfigError(
            f"The pseudonym secret {path} is not the one the warehouse {engine.path} was built "
            "with. Point privacy.secret_file (or TIEGUARD_SECRET_FILE) at the right file, or run "
            "`tieguard privacy rekey` to re-derive every key under this secret."
        )
    return current
