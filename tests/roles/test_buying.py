"""The configurable (function, seniority) → buying roles table."""

from __future__ import annotations

from pathlib import Path

import pytest

from tieguard.errors import ConfigError
from tieguard.roles.buying import BuyingTable, load_buying_table


def test_default_table_for_an_industrial_supplier() -> None:
    table = load_buying_table()
    assert "procurement" in table.roles(["purchasing"], "individual")
    assert "economic_buyer" in table.roles(["purchasing"], "director")
    assert "technical_evaluator" in table.roles(["engineering"], "senior")
    assert table.roles(["sales"], "individual") == {}
    assert table.roles(["admin"], "individual") == {"gatekeeper": 0.8}


def test_union_over_functions_keeps_the_highest_score() -> None:
    table = load_buying_table()
    merged = table.roles(["purchasing", "engineering"], "manager")
    assert merged["procurement"] == table.roles(["purchasing"], "manager")["procurement"]
    assert "technical_evaluator" in merged


def test_yaml_and_toml_tables(tmp_path: Path) -> None:
    yaml_file = tmp_path / "roles.yaml"
    yaml_file.write_text(
        "rules:\n  - function: sales\n    seniority: manager+\n    roles: {decision_maker: 0.7}\n",
        encoding="utf-8",
    )
    table = load_buying_table(yaml_file)
    assert table.roles(["sales"], "vp") == {"decision_maker": 0.7}
    assert table.roles(["sales"], "senior") == {}
    toml_file = tmp_path / "roles.toml"
    toml_file.write_text(
        '[[rules]]\nfunction = "*"\nseniority = ["owner"]\nroles = {economic_buyer = 1.0}\n', encoding="utf-8"
    )
    assert load_buying_table(toml_file).roles(["hr"], "owner") == {"economic_buyer": 1.0}


@pytest.mark.parametrize(
    "rules",
    [
        {"rules": [{"function": "buying", "seniority": "*", "roles": {"user": 0.5}}]},
        {"rules": [{"function": "sales", "seniority": "boss", "roles": {"user": 0.5}}]},
        {"rules": [{"function": "sales", "seniority": "*", "roles": {"influencer": 0.5}}]},
        {"rules": [{"function": "sales", "seniority": "*", "roles": {"user": 3}}]},
        {"table": []},
    ],
)
def test_invalid_tables_raise_config_error(rules: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        BuyingTable.from_dict(rules)


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_buying_table(tmp_path / "nope.yaml")
