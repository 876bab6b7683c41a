"""The API fuzzed from its own OpenAPI schema (schemathesis): over 10,000 cases, no 5xx.

Every operation gets EXAMPLES schema-valid and EXAMPLES schema-violating requests, sent in
process to the app (fake embedder, rate limits off so that every case reaches the handlers, the
admin token given so that the admin routes run too). Besides "not a server error", schemathesis
checks status codes, content types, headers and bodies against the schema, and that invalid
input is refused. Not checked: that every schema-valid request is accepted; the schema does not
say that a vote needs `entry_id` and `helpful`, that `q` needs a non-space character, or which
languages are configured. Runs about 90 s; deterministic (derandomized), so CI cannot flake.
"""

from __future__ import annotations

import collections
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from corpus import write_corpus
from faq.api.app import create_app
from faq.build import build

schemathesis = pytest.importorskip("schemathesis")
hypothesis = pytest.importorskip("hypothesis")

pytestmark = pytest.mark.fuzz

EXAMPLES = 1000  # per operation and mode: 7 operations, 5 with inputs → 10,002 cases
MIN_CASES = 10_000
TOKEN = "fuzz-admin-token-0123456789abcdef"
RESULTS = Path(__file__).parent / "artifacts" / "fuzz.json"

CONFIG = f"""
[checks.positive_data_acceptance]
enabled = false

[checks.negative_data_rejection]
expected-statuses = ["400", "401", "403", "404", "413", "422", "429"]

[auth.openapi.HTTPBearer]
bearer = "{TOKEN}"
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    tmp = tmp_path_factory.mktemp("fuzz")
    settings = write_corpus(tmp / "kb").replace(
        feedback_db=str(tmp / "feedback.sqlite3"),
        site_dir=str(tmp / "site"),
        rate_limit_search="0",
        rate_limit_feedback="0",
        rate_limit_admin="0",
        admin_token=TOKEN,
    )
    build(settings, site=False)
    app = create_app(settings, reload_interval=0)
    with TestClient(app):  # runs the lifespan: the index is loaded
        yield app


def test_fuzz_the_api_from_its_schema(app: FastAPI) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis.errors import Unsatisfiable

    config = schemathesis.Config.from_str(CONFIG)
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app, config=config)
    cases: collections.Counter[str] = collections.Counter()
    statuses: collections.Counter[int] = collections.Counter()
    failures: list[str] = []

    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            label = f"{operation.label} [{mode.value}]"

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            def run(case: schemathesis.Case) -> None:
                cases[label] += 1  # noqa: B023  (run is called right here, in this iteration)
                response = case.call_and_validate()
                statuses[response.status_code] += 1  # noqa: B023

            try:
                run()
            except Unsatisfiable:
                pass  # no parameters to break: /api/languages, /api/health have no negative case
            except (Exception, BaseExceptionGroup) as exc:  # FailureGroup: each distinct failure
                failures.append(f"{label}: {exc}")

    total = sum(cases.values())
    server_errors = sum(n for status, n in statuses.items() if status >= 500)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "cases": total,
                "server_errors": server_errors,
                "per_operation": dict(cases),
                "statuses": {str(k): v for k, v in sorted(statuses.items())},
                "failures": failures,
            },
            indent=2,
        ),
        "utf-8",
    )
    assert not failures, "\n\n".join(failures)
    assert server_errors == 0
    assert total >= MIN_CASES, cases
