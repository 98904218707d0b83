"""The post-processing hook of the OpenAPI schema (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]).

It puts the shared text of core/api/schema.py (description, tags, error responses, caching
headers) into the document, and states on each operation what the API enforces on the shared
query parameters (`page_size`, `ordering`, `cursor`, `page`, ids and free text).
"""

import copy

from rest_framework.settings import api_settings

from core.api.common import DEFAULT_PAGE_SIZE, MAX_ID, MAX_PAGE_NUMBER, MAX_PAGE_SIZE
from core.api.schema import (
    CACHING_HEADERS,
    DESCRIPTION,
    ERROR_RESPONSES,
    ERROR_SCHEMAS,
    NOT_MODIFIED,
    RETRY_AFTER,
    TAGS,
    URI_TOO_LONG,
)


def complete_schema(result, generator, request, public):
    """Post-processing hook: description, tags, shared error responses, caching headers."""
    result["info"]["description"] = DESCRIPTION.strip().replace("{rate_limits}", _rate_limits())
    # Copies: the schema is post-processed further and must not change these constants.
    result["tags"] = copy.deepcopy(TAGS)
    components = result.setdefault("components", {})
    for name, schema in ERROR_SCHEMAS.items():
        components.setdefault("schemas", {}).setdefault(name, copy.deepcopy(schema))
    for status, (_, _, examples) in ERROR_RESPONSES.items():
        for name, value in examples.items():
            components.setdefault("examples", {})[_example_name(status, name)] = {
                "value": copy.deepcopy(value)
            }
    for name, description in CACHING_HEADERS.items():
        components.setdefault("headers", {})[name] = {
            "description": description,
            "schema": {"type": "string"},
        }
    components["headers"]["Retry-After"] = copy.deepcopy(RETRY_AFTER)
    list_views = _list_views(generator)
    keyed_views = _views_requiring_a_key(generator)
    for path, path_item in result.get("paths", {}).items():
        for method, operation in path_item.items():
            if method == "get":
                _complete_operation(operation, requires_key=path in keyed_views)
                _describe_pages(result, path, operation)
                if path in list_views:
                    _describe_ordering(operation, list_views[path])
    return result


def _list_views(generator):
    """{path: view class} of the list endpoints the generator went through."""
    return {
        path: callback.cls
        for path, _, method, callback in getattr(generator, "endpoints", ())
        if (getattr(callback, "actions", None) or {}).get(method.lower()) == "list"
    }


def _views_requiring_a_key(generator):
    """The paths whose view refuses anonymous requests (PartnerKeyRequired)."""
    from core.api.access import PartnerKeyRequired  # the access layer loads after this

    return {
        path
        for path, _, _, callback in getattr(generator, "endpoints", ())
        if any(
            isinstance(permission, type) and issubclass(permission, PartnerKeyRequired)
            for permission in getattr(callback.cls, "permission_classes", ())
        )
    }


def _rate_limits():
    """The configured rates in words, e.g. “Without a key: 60 requests a minute; …”."""
    rates = api_settings.DEFAULT_THROTTLE_RATES or {}
    units = {"s": "second", "m": "minute", "h": "hour", "d": "day"}

    def words(rate):
        number, _, period = rate.partition("/")
        return f"{number} requests a {units.get(period[:1], period)}"

    parts = []
    if rates.get("anon"):
        parts.append(f"without a key, {words(rates['anon'])}")
    if rates.get("partner"):
        parts.append(f"with a key, {words(rates['partner'])} unless the key has its own rate")
    return f"Limits: {'; '.join(parts)}." if parts else ""


PAGE_PARAMETERS = {
    "cursor": "Where the page starts: copied from a `next` or `previous` link, never built by "
    "hand. An unreadable cursor is a 404; one that does not fit the list's ordering or "
    "filters, a 400.",
    "page": f"Page number, from 1 to {MAX_PAGE_NUMBER} (anything else is a 400); past the last "
    "page is a 404.",
}
# Free text in a query parameter: anything but control characters (tab, line feed and carriage
# return excepted), which core.middleware.ControlCharacterMiddleware refuses.
TEXT_PATTERN = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$"


