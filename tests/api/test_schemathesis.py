"""Schemathesis over the OpenAPI document, in-process (ASGI): no input makes a server error.

Positive cases follow the document, negative ones break it on purpose; both are
bounded (``MAX_EXAMPLES`` per operation) and never leave the process.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.generation import GenerationMode

from golive.api import create_app
from golive.api.app import OPENAPI_PATH
from golive.registry import open_registry, record_scorecard
from golive.registry.tokens import Role, create_token

from .conftest import scorecard

MAX_EXAMPLES = 50


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_input_makes_a_server_error(registry_url: str, mode: GenerationMode) -> None:
    with open_registry(registry_url) as registry:
        token = create_token(registry, "schemathesis-admin", Role.ADMIN, actor="carol").token
        record_scorecard(registry, scorecard(), actor="carol")
    auth = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_asgi(OPENAPI_PATH, create_app(registry_url), headers=auth)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8  # the loader found the routes, so the run below means something
    if mode is GenerationMode.NEGATIVE:
        # An operation that takes no input has no invalid input to try.
        operations = [o for o in operations if o.path_parameters or o.query or o.body]
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def no_server_error(case: schemathesis.Case) -> None:
            response = case.call(headers=auth)
            assert response.status_code < 500, f"{case.method} {case.path}: {response.text}"
            if response.status_code >= 400:
                problem = response.json()
                assert problem["status"] == response.status_code
                assert problem["detail"]

        no_server_error()
