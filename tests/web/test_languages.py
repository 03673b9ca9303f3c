"""The web app's language: the signed-in user's choice, else the browser's Accept-Language;
the API's JSON stays English (issue 17)."""

from __future__ import annotations

from tests.i18n.helpers import english_left_over, visible_text

from .conftest import Web


def test_browser_language_decides_without_a_choice(web: Web) -> None:
    page = web.client.get("/login", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"})
    assert page.status_code == 200 and page.headers["content-language"] == "de"
    assert '<html lang="de">' in page.text and "Anmelden" in page.text
    assert english_left_over("de", visible_text(page.text)) == []
    english = web.client.get("/login", headers={"Accept-Language": "ja"})
    assert '<html lang="en">' in english.text and "Sign in" in english.text


def test_users_choice_wins_over_the_browser(web: Web) -> None:
    chosen = web.client.post("/language", data={"language": "fr", "back": "/me"})
    assert chosen.status_code == 303 and chosen.headers["location"] == "/me"
    cookie = chosen.cookies.get("tieguard_lang")
    assert cookie == "fr"
    headers = {**web.page("employee"), "Accept-Language": "de"}
    headers["Cookie"] += "; tieguard_lang=fr"
    page = web.client.get("/me", headers=headers)
    assert page.status_code == 200 and '<html lang="fr">' in page.text
    text = visible_text(page.text)
    assert "Ce qu'un concurrent apprend de votre profil" in text
    assert english_left_over("fr", text) == []
    # the sentences and tables built for the page (personal report) speak it too
    assert "Avec « Vous uniquement » à partir du" in text and "Compte ou entreprise" in text


def test_an_unknown_choice_falls_back_to_the_browser(web: Web) -> None:
    chosen = web.client.post("/language", data={"language": "xx", "back": "//evil.example/"})
    assert chosen.headers["location"] == "/"  # no open redirect
    page = web.client.get("/login", headers={"Accept-Language": "nl",
                                             "Cookie": "tieguard_lang=xx"})
    assert '<html lang="nl">' in page.text and "Inloggen" in page.text


def test_api_json_stays_english_whatever_the_browser(web: Web) -> None:
    headers = {**web.api("employee"), "Accept-Language": "de", "Cookie": "tieguard_lang=de"}
    german = web.client.get("/api/v1/me/report", headers=headers)
    english = web.client.get("/api/v1/me/report", headers=web.api("employee"))
    assert german.status_code == english.status_code == 200
    assert german.headers["content-language"] == "en"
    assert german.json() == english.json() and "With 'Only you'" in str(english.json())
