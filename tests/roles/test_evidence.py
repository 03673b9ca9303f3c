"""Word → function evidence (log-odds vote learned from the lexicon labels) and its use as a fallback."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tieguard.labels import FUNCTIONS
from tieguard.roles import Classifier
from tieguard.roles.evidence import CLASSES, Evidence, count_features, load_evidence, write_evidence
from tieguard.roles.lexicon import Entry

_TOY = [
    ("inkoper grondstoffen", ("purchasing",)),
    ("inkoper", ("purchasing",)),
    ("strategisch inkoper", ("purchasing",)),
    ("vrachtwagenchauffeur", ("supply_chain",)),
    ("heftruckchauffeur", ("supply_chain",)),
    ("chauffeur", ("supply_chain",)),
    ("docent wiskunde", ("other",)),
    ("docent economie", ("other",)),
    ("lasser", ("production",)),
    ("metaalbewerker", ("production",)),
]


def _toy_model(threshold: float = 0.5) -> Evidence:
    return Evidence(count_features(_TOY), threshold)


def test_words_vote_for_the_function_of_the_labels_that_use_them() -> None:
    model = _toy_model()
    assert model.best(["inkoper"])[0] == "purchasing"
    assert model.best(["docent", "natuurkunde"])[0] == "other"


def test_char_ngrams_carry_the_vote_to_unseen_compounds() -> None:
    function, probability = _toy_model().best(["bestelwagenchauffeur"])
    assert function == "supply_chain"
    assert probability > 0.5


def test_abstains_without_known_features_or_below_the_threshold() -> None:
    assert _toy_model().best(["qqqq"]) == ("unknown", 0.0)
    assert _toy_model().best([]) == ("unknown", 0.0)
    assert _toy_model(threshold=1.01).best(["inkoper"])[0] == "unknown"


def test_posterior_is_a_distribution_over_the_function_labels() -> None:
    post = _toy_model().posterior(["inkoper", "docent"])
    assert post is not None
    assert post.shape == (len(CLASSES),)
    assert abs(float(post.sum()) - 1.0) < 1e-4
    assert set(CLASSES) == set(FUNCTIONS) - {"unknown"}


def test_written_file_round_trips(tmp_path: Path) -> None:
    entries = {key: Entry("0000", functions, "nl") for key, functions in _TOY * 3}
    path = write_evidence(entries, tmp_path / "evidence.npz")
    with np.load(path) as data:
        assert tuple(data["classes"].tolist()) == CLASSES
        assert len(data["features"]) == data["counts"].shape[0]
        assert 0.0 <= float(data["min_posterior"]) <= 1.0


def test_shipped_model_loads_and_knows_occupations_in_six_languages() -> None:
    model = load_evidence()
    assert len(model.index) > 50_000
    assert 0.3 <= model.min_posterior <= 0.9
    assert model.best(["acheteur"])[0] == "purchasing"
    assert model.best(["boekhouder"])[0] == "finance"
    assert model.best(["muratore"])[0] == "production"


def test_rules_path_falls_back_to_evidence_for_occupations_the_rules_do_not_know() -> None:
    clf = Classifier(fuzzy=False)
    result = clf.classify("Kalkzandsteenmetselaar")  # a bricklayer compound no rule or label has
    assert result.path in ("evidence", "none")
    if result.path == "evidence":
        assert result.function == "production"
        assert any(e.startswith("evidence:") for e in result.evidence)
        assert result.confidence <= 0.7
    without = Classifier(fuzzy=False, evidence=False).classify("Kalkzandsteenmetselaar")
    assert without.function == "unknown"


def test_regions_and_markets_do_not_decide_a_function() -> None:
    clf = Classifier(fuzzy=False)
    for title in ("Founder EMEA", "Interim Founder Automotive", "Gründer DACH"):
        result = clf.classify(title)
        assert result.seniority == "owner"
        assert result.function == "general_management", title
    assert clf.classify("Aufsichtsrat Benelux").function in ("general_management", "unknown")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=20), max_size=6))
def test_best_never_fails_and_stays_in_the_label_set(words: list[str]) -> None:
    function, probability = load_evidence().best(words)
    assert function in CLASSES or function == "unknown"
    assert 0.0 <= probability <= 1.0 + 1e-6
