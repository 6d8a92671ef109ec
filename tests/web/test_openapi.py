"""/api/openapi.json: OpenAPI 3.1, every /api/ route in it, errors in the envelope, list pages in one shape."""
from __future__ import annotations

import re
from typing import Any, Iterator

import pytest
from flask import Blueprint, Flask

DOCUMENT = "/api/openapi.json"
IGNORED_METHODS = {"HEAD", "OPTIONS"}
ERROR_SCHEMA = "#/components/schemas/Error"
PAGE_FIELDS = {"results", "total", "page", "per_page"}
# The list endpoints the README names; the derived list below must contain them (so the check never runs empty).
KNOWN_LISTS = {"/api/listings", "/api/listings/{listing_id}/matches", "/api/listings/{listing_id}/experts",
               "/api/notifications"}


def openapi_path(rule: str) -> str:
    """A Flask rule as an OpenAPI path: /api/listings/<int:listing_id> → /api/listings/{listing_id}."""
    return re.sub(r"<(?:[^<>:]+:)?([^<>]+)>", r"{\1}", rule)


def api_operations(app: Flask) -> set[tuple[str, str]]:
    """(method, OpenAPI path) of every /api/ route of the app, but the document's own."""
    return {(method.lower(), openapi_path(rule.rule))
            for rule in app.url_map.iter_rules()
            if rule.rule.startswith("/api/") and rule.rule != DOCUMENT
            for method in (rule.methods or set()) - IGNORED_METHODS}


def documented_operations(document: dict[str, Any]) -> set[tuple[str, str]]:
    """(method, path) of every operation in an OpenAPI document."""
    methods = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
    return {(method, path) for path, item in document["paths"].items() for method in item if method in methods}


def missing_operations(app: Flask, document: dict[str, Any]) -> set[tuple[str, str]]:
    """The app's /api/ operations that the document does not describe."""
    return api_operations(app) - documented_operations(document)


def resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local $ref (possibly several) to the object it names."""
    while "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every (method, path, operation object)."""
    for method, path in sorted(documented_operations(document)):
        yield method, path, document["paths"][path][method]


def is_error(status: str) -> bool:
    """A 4xx/5xx response or the default one."""
    return status == "default" or status[0] in "45"


@pytest.fixture
def document(client) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The OpenAPI document as the app serves it."""
    response = client.get(DOCUMENT)
    assert response.status_code == 200 and response.is_json
    return response.get_json()


def test_the_document_is_openapi_3_1(document):
    assert re.fullmatch(r"3\.1\.\d+", document["openapi"])
    assert document["info"]["title"] and document["info"]["version"]


def test_flask_rules_become_openapi_paths():
    assert openapi_path("/api/listings/<int:listing_id>/matches") == "/api/listings/{listing_id}/matches"
    assert openapi_path("/api/a/<name>/<path:rest>") == "/api/a/{name}/{rest}"


def test_the_app_has_api_routes_to_compare(app):
    assert ("post", "/api/tokens") in api_operations(app) and ("get", "/api/listings/{listing_id}") in api_operations(app)
    assert len(api_operations(app)) >= 9


def test_every_api_route_and_method_is_in_the_document(app, document):
    assert missing_operations(app, document) == set()


def test_the_document_describes_no_route_the_app_lacks(app, document):
    assert documented_operations(document) - api_operations(app) == set()


def test_a_route_registered_outside_the_document_is_reported_missing(app):
    extra = Blueprint("undocumented", __name__, url_prefix="/api")

    @extra.route("/bi-mat/<int:item_id>", methods=["GET", "PUT"])
    def secret(item_id: int) -> str:
        return "x"

    app.register_blueprint(extra)
    document = app.test_client().get(DOCUMENT).get_json()
    assert missing_operations(app, document) == {("get", "/api/bi-mat/{item_id}"), ("put", "/api/bi-mat/{item_id}")}


def test_the_error_schema_is_the_envelope(document):
    error = resolve(document, {"$ref": ERROR_SCHEMA})
    assert error["required"] == ["error"]
    body = resolve(document, error["properties"]["error"])
    assert set(body["properties"]) == {"code", "message", "fields"} and set(body["required"]) == {"code", "message",
                                                                                                  "fields"}


def test_every_operation_documents_at_least_one_error_response(document):
    assert [(m, p) for m, p, op in operations(document) if not any(is_error(s) and s != "default"
                                                                  for s in op["responses"])] == []


def test_every_error_response_of_every_operation_is_the_error_envelope(document):
    wrong = []
    for method, path, operation in operations(document):
        for status, response in operation["responses"].items():
            if is_error(status):
                schema = resolve(document, response).get("content", {}).get("application/json", {}).get("schema", {})
                if schema.get("$ref") != ERROR_SCHEMA:
                    wrong.append((method, path, status, schema))
    assert wrong == []


def test_every_operation_behind_a_token_documents_401(document):
    assert [(m, p) for m, p, op in operations(document) if op.get("security") and "401" not in op["responses"]] == []


def test_every_operation_with_a_json_body_documents_400_and_422(document):
    # A body that is not JSON is a 400; a JSON body failing its schema is a 422 (README, "Status codes").
    with_body = [(m, p, op) for m, p, op in operations(document) if "requestBody" in op]
    assert with_body, "no operation takes a body"
    assert [(m, p, sorted(op["responses"])) for m, p, op in with_body
            if not {"400", "422"} <= set(op["responses"])] == []


def test_every_operation_documents_the_401_of_a_wrong_authorization_header(document):
    # README: a header that is not Bearer, or a dead token, is a 401 on every /api/ path, public ones included.
    assert [(m, p) for m, p, op in operations(document) if "401" not in op["responses"]] == []


def test_every_protected_operation_names_the_bearer_scheme(document):
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearer"] == {"type": "http", "scheme": "bearer"}
    protected = {("get", "/api/me"), ("delete", "/api/tokens/current"), ("get", "/api/notifications"),
                 ("post", "/api/notifications/read")}
    assert {(m, p) for m, p, op in operations(document) if op.get("security") == [{"bearer": []}]} == protected


def list_operations(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """GET operations taking a page parameter: path → its 200 schema."""
    found = {}
    for method, path, operation in operations(document):
        names = {resolve(document, p)["name"] for p in operation.get("parameters", [])}
        if method == "get" and "page" in names:
            content = resolve(document, operation["responses"]["200"])["content"]["application/json"]
            found[path] = resolve(document, content["schema"])
    return found


def test_the_list_endpoints_are_found(document):
    assert KNOWN_LISTS <= set(list_operations(document))


def test_every_list_answers_results_total_page_and_per_page(document):
    lists = list_operations(document)
    assert {path: sorted(PAGE_FIELDS - set(schema["properties"])) for path, schema in lists.items()
            if not PAGE_FIELDS <= set(schema["properties"])} == {}
    assert all(lists[path]["properties"]["results"]["type"] == "array" for path in lists)
