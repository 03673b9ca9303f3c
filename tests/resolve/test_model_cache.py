"""Trained person-model parameters are reused while the CRM is unchanged: rescans are stable."""

import pytest

from tieguard.engine import Engine
from tieguard.resolve import model as person_model
from tieguard.resolve import run
from tieguard.settings import Settings


def _matches(engine) -> list[tuple]:  # type: ignore[no-untyped-def]
    """Decisions, and probabilities to 1 decimal (the prior is re-estimated on each run, so a 0.905 may become 0.91);
    unmatched people are pseudonymised after the first run, so only their status counts."""
    return engine.fetchall(
        "SELECT person_key, contact_id, account_id, status, "
        "CASE WHEN status <> 'unmatched' THEN round(match_probability, 1) END "
        "FROM tie_matches ORDER BY 1"
    )


def test_second_run_reuses_parameters_and_gives_identical_matches(untrained_demo: Engine) -> None:
    engine = untrained_demo
    first = run(engine, Settings())
    first_matches = _matches(engine)
    second = run(engine, Settings())
    assert (first["person_model"], second["person_model"]) == ("trained", "reused")
    assert _matches(engine) == first_matches
    # a changed CRM retrains
    engine.execute("UPDATE contacts SET title = coalesce(title, '') || ' (updated)' "
                   "WHERE contact_id = (SELECT min(contact_id) FROM contacts)")
    assert run(engine, Settings())["person_model"] == "trained"


def test_model_trained_on_a_sample_scores_every_tie_person(
    untrained_demo: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = untrained_demo
    people = int(engine.scalar(
        "SELECT count(*) FROM tie_people WHERE NOT coalesce(is_pseudonymised, FALSE)"))
    sample = people // 5
    monkeypatch.setattr(person_model, "TRAIN_SAMPLE", sample)
    summary = run(engine, Settings())
    assert summary["person_model"] == "trained"
    # more tie-people reach a contact through the model than the sample holds
    probabilistic = int(engine.scalar(
        "SELECT count(*) FROM tie_matches WHERE method = 'probabilistic' "
        "AND status = 'matched'"))
    assert probabilistic > sample
