"""What-ifs from the web: staff run a comparison as a job (at chosen adoption rates), managers
see the organisation's aggregates only, without countermeasures adopted by fewer than k."""

from __future__ import annotations

from typing import Any

from tieguard.settings import with_overrides

from .conftest import Web


def _items(web: Web, user: str) -> list[dict[str, Any]]:
    res = web.client.get("/api/v1/whatif?limit=500", headers=web.api(user))
    assert res.status_code == 200
    items: list[dict[str, Any]] = res.json()["items"]
    return items


def test_an_analyst_runs_a_whatif_and_a_manager_sees_its_aggregates(web: Web) -> None:
    stored = {r["policy"]: r for r in _items(web, "analyst")}  # the demo's comparison
    assert "hide_lists_sales" in stored and "training" in stored
    page = web.client.get("/whatif", headers=web.page("manager"))
    assert page.status_code == 200 and 'data-policy="hide_lists_sales"' in page.text
    assert "Run the what-if" not in page.text
    french = web.client.get("/whatif", headers=web.page("analyst") | {"Accept-Language": "fr"})
    assert "<h1>Simulation : contre-mesures comparées</h1>" in french.text
    assert "Lancer la simulation" in french.text

    form = {"policy": ["hide_lists_sales", "training"], "adoption.hide_lists_sales": "50",
            "adoption.training": "40", "csrf_token": web.csrf["analyst"]}
    res = web.client.post("/whatif", data=form, headers={"Cookie": web.page("analyst")["Cookie"]})
    assert res.status_code == 303, res.text
    job = web.finished("analyst", res)
    assert job["summary"].startswith("Compared 2 countermeasures"), job

    now = {r["policy"]: r for r in _items(web, "manager")}
    assert set(now) == {"hide_lists_sales_50", "training"}
    half = now["hide_lists_sales_50"]
    assert half["cost"]["adoption"] == 0.5 and "(50% adopt)" in half["description"]
    assert "90%" not in half["description"]
    assert 0 < half["cost"]["adopters"] < stored["hide_lists_sales"]["cost"]["adopters"]
    assert now["training"]["cost"]["adopters"] == stored["training"]["cost"]["adopters"]
    assert half["before"] == stored["hide_lists_sales"]["before"]  # the same baseline
    events = web.client.get("/api/v1/audit?limit=500", headers=web.api("auditor")).json()["items"]
    assert any(e["action"] == "run-whatif" and "hide_lists_sales_50" in e["detail"]
               for e in events)


def test_managers_do_not_see_countermeasures_adopted_by_fewer_than_k(web: Web) -> None:
    staff = _items(web, "analyst")
    adopters = sorted(int(r["cost"]["adopters"]) for r in staff)
    k = adopters[len(adopters) // 2]  # about half the countermeasures fall below it
    assert adopters[0] < k
    web.state.use_settings(with_overrides(web.state.warehouse.settings,
                                          {"privacy.k_anonymity": k}))
    managers = _items(web, "manager")
    assert managers and all(int(r["cost"]["adopters"]) >= k for r in managers)
    assert len(managers) == sum(a >= k for a in adopters) < len(_items(web, "admin"))
    page = web.client.get("/whatif", headers=web.page("manager")).text
    small = [r["policy"] for r in staff if int(r["cost"]["adopters"]) < k]
    assert small and not any(f'data-policy="{p}"' in page for p in small)


def test_a_bad_whatif_request_is_refused_in_a_sentence(web: Web) -> None:
    for body, words in (({"policies": ["nonsense"]}, "nonsense is not a built-in policy"),
                        ({"policies": ["training"], "adoption": {"training": 150}},
                         "between 0 and 100")):
        res = web.client.post("/api/v1/whatif", json=body, headers=web.api("admin"))
        assert res.status_code == 400 and words in res.json()["detail"]
    res = web.client.post("/whatif", data={"csrf_token": web.csrf["admin"]},
                          headers={"Cookie": web.page("admin")["Cookie"]})
    assert res.status_code == 400 and "at least one countermeasure" in res.text


def test_a_changed_adoption_rate_is_named_and_described() -> None:
    from tieguard.web.whatif_pages import chosen_policies

    training, social = chosen_policies(["training", "block_social_at_work"],
                                       {"training": 60, "block_social_at_work": 100})
    assert (training.name, training.adoption) == ("training_60", 0.6)
    assert training.description.startswith("Workgroups/training: 60% of staff")
    assert social.name == "block_social_at_work"  # its own rate: unchanged
