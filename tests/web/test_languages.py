"""The web app's language: the signed-in user's choice, else the browser's Accept-Language;
the API's JSON stays English (issue 17)."""

from __future__ import annotations

from tests.i18n.helpers import english_left_over, visible_text
from tieguard.i18n import use
from tieguard.resolve.review import review_queue
from tieguard.web.review_pages import evidence_label
from tieguard.web.summary import Summary, translated_summary

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


def test_setting_descriptions_evidence_and_job_summaries_speak_german(web: Web) -> None:
    german = {"Accept-Language": "de"}
    page = web.client.get("/admin/settings", headers=web.page("admin") | german)
    settings = visible_text(page.text)
    assert "Tage zwischen zwei Blicken des Wettbewerbers." in settings  # watch.cadence_days
    assert "Days between the competitor's looks." not in settings
    assert english_left_over("de", settings) == []

    review = visible_text(web.client.get("/review", headers=web.page("analyst") | german).text)
    assert "Nachname: gleich (+" in review and "Exact match on" not in review
    assert english_left_over("de", review) == []

    pair = next(r for r in review_queue(web.state.warehouse.engine) if r["kind"] == "contact")
    res = web.client.post("/api/v1/review/decisions", headers=web.api("analyst"), json={
        "person_key": pair["person_key"], "candidate": pair["candidate"], "decision": "match"})
    job = web.finished("analyst", res)  # the API's JSON stays English
    assert job["summary"] == (f"Accepted: {pair['person_key']} is contact {pair['candidate']}; "
                              "the decision wins on every later scan.")
    shown = web.client.get(f"/jobs/{job['id']}", headers=web.page("analyst") | german).text
    assert (f"Angenommen: {pair['person_key']} ist der Kontakt {pair['candidate']}; die "
            "Entscheidung gilt bei jedem späteren Scan.") in shown
    french = web.client.get(f"/jobs/{job['id']}", headers=web.page("analyst") | {
        "Accept-Language": "fr"}).text
    assert f"Acceptée : {pair['person_key']} est le contact" in french


def test_a_summary_without_sentences_stays_as_stored() -> None:
    stored = Summary.of("Imported %(file)s: %(rows)s rows, %(ties)s connections.",
                        file="a.csv", rows=3, ties=2) + Summary.of("Done.")
    assert stored.text() == "Imported a.csv: 3 rows, 2 connections. Done."
    def german(message: str) -> str:
        return {"Done.": "Fertig."}.get(message, message.replace("Imported", "Importiert"))

    assert translated_summary("x", stored.to_json(), german) == \
        "Importiert a.csv: 3 rows, 2 connections. Fertig."
    assert translated_summary("An old job's summary.", None, german) == "An old job's summary."
    assert translated_summary("Kept.", "not json", german) == "Kept."
    assert translated_summary("Kept.", stored.to_json(), str.upper) == "Kept."  # a bad catalogue


def test_evidence_levels_read_as_sentences_and_unknown_ones_stay() -> None:
    with use("nl"):
        assert evidence_label("last_name", "Exact match on last_key") == ("achternaam", "gelijk")
        assert evidence_label("first_name", "Jaro-Winkler distance of first_key >= 0.8") == \
            ("voornaam", "vergelijkbare spelling")
        assert evidence_label("company", "Jaro-Winkler distance of company_key >= 0.9") == \
            ("bedrijfsnaam", "zeer vergelijkbare spelling")
        assert evidence_label("relationship", "missing") == ("eigenaar in het CRM",
                                                             "ontbreekt aan één kant")
    assert evidence_label("shoe_size", "Exact-ish") == ("shoe size", "Exact-ish")
