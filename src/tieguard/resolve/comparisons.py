"""The person model's comparisons (Splink comparison levels over the feature columns)."""

from __future__ import annotations

import splink.comparison_level_library as cll
import splink.comparison_library as cl

__all__ = ["first_name", "last_name", "company", "relationship", "title"]


#: Levels reading the other name's words (reversed order, middle names, double surnames,
#: a one-word name that is one of the other's words), allowing one edit per word.
def _close(a: str, b: str) -> str:
    return f"(damerau_levenshtein({a}, {b}) <= 1 OR jaro_winkler_similarity({a}, {b}) >= 0.92)"


def _in_words(word: str, words: str) -> str:
    return f"len(list_filter({words}, lambda x: {_close('x', word)})) > 0"


_REVERSED = (f"({_close('first_key_l', 'last_key_r')} AND {_close('last_key_l', 'first_key_r')})"
             " OR (list_contains(name_tokens_r, first_key_l) "
             "AND list_contains(name_tokens_l, first_key_r) "
             "AND list_contains(name_tokens_r, last_key_l))")
_ONE_WORD = (f"(len(name_tokens_l) = 1 AND {_in_words('first_key_l', 'name_tokens_r')}) OR "
             f"(len(name_tokens_r) = 1 AND {_in_words('first_key_r', 'name_tokens_l')})")
_SAME_WORDS = ("list_sort(name_tokens_l) = list_sort(name_tokens_r) "
               "OR last_joined_l = last_joined_r")
_WORDS_INSIDE = ("(list_has_all(name_tokens_l, name_tokens_r) "
                 "OR list_has_all(name_tokens_r, name_tokens_l)) "
                 "AND len(list_intersect(name_tokens_l, name_tokens_r)) >= 2")


def first_name(tf: bool = False) -> cl.CustomComparison:
    """First name: the first given name, its nicknames, then the other given names."""
    return cl.CustomComparison(
        output_column_name="first_name",
        comparison_levels=[
            cll.NullLevel("first_key"),
            cll.ExactMatchLevel("first_key", term_frequency_adjustments=tf),
            cll.CustomLevel(
                "list_has_any(first_canons_l, first_canons_r)", "nickname of the same name"
            ),
            cll.CustomLevel(
                f"({_REVERSED}) OR list_contains(given_tokens_r, first_key_l) "
                "OR list_contains(given_tokens_l, first_key_r)",
                "another given name, or the names reversed",
            ),
            cll.CustomLevel(_ONE_WORD, "a one-word name is one of the other's words"),
            cll.DamerauLevenshteinLevel("first_key", 1),
            cll.JaroWinklerLevel("first_key", 0.92),
            cll.JaroWinklerLevel("first_key", 0.8),
            cll.CustomLevel(
                "(length(first_key_l) = 1 OR length(first_key_r) = 1) "
                "AND substr(first_key_l, 1, 1) = substr(first_key_r, 1, 1)",
                "initial agrees",
            ),
            cll.ElseLevel(),
        ],
    )


def last_name(tf: bool) -> cl.CustomComparison:
    """Last name as a token set: exact, same words (reversed, joined), one edit, all of one
    name's words inside the other's, a shared surname part, similar spelling."""
    return cl.CustomComparison(
        output_column_name="last_name",
        comparison_levels=[
            cll.NullLevel("last_key"),
            cll.ExactMatchLevel("last_key", term_frequency_adjustments=tf),
            cll.CustomLevel(_SAME_WORDS, "same words in another order or glued"),
            cll.DamerauLevenshteinLevel("last_key", 1),
            cll.JaroWinklerLevel("last_key", 0.92),
            cll.CustomLevel(_WORDS_INSIDE, "one name's words all in the other"),
            cll.CustomLevel(
                "list_has_any(last_tokens_l, last_tokens_r) "
                "OR list_contains(name_tokens_r, last_key_l) "
                "OR list_contains(name_tokens_l, last_key_r)",
                "shares a surname part",
            ),
            cll.JaroWinklerLevel("last_key", 0.8),
            cll.ElseLevel(),
        ],
    )


def company() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="company",
        comparison_levels=[
            cll.NullLevel("company_key"),
            cll.ExactMatchLevel("company_key"),
            cll.CustomLevel(
                "replace(company_key_l, ' ', '') = company_acronym_r "
                "OR replace(company_key_r, ' ', '') = company_acronym_l",
                "acronym of the other name",
            ),
            cll.JaroWinklerLevel("company_key", 0.9),
            cll.CustomLevel(
                "list_has_any(company_rare_l, company_rare_r)", "shares a rare name token"
            ),
            cll.ElseLevel(),
        ],
    )


def relationship() -> cl.CustomComparison:
    """Relationship prior: an employee holding the tie owns the contact, its account or
    an opportunity of the account (``rel_employees`` on both sides)."""
    return cl.CustomComparison(
        output_column_name="relationship",
        comparison_levels=[
            cll.CustomLevel(
                "rel_employees_l IS NULL OR rel_employees_r IS NULL", "no owner or no tie"
            ).configure(is_null_level=True),
            cll.CustomLevel(
                "list_has_any(rel_employees_l, rel_employees_r)",
                "tie employee owns the contact or account",
            ),
            cll.ElseLevel(),
        ],
    )


def title() -> cl.CustomComparison:
    """LinkedIn position vs CRM title, as normalised words (``title_key``/``title_tokens``)."""
    return cl.CustomComparison(
        output_column_name="title",
        comparison_levels=[
            cll.NullLevel("title_key"),
            cll.ExactMatchLevel("title_key"),
            cll.CustomLevel(
                "len(list_intersect(title_tokens_l, title_tokens_r)) * 2 "
                ">= greatest(len(title_tokens_l), len(title_tokens_r))",
                "shares most title words",
            ),
            cll.ElseLevel(),
        ],
    )
