"""Person names as token sets (issue 10, part 2), through the shipped pair model."""

from __future__ import annotations

from tieguard.resolve.name_features import first_field, last_field, split_full_name
from tieguard.resolve.scoring import person_vectors, score_pairs


def _levels(pairs: list[tuple[str, str]]) -> list[tuple[int, int]]:
    scored = person_vectors([{"name1": a, "name2": b} for a, b in pairs])
    return list(zip(scored["gamma_first_name"].astype(int), scored["gamma_last_name"].astype(int),
                    strict=True))


def test_fields_keep_every_token() -> None:
    assert first_field("Anna Maria").given_tokens == ("anna", "maria")
    assert last_field("García López").last_tokens == ("garcia", "lopez")
    assert last_field("van der Berg").last_joined == "vanderberg"
    assert last_field("Иванов").last_key == "ivanov"
    assert split_full_name("Dr. Jan van der Berg") == ("Jan", "van der Berg")


def test_each_name_level_fires() -> None:
    """Every non-exact level is reached by the case it exists for (the 'shares a surname
    part' level used to be unreachable in score-pairs)."""
    first_labels = {
        ("Smith John", "John Smith"): "another given name, or the names reversed",
        ("Bob Smith", "Robert Smith"): "nickname of the same name",
        ("J. Smith", "John Smith"): "initial agrees",
    }
    last_labels = {
        ("Jan van der Berg", "Jan Vanderberg"): "same words in another order or glued",
        ("José García López", "Jose Garcia"): "one name's words all in the other",
        ("Ana Lopez Garcia", "Ana Garcia Ruiz"): "shares a surname part",
    }
    scored = score_pairs([{"name1": a, "name2": b} for a, b in [*first_labels, *last_labels]],
                         "person")
    for row, label in zip(scored, [*first_labels.values(), *last_labels.values()], strict=True):
        assert label in row["evidence"], (row["name1"], row["name2"], row["evidence"])


def test_reversed_transliterated_and_middle_names_outscore_strangers() -> None:
    scored = score_pairs([
        {"name1": "Иван Петрович Иванов", "name2": "Ivan Ivanov"},
        {"name1": "Smith John", "name2": "John Smith"},
        {"name1": "Müller Jürgen", "name2": "Juergen Mueller"},
        {"name1": "John Smith", "name2": "Peter Jansen"},
    ], "person")
    strangers = scored[-1]["match_probability"]
    assert all(r["is_match"] and r["match_probability"] > strangers for r in scored[:-1])
    assert not scored[-1]["is_match"]