def _describe_pages(result, path, operation):
    """Describe the paging parameters, and give page links of this API in the examples."""
    for parameter in operation.get("parameters", []):
        if parameter.get("in") != "query" or parameter["name"] not in PAGE_PARAMETERS:
            continue
        if parameter["name"] == "page":
            if "maximum" in parameter.get("schema", {}):
                continue  # the view states its own range (the search's 50 pages)
            parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_NUMBER}
        parameter["description"] = PAGE_PARAMETERS[parameter["name"]]
    content = operation["responses"].get("200", {}).get("content", {}).get("application/json")
    name = ((content or {}).get("schema") or {}).get("$ref", "").rpartition("/")[2]
    component = result["components"].get("schemas", {}).get(name)
    if not name.startswith("Paginated") or not component:
        return
    # DRF's paginators give example links to an "accounts" list of api.example.org.
    url = f"https://kb.example.org{path}"
    links = (
        {"next": f"{url}?page=3", "previous": f"{url}?page=1"}
        if "count" in component["properties"]
        else {"next": f"{url}?cursor=cD0yMDI0LTA2LTAx", "previous": f"{url}?cursor=cj0xJnA9MjAyNA"}
    )
    for key, link in links.items():
        component["properties"][key]["example"] = link
    for example in content.get("examples", {}).values():
        value = example.get("value")
        if isinstance(value, dict) and "next" in value:
            example["value"] = {**value, **links}


def _describe_ordering(operation, view):
    """`ordering` as the list of fields the view allows, which is what it accepts."""
    fields = getattr(view, "ordering_fields", None)
    if not fields or fields == "__all__":
        return
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "query" and parameter["name"] == "ordering":
            parameter["schema"] = {
                "type": "array",
                "items": {
                    "type": "string",
                    "enum": [sign + field for field in fields for sign in ("", "-")],
                },
            }
            parameter["style"] = "form"
            parameter["explode"] = False
            default = view.ordering if isinstance(view.ordering, list | tuple) else [view.ordering]
            by_default = (
                f" (default `{','.join(default)}`)"
                if default and all(isinstance(field, str) for field in default)
                else ""
            )
            parameter["description"] = (
                f"Sort by {', '.join(f'`{field}`' for field in fields)}{by_default}: `-` before "
                "a field for descending order, several fields separated by commas. Any other "
                "field is a 400."
            )


def _example_name(status, name):
    return f"{name.title().replace('_', '')}{status}"


def _ref(kind, name):
    return {"$ref": f"#/components/{kind}/{name}"}


def _complete_operation(operation, *, requires_key=False):
    # Anonymous reads are allowed, a key only raises the rate limit; except where the view
    # requires a key (the export), which answers 401 without one.
    security = operation.get("security")
    if security and {} not in security and not requires_key:
        security.append({})
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "query" and parameter["name"] == "page_size":
            parameter["schema"] = {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_PAGE_SIZE,
                "default": DEFAULT_PAGE_SIZE,
            }
            parameter["description"] = (
                f"Results per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}); "
                "more is a 400."
            )

    for parameter in operation.get("parameters", []):
        _state_parameter_limits(parameter)

    responses = operation.setdefault("responses", {})
    success = responses.get("200", {})
    headers = success.setdefault("headers", {})
    for name in CACHING_HEADERS:
        headers.setdefault(name, _ref("headers", name))
    responses.setdefault("304", NOT_MODIFIED)
    responses.setdefault("414", copy.deepcopy(URI_TOO_LONG))

    # Errors come in JSON, or in the format the request negotiated (JSON-LD, an NDJSON line).
    media_types = ["application/json"] + [
        media_type for media_type in success.get("content", {}) if media_type != "application/json"
    ]
    for status, (description, component, examples) in ERROR_RESPONSES.items():
        if status in responses:
            continue
        content = {
            media_type: {
                "schema": _ref("schemas", component),
                "examples": {
                    name: _ref("examples", _example_name(status, name)) for name in examples
                },
            }
            for media_type in media_types
        }
        responses[status] = {"description": description, "content": content}
        if status == "429":
            responses[status]["headers"] = {"Retry-After": _ref("headers", "Retry-After")}


def _state_parameter_limits(parameter):
    """What the API enforces on a parameter, in the schema: ids within bigint, free text
    without control characters, and an empty value meaning "not sent" (allowEmptyValue)."""
    schema = parameter.get("schema")
    if not isinstance(schema, dict):
        return
    if parameter.get("in") == "path" and schema.get("type") == "integer":
        schema.setdefault("minimum", 1)
        schema.setdefault("maximum", MAX_ID)
    if parameter.get("in") != "query":
        return
    if schema.get("type") == "string" and not {"enum", "pattern", "format"} & set(schema):
        schema["pattern"] = TEXT_PATTERN
    if not parameter.get("required"):
        # Every optional parameter is read as absent when empty (django-filter's rule, and
        # what an HTML form sends for a field left blank); the search's required `q` is not.
        parameter["allowEmptyValue"] = True
