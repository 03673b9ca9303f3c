"""Our company's name comes from the organisation import (key ``own_name``) into every stage.

Before the name was spelt once (tieguard.organisation), the organisation import stored
``own_name`` while watch, alerts and resolve read ``own_company_name``: colleagues named in an
employee's export counted as competitor leads.
"""

from __future__ import annotations

from pathlib import Path

from tieguard import watch
from tieguard.organisation import OWN_NAME, OWN_NAMES_SQL, own_company_names
from tieguard.resolve.privacy import classify_companies
from tieguard.sources import import_organisation

from .timeline import Timeline, settings

ORG = """[organisation]
name = "Brakel Industrial Solutions B.V."
domain = "brakel.example"

[[competitors]]
name = "Rivalco"
"""


def _imported_org(tmp_path: Path) -> Timeline:
    tl = Timeline()
    tl.engine.execute("DELETE FROM organisation")
    tl.engine.execute("DELETE FROM competitors")
    toml = tmp_path / "organisation.toml"
    toml.write_text(ORG, encoding="utf-8")
    import_organisation(tl.engine, toml)
    return tl


def test_the_organisation_import_stores_the_name_every_stage_reads(tmp_path: Path) -> None:
    tl = _imported_org(tmp_path)
    assert tl.engine.scalar("SELECT value FROM organisation WHERE key = ?", [OWN_NAME]) == \
        "Brakel Industrial Solutions B.V."
    assert f"key = '{OWN_NAME}'" in OWN_NAMES_SQL
    assert own_company_names(tl.engine) == ["Brakel Industrial Solutions B.V."]
    assert own_company_names(tl.engine, " Brakel ") == ["Brakel Industrial Solutions B.V.",
                                                        "Brakel"]


def test_a_colleague_is_never_a_lead(tmp_path: Path) -> None:
    tl = _imported_org(tmp_path).employee("E1")
    # company_class unset as before resolve: the watcher itself must know the name
    tl.person("colleague", company="brakel industrial solutions b.v. ", company_class="other")
    tl.person("buyer", company="Acme")
    tl.tie("T1", "E1", "colleague", "2024-02-01").tie("T2", "E1", "buyer", "2024-02-01")
    watch.run(tl.engine, settings())
    leads = dict(tl.engine.fetchall("SELECT person_key, is_lead FROM competitor_leads"))
    assert leads == {"colleague": False, "buyer": True}


def test_resolve_classifies_colleagues_by_the_imported_name(tmp_path: Path) -> None:
    tl = _imported_org(tmp_path)
    for key, company in (("a", "Brakel Industrial Solutions"), ("b", "Rivalco"), ("c", "Acme")):
        tl.engine.execute("INSERT INTO tie_people (person_key, company) VALUES (?, ?)",
                          [key, company])
        tl.engine.execute("INSERT INTO tie_matches (person_key, match_probability, method, "
                          "status) VALUES (?, 0, 'test', 'unmatched')", [key])
    classify_companies(tl.engine, "")
    classes = dict(tl.engine.fetchall("SELECT person_key, company_class FROM tie_people"))
    assert classes == {"a": "own", "b": "competitor", "c": "other"}
