"""Organisation settings from the web: changes go into the file the CLI reads, validated by
the settings model, comments kept, secrets never shown, every change audited by name only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from tieguard.session import settings_for
from tieguard.settings import Settings
from tieguard.web.settings_file import describe

from .conftest import Web

SECRET = "s3cret-smtp-value"
FILE = f"""# kept by our IT team: do not remove this comment
[alerts]
smtp_password = "{SECRET}"
min_score = 7.5
"""


def _file(web: Web) -> Path:
    path = web.state.config.db.parent / "tieguard.toml"
    path.write_text(FILE, encoding="utf-8")
    web.state.use_settings(settings_for(web.state.config.db))
    return path


def _post(web: Web, form: dict[str, str]) -> Any:
    return web.client.post("/admin/settings", data=form | {"csrf_token": web.csrf["admin"]},
                           headers={"Cookie": web.page("admin")["Cookie"]})


def test_admin_changes_settings_the_cli_then_reads(web: Web) -> None:
    path = _file(web)
    page = web.client.get("/admin/settings", headers=web.page("admin"))
    assert page.status_code == 200 and SECRET not in page.text
    assert 'name="watch.cadence_days" value="7"' in page.text
    assert 'name="warehouse.memory_limit"' not in page.text  # shown, not editable
    german = web.client.get("/admin/settings", headers=web.page("admin") | {"Accept-Language": "de"})
    assert "<h1>Einstellungen der Organisation</h1>" in german.text

    res = _post(web, {"watch.cadence_days": "14", "own_company": "Brakel Industrial",
                      "alerts.min_score": "7.5", "alerts.smtp_password": "",
                      "capital.key_roles": "decision_maker, procurement"})
    assert res.status_code == 200, res.text
    assert "Saved: capital.key_roles, own_company, watch.cadence_days." in res.text
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# kept by our IT team") and SECRET in text  # comment and secret kept
    cli = settings_for(web.state.config.db)  # what the next CLI command reads
    assert cli.watch.cadence_days == 14 and cli.own_company == "Brakel Industrial"
    assert cli.capital.key_roles == ["decision_maker", "procurement"]
    assert cli.alerts.smtp_password.get_secret_value() == SECRET
    # the web section keeps its start-up values (CLI options such as --app-db) until a restart
    for live in (web.state.warehouse.settings, web.state.jobs.warehouse.settings):
        assert live.model_dump(exclude={"web"}) == cli.model_dump(exclude={"web"})

    res = web.client.patch("/api/v1/settings", json={"watch.vantage": "stranger",
                                                     "capital.as_of": None},
                           headers=web.api("admin"))
    assert res.json() == {"changed": ["capital.as_of", "watch.vantage"]}
    assert settings_for(web.state.config.db).watch.vantage == "stranger"
    web.client.patch("/api/v1/settings", json={"exposure.lookback_days": "400"},
                     headers=web.api("admin"))
    assert "lookback_days = 400\n" in path.read_text(encoding="utf-8")  # a number, not text
    shown = web.client.get("/api/v1/settings", headers=web.api("admin"))
    assert shown.json()["settings"]["alerts"]["smtp_password"] == {"set": True}
    assert SECRET not in shown.text

    events = web.client.get("/api/v1/audit?limit=500", headers=web.api("auditor")).json()["items"]
    changes = [e["detail"] for e in events if e["action"] == "change-settings"]
    assert "changed: capital.key_roles, own_company, watch.cadence_days" in changes
    assert not any("Brakel" in str(e) or SECRET in str(e) for e in events)


def test_invalid_settings_are_refused_in_sentences_and_nothing_changes(web: Web) -> None:
    path = _file(web)
    before = path.read_bytes()
    res = _post(web, {"watch.cadence_days": "0", "resolve.match_threshold": "abc"})
    assert res.status_code == 400
    assert ("The setting watch.cadence_days was not saved: input should be greater than or "
            "equal to 1 (you entered 0).") in res.text
    assert "The setting resolve.match_threshold was not saved" in res.text
    assert 'name="watch.cadence_days" value="0"' in res.text  # the entry is kept for fixing
    assert path.read_bytes() == before and web.state.warehouse.settings.watch.cadence_days == 7

    for body, words in (({"watch.vantage": "moon"}, "watch.vantage was not saved"),
                        ({"warehouse.db": "/tmp/x.duckdb"}, "cannot be changed from the web"),
                        ({"web.port": 1}, "cannot be changed from the web"),
                        ({"privacy.secret_file": "/etc/x"}, "cannot be changed from the web"),
                        ({"nonsense.key": 1}, "cannot be changed from the web")):
        res = web.client.patch("/api/v1/settings", json=body, headers=web.api("admin"))
        assert res.status_code == 400 and words in res.json()["detail"], (body, res.text)
    assert path.read_bytes() == before
    assert web.client.patch("/api/v1/settings", json={"watch.cadence_days": 3},
                            headers=web.api("analyst")).status_code == 403


def test_every_setting_of_the_model_is_on_the_page_once() -> None:
    keys = [f.key for _, fields in describe(Settings()) for f in fields]
    expected = []
    for name in Settings.model_fields:
        value = getattr(Settings(), name)
        expected += ([f"{name}.{sub}" for sub in type(value).model_fields]
                     if isinstance(value, BaseModel) else [name])
    expected.remove("resolve.hash_key")  # no longer read; setting it is refused
    assert sorted(keys) == sorted(expected) and len(keys) == len(set(keys))
    secrets = {f.key for _, fields in describe(Settings()) for f in fields if f.kind == "secret"}
    assert secrets == {"alerts.smtp_password", "alerts.webhook_secret", "web.oidc_client_secret"}


def test_admin_edits_the_organisation_file_as_the_cli_imports_it(web: Web) -> None:
    engine = web.state.warehouse.engine
    shown = web.client.get("/api/v1/organisation", headers=web.api("admin")).json()["toml"]
    name = str(engine.scalar("SELECT value FROM organisation WHERE key = 'own_name'"))
    assert f'name = "{name}"' in shown and "[[competitors]]" in shown
    page = web.client.get("/admin/settings", headers=web.page("admin")).text
    assert "[[competitors]]" in page

    edited = shown.replace(name, "Brakel Group N.V.") + '\n[[competitors]]\nname = "Acme Pumps AG"\n'
    res = web.client.post("/admin/organisation", data={"toml": edited,
                          "csrf_token": web.csrf["admin"]},
                          headers={"Cookie": web.page("admin")["Cookie"]})
    assert res.status_code == 303
    assert "competitors" in web.finished("admin", res)["summary"]
    assert engine.scalar("SELECT value FROM organisation WHERE key = 'own_name'") == \
        "Brakel Group N.V."
    assert engine.scalar("SELECT count(*) FROM competitors WHERE name = 'Acme Pumps AG'") == 1
    supplied = engine.scalar("SELECT supplied_by FROM imports WHERE kind = 'organisation' "
                             "ORDER BY imported_at DESC LIMIT 1")
    assert supplied == "admin"

    for bad, words in (("[organisation\nname=", "not valid TOML"),
                       ("[organisation]\ndomain = 'x.com'\n", "needs an [organisation] table")):
        res = web.client.put("/api/v1/organisation", json={"toml": bad}, headers=web.api("admin"))
        assert res.status_code == 400 and words in res.json()["detail"]
    res = web.client.post("/admin/organisation", data={"toml": "[organisation]\n",
                          "csrf_token": web.csrf["admin"]},
                          headers={"Cookie": web.page("admin")["Cookie"]})
    assert res.status_code == 400 and 'id="organisation-error"' in res.text
