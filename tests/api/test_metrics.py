"""``/metrics``: the registry's gauges and the request histogram, behind a viewer token."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from golive.registry import record_scorecard
from golive.registry.tokens import Role

from .conftest import Api, scorecard


def _samples(api: Api) -> dict[str, list[tuple[dict[str, str], float]]]:
    response = api.client.get("/metrics", headers=api.auth(Role.VIEWER))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    found: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append((sample.labels, sample.value))
    return found


def test_without_a_token_metrics_are_401_and_show_nothing(api: Api) -> None:
    record_scorecard(api.registry, scorecard(), actor="carol")
    response = api.client.get("/metrics")
    assert response.status_code == 401
    assert "golive_ready" not in response.text


def test_the_latest_scorecard_is_served_as_gauges(api: Api) -> None:
    card = scorecard()
    record_scorecard(api.registry, card, actor="carol")
    samples = _samples(api)
    name = card["spec"]["name"]
    assert samples["golive_ready"] == [({"spec": name}, 1.0 if card["ready"] else 0.0)]
    assert samples["golive_score"] == [({"spec": name}, card["score"])]
    statuses = {
        labels["check"]: labels["status"]
        for labels, value in samples["golive_check_status"]
        if value == 1.0
    }
    assert statuses == {c["id"]: c["status"] for c in card["checks"]}


def test_request_durations_are_labelled_by_route_template_not_path(api: Api) -> None:
    record_scorecard(api.registry, scorecard(), actor="carol")
    viewer = api.auth(Role.VIEWER)
    for ref in ("1", "2", "3"):
        api.client.get(f"/api/v1/scorecards/{ref}", headers=viewer)
    api.client.get("/no/such/page")
    counts = {
        (labels["route"], labels["method"], labels["status"]): value
        for labels, value in _samples(api)["golive_http_request_duration_seconds_count"]
    }
    assert counts[("/api/v1/scorecards/{ref}", "GET", "200")] == 1
    assert counts[("/api/v1/scorecards/{ref}", "GET", "404")] == 2
    assert counts[("<unmatched>", "GET", "404")] == 1
    assert not any(
        route.startswith("/api/v1/scorecards/") and "{" not in route for route, *_ in counts
    )
