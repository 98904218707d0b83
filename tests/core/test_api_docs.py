"""The API's OpenAPI schema and its documentation pages (Swagger UI and ReDoc, served offline)."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from drf_spectacular.validation import validate_schema

ERROR_STATUSES = ("400", "401", "404", "429")
RESOURCES = {
    "articles",
    "outlets",
    "experts",
    "organizations",
    "claims",
    "quotes",
    "topics",
    "treaties",
    "provisions",
}
DOC_PAGES = ("api:docs", "api:redoc")
# Tags: one per resource, and the search across them.
TAGS = RESOURCES | {"search"}


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    """The schema as the endpoint serves it, generated once for the module."""
    with django_db_blocker.unblock():
        response = Client().get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, path_item in schema["paths"].items():
        for method, operation in path_item.items():
            yield f"{method.upper()} {path}", operation


def test_the_schema_command_validates_without_warnings(tmp_path, capsys):
    try:
        call_command(
            "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
        )
    except Exception as error:  # SchemaGenerationError or SchemaValidationError
        pytest.fail(f"{error}\n{capsys.readouterr().err}")


def test_the_served_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)


def test_the_schema_describes_the_api(schema):
    description = schema["info"]["description"]

    for topic in ("Api-Key", "page_size", "cursor", "`errors`", "Retry-After", "ETag", "304"):
        assert topic in description, f"the description does not mention {topic}"


def test_the_schema_names_the_server_it_was_served_from(schema):
    assert schema["servers"] == [{"url": "http://testserver", "description": "This server"}]


def test_each_resource_has_a_described_tag_used_by_its_operations(schema):
    tags = {tag["name"]: tag.get("description") for tag in schema["tags"]}

    assert set(tags) == TAGS
    assert all(tags.values())
    used = {tag for _, operation in operations(schema) for tag in operation.get("tags", ())}
    assert used == TAGS


def test_every_resource_has_a_list_and_a_detail_operation(schema):
    paths = set(schema["paths"])

    for resource in RESOURCES:
        assert f"/api/v1/{resource}/" in paths
        assert f"/api/v1/{resource}/{{id}}/" in paths


def test_every_operation_has_a_summary_and_a_description(schema):
    missing = [
        name
        for name, operation in operations(schema)
        if not operation.get("summary") or not operation.get("description")
    ]

    assert not missing, f"undocumented operations: {missing}"


def test_every_query_parameter_has_a_description(schema):
    missing = [
        f"{name} ?{parameter['name']}"
        for name, operation in operations(schema)
        for parameter in operation.get("parameters", ())
        if not parameter.get("description")
    ]

    assert not missing, f"undocumented parameters: {missing}"


def test_every_operation_documents_the_json_errors(schema):
    for name, operation in operations(schema):
        for status in ERROR_STATUSES:
            response = operation["responses"].get(status)
            assert response, f"{name} does not document {status}"
            assert "application/json" in response["content"], f"{name} {status} is not JSON"


def test_bad_request_responses_name_the_parameter_in_errors(schema):
    component = schema["components"]["schemas"]["ValidationError"]

    assert component["required"] == ["detail", "errors"]
    assert component["properties"]["errors"]["additionalProperties"]["type"] == "array"


def test_throttled_responses_document_retry_after(schema):
    for name, operation in operations(schema):
        assert "Retry-After" in operation["responses"]["429"]["headers"], name


def test_page_size_is_documented_with_its_cap(schema):
    page_sizes = [
        parameter
        for _, operation in operations(schema)
        for parameter in operation.get("parameters", ())
        if parameter["name"] == "page_size"
    ]

    assert page_sizes
    assert all(parameter["schema"]["maximum"] == 100 for parameter in page_sizes)


def test_the_partner_questions_are_documented_claim_filters(schema):
    operation = schema["paths"]["/api/v1/claims/"]["get"]
    parameters = {parameter["name"] for parameter in operation.get("parameters", ())}

    assert {"provision", "expert", "topic"} <= parameters


def test_the_api_key_is_a_security_scheme_and_anonymous_reads_stay_allowed(schema):
    scheme = schema["components"]["securitySchemes"]["ApiKey"]

    assert scheme == scheme | {"type": "apiKey", "in": "header", "name": "Authorization"}
    for name, operation in operations(schema):
        if name == "GET /api/v1/claims/export.ndjson":
            continue
        assert {"ApiKey": []} in operation["security"], name
        assert {} in operation["security"], name


def test_the_export_is_documented_as_needing_a_key(schema):
    operation = schema["paths"]["/api/v1/claims/export.ndjson"]["get"]

    assert operation["security"] == [{"ApiKey": []}]


def test_ordering_is_documented_as_the_fields_each_list_allows(schema):
    parameters = schema["paths"]["/api/v1/claims/"]["get"]["parameters"]
    ordering = next(parameter for parameter in parameters if parameter["name"] == "ordering")

    assert {"made_on", "-made_on", "id", "-id"} <= set(ordering["schema"]["items"]["enum"])
    assert ordering["explode"] is False


@pytest.mark.parametrize("page", DOC_PAGES)
def test_the_docs_pages_load_only_assets_from_this_server(client, page):
    response = client.get(reverse(page))

    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r"https?://[^\s\"'<>)]+", html)
    urls += re.findall(r'(?:src|href)="(//[^"]+)"', html)
    foreign = {urlsplit(url).netloc for url in urls} - {"testserver"}
    assert not foreign, f"{page} refers to other hosts: {sorted(foreign)}"


@pytest.mark.parametrize("page", DOC_PAGES)
def test_the_docs_pages_assets_are_served(client, page):
    html = client.get(reverse(page)).content.decode()
    assets = re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"', html)

    assert assets
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        # Whitenoise streams static files; read them so the file is closed.
        b"".join(response.streaming_content if response.streaming else [response.content])
