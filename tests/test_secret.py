"""The installation secret: created once outside the warehouse, checked, and the only key."""

from __future__ import annotations

import hashlib
import hmac
import stat
from pathlib import Path

import pytest

from tieguard.errors import ConfigError
from tieguard.secret import key_id, load_secret, secret_path
from tieguard.settings import load_settings
from tieguard.sources.keys import HASH
from tieguard.warehouse import open_warehouse


def test_created_at_first_use_with_owner_only_permissions(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "tieguard" / "secret"
    first = load_secret(path, create=True)
    assert len(first) == 64 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert load_secret(path, create=True) == first  # not replaced once it exists
    assert load_secret(tmp_path / "other", create=True) != first  # random per installation


@pytest.mark.parametrize("content", ["change-me", "CHANGE-ME\n", "short-but-not-default"])
def test_known_defaults_and_short_secrets_are_refused(tmp_path: Path, content: str) -> None:
    path = tmp_path / "secret"
    path.write_text(content)
    path.chmod(0o600)
    with pytest.raises(ConfigError, match="default|at least 32"):
        load_secret(path, create=True)


def test_a_secret_others_can_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "secret"
    load_secret(path, create=True)
    path.chmod(0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        load_secret(path, create=False)


def test_the_old_hash_key_setting_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "tieguard.toml"
    config.write_text('[resolve]\nhash_key = "change-me"\n')
    with pytest.raises(ConfigError, match="published default"):
        load_settings(config)


def test_location_follows_settings_then_environment(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIEGUARD_SECRET_FILE", str(tmp_path / "env"))
    assert secret_path(None) == tmp_path / "env"
    assert secret_path(tmp_path / "set") == tmp_path / "set"
    monkeypatch.delenv("TIEGUARD_SECRET_FILE")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert secret_path(None) == tmp_path / "xdg" / "tieguard" / "secret"


def test_person_keys_need_the_secret_and_another_secret_is_refused(tmp_path: Path) -> None:
    secret_file = tmp_path / "secret"
    db = tmp_path / "w.duckdb"
    engine = open_warehouse(db, secret_file=secret_file)
    try:
        key = engine.scalar("SELECT tg_keyed_hash('url:linkedin.com/in/jane-doe')")
        secret = load_secret(secret_file, create=False)
        expected = hmac.new(secret, b"url:linkedin.com/in/jane-doe", hashlib.sha256).hexdigest()
        assert key == expected[:32]
        assert key != hashlib.md5(b"url:linkedin.com/in/jane-doe").hexdigest()
        assert engine.scalar("SELECT key_id FROM pseudonym_keys") == key_id(secret)
        assert secret.hex() not in db.read_bytes().hex() and secret not in db.read_bytes()
    finally:
        engine.close()
    load_secret(tmp_path / "another", create=True)
    with pytest.raises(ConfigError, match="not the one the warehouse"):
        open_warehouse(db, secret_file=tmp_path / "another")
    secret_file.unlink()
    with pytest.raises(ConfigError, match="is missing"):
        open_warehouse(db, secret_file=secret_file)


def test_rekey_rotates_the_secret_and_keeps_every_join(demo_run: tuple[Path, dict],
                                                       tmp_path: Path,
                                                       installation_secret: Path) -> None:
    import json
    import shutil

    from typer.testing import CliRunner

    from tieguard.cli.main import app

    db = tmp_path / "w.duckdb"
    shutil.copy(demo_run[0] / "tieguard.duckdb", db)
    secret = tmp_path / "secret"
    shutil.copy(installation_secret, secret)
    secret.chmod(0o600)
    (tmp_path / "tieguard.toml").write_text(f'[privacy]\nsecret_file = "{secret}"\n')
    joins = ("SELECT count(*) FROM ties t JOIN tie_people p USING (person_key) "
             "JOIN tie_matches m USING (person_key) JOIN person_roles r USING (person_key)")
    engine = open_warehouse(db, secret_file=secret)
    try:
        before = engine.fetchone(f"SELECT ({joins}), (SELECT count(*) FROM tie_people), "
                                 "(SELECT count(DISTINCT tie_id) FROM ties)")
        old_keys = [r[0] for r in engine.fetchall("SELECT person_key FROM tie_people LIMIT 50")]
    finally:
        engine.close()
    old_secret = secret.read_text()
    result = CliRunner().invoke(app, ["privacy", "rekey", "--new-secret", "--yes", "--db", str(db),
                                      "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["people_from_identity"] > 0 and figures["people_from_old_key"] > 0
    assert secret.read_text() != old_secret and stat.S_IMODE(secret.stat().st_mode) == 0o600
    engine = open_warehouse(db, secret_file=secret)
    try:
        after = engine.fetchone(f"SELECT ({joins}), (SELECT count(*) FROM tie_people), "
                                "(SELECT count(DISTINCT tie_id) FROM ties)")
        assert after == before
        kept = engine.scalar("SELECT count(*) FROM tie_people WHERE list_contains(?, person_key)",
                             [old_keys])
        assert kept == 0 or HASH == "md5"  # unkeyed identity keys do not change
    finally:
        engine.close()
    raw = db.read_bytes()
    assert HASH == "md5" or not any(k.encode() in raw for k in old_keys)
    # a second re-key under the same secret changes no identity-derived key
    again = CliRunner().invoke(app, ["privacy", "rekey", "--yes", "--db", str(db), "--json"])
    assert again.exit_code == 0, again.output
    old_file = tmp_path / "old"
    old_file.write_text(old_secret)
    old_file.chmod(0o600)
    with pytest.raises(ConfigError, match="not the one the warehouse"):
        open_warehouse(db, secret_file=old_file)
