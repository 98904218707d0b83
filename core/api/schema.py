"""How the partner API describes itself in OpenAPI (drf-spectacular).

SPECTACULAR_SETTINGS points here for the generator and a post-processing hook. Between them
they add what no single view knows: the API's description and tags, the server the schema was
fetched from, the Api-Key security scheme, the responses every operation can give besides
its own 200 — the JSON errors (400, 401, 404, 429), 304 for conditional requests and the
caching headers — and the shared query parameters as the API enforces them (`page_size` up to
100, `ordering` over the list's `ordering_fields`, `cursor`, `page`). Views document only what
is theirs: summary, description, filters, serializers, examples.
"""

import copy

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.generators import SchemaGenerator as SpectacularSchemaGenerator
from rest_framework.settings import api_settings

from core.api.common import DEFAULT_PAGE_SIZE, MAX_ID, MAX_PAGE_NUMBER, MAX_PAGE_SIZE

API_KEY_SCHEME = "ApiKey"

DESCRIPTION = f"""
The newsroom knowledge base as read-only JSON: **who said what, where and when** about the
2024 Russia–North Korea treaty and China's part in it. Experts (with every spelling of their
names and their roles over time), their **claims** with the **verbatim quotes** anchored in
articles from many outlets, the **topics** those claims answer (with a stance per claim), and
the **treaties and provisions** they interpret, invoke or dispute.

## Published data only

The API shows what the public site shows, to everyone: draft and in-review articles and claims
are absent from lists and answer 404 by id; a quote appears only when both its claim and its
article are published.

## Identifiers

Every item has an `id`, its `slug` (a provision has an `address` such as `art_4` within its
`treaty`), `url` (its API detail, e.g. `/api/v1/claims/12/`) and `html_url` (its public page).
Filters take slugs: `?expert=oleksandr-musienko`, `?topic=china-role`,
`?provision=ru-dprk-2024/art_4`. Large collections are linked rather than embedded: an
expert's `claims_url` is the claims list filtered by that expert.

## One request each

- Every claim citing Article 4 of the RU–DPRK treaty, with its speaker, topics and quotes:
  `GET /api/v1/claims/?provision=ru-dprk-2024/art_4`
- Everything Oleksandr Musienko said about China's role (sub-topics included):
  `GET /api/v1/claims/?expert=oleksandr-musienko&topic=china-role`
- Experts, claims, articles and provisions about China's leverage, most relevant first:
  `GET /api/v1/search/?q=China+leverage`

## Authentication

Anonymous reads are allowed at a low rate. Partners get an API key from the editors (created
and revoked in the admin; it is shown once) and send it on every request:

    Authorization: Api-Key <key>

A key has its own, higher rate limit. An unknown, revoked or expired key (or any other
`Authorization` header) is refused with **401**, never treated as anonymous. In this page,
use **Authorize** and paste `Api-Key <key>`.

## Pagination

- **Claims, articles and quotes** use cursor pagination: `{{"next", "previous", "results"}}`,
  where `next` and `previous` are links carrying an opaque `cursor`. Follow them as they are;
  pages stay stable while new rows arrive.
- **Every other list** uses page numbers: `{{"count", "next", "previous", "results"}}` with
  `?page=N`.
- `page_size` is {DEFAULT_PAGE_SIZE} by default and at most {MAX_PAGE_SIZE}; a larger (or
  non-numeric) value is a **400**, not silently capped. `page` runs from 1 to {MAX_PAGE_NUMBER};
  outside that range it is a **400**, and a page past the end is a **404**; so is an unreadable
  `cursor`, and one that does not fit the list's ordering is a **400**.

## Filtering and ordering

Each list documents its filters below. `ordering=field,-field` sorts by the fields the list
allows (`-` for descending). Mistakes are never ignored: an unknown parameter, a malformed value
(a bad date, a non-integer or out-of-range id, a value that cannot be a slug, control
characters) or an ordering the list does not allow is a **400** naming the parameter; a
well-formed slug, id or provision address that names nothing public is a **404** naming it,
as the record's own URL would be — never a 500, never an empty 200 that hides the mistake.

A parameter sent empty (`?made_before=`, as an HTML form sends a field left blank) counts as
not sent, except the search's `q`, which is required.

No parameter value may contain control characters (U+0000–U+001F, U+007F–U+009F) except tab,
line feed and carriage return; no path may contain any. Such a request is a **400** before
anything else looks at it.

## Errors

Every error is JSON with a `detail` sentence; a 400 also has `errors`, the problems by
parameter:

```json
{{
  "detail": "The request has invalid parameters; see `errors`.",
  "errors": {{"made_after": ["Enter a valid date."]}}
}}
```

| Status | When |
|---|---|
| 400 | invalid parameters (see `errors`) |
| 401 | unknown, revoked or expired API key |
| 404 | no such published item or page; an unreadable cursor; a filter naming nothing |
| 405 | any method other than GET, HEAD and OPTIONS |
| 414 | a request line over 8190 bytes, refused by the server in front (not JSON) |
| 429 | rate limit reached; retry after `Retry-After` seconds |

## Rate limits

{{rate_limits}} Requests over the limit get **429** with a `Retry-After` header (the
seconds to wait). Rates count per client address without a key, per key with one.

## HTTP caching

List and detail responses carry `ETag` and `Last-Modified`. Send them back as `If-None-Match`
/ `If-Modified-Since` and an unchanged response is a **304** with an empty body. Anonymous
responses are publicly cacheable for a short while (`Cache-Control`).

## Formats

JSON by default. A claim is also available as schema.org JSON-LD (`Claim`, with a `ClaimReview`
where an editor rated it): `GET /api/v1/claims/{{id}}/?format=jsonld`. Partners who mirror the
data can stream every published claim, one JSON object per line:
`GET /api/v1/claims/export.ndjson`.

## Browsers

Partner sites listed by the editors may call the API from the browser (CORS, GET only).
"""

TAGS = [
    {
        "name": "claims",
        "description": "What an expert said, with the speaker, topics (and the claim's stance "
        "on each), cited treaty provisions and the verbatim quotes. Filter by topic, expert, "
        "treaty, provision, outlet, article, dates and text.",
    },
    {
        "name": "quotes",
        "description": "The verbatim passages behind claims, each anchored in a published "
        "article; `html_url` opens the article at the highlighted passage.",
    },
    {
        "name": "experts",
        "description": "People quoted in the articles, with their name variants and "
        "affiliations; `q` matches any spelling of the name.",
    },
    {"name": "organizations", "description": "Institutions experts are affiliated with."},
    {"name": "articles", "description": "Published articles the quotes come from."},
    {"name": "outlets", "description": "The media outlets that published the articles."},
    {
        "name": "topics",
        "description": "The questions claims answer, e.g. China's role; topics nest, and "
        "filtering claims by a topic includes its sub-topics.",
    },
    {"name": "treaties", "description": "Treaties the claims cite."},
    {
        "name": "provisions",
        "description": "Articles and paragraphs of the treaties, addressed like `art_4` or "
        "`art_4__para_1` within their treaty.",
    },
    {
        "name": "search",
        "description": "Full-text search across every kind of record, ranked, with "
        "highlighted snippets and counts by type, topic, outlet, language and year; the `q` "
        "filter of the articles, claims, experts and provisions lists uses the same engine.",
    },
]

ERROR_SCHEMAS = {
    "Error": {
        "type": "object",
        "description": "Every error response: one sentence saying what went wrong; a 404 for "
        "a filter value that names nothing also has `errors`, by parameter.",
        "properties": {
            "detail": {"type": "string"},
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        },
        "required": ["detail"],
    },
    "ValidationError": {
        "type": "object",
        "description": "An invalid request: `errors` names each wrong parameter and its problems.",
        "properties": {
            "detail": {"type": "string"},
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        },
        "required": ["detail", "errors"],
    },
}

INVALID = "The request has invalid parameters; see `errors`."

ERROR_RESPONSES = {
    "400": (
        "Invalid parameters: an unknown parameter, a malformed value (a bad date, a "
        "non-integer or out-of-range id or page, a value that cannot be a slug, control "
        "characters), an ordering the list does not allow or a "
        f"`page_size` above {MAX_PAGE_SIZE}.",
        "ValidationError",
        {
            "bad_date": {"detail": INVALID, "errors": {"made_after": ["Enter a valid date."]}},
            "page_out_of_range": {
                "detail": INVALID,
                "errors": {
                    "page": [f"Must be a whole number from 1 to {MAX_PAGE_NUMBER}; got “0”."]
                },
            },
            "unknown_parameter": {
                "detail": INVALID,
                "errors": {"speaker": ["Unknown parameter. Known parameters: …"]},
            },
            "page_size_too_large": {
                "detail": INVALID,
                "errors": {"page_size": [f"Must be from 1 to {MAX_PAGE_SIZE}; got 500."]},
            },
        },
    ),
    "401": (
        "The `Authorization` header is not `Api-Key <key>`, or names an unknown, revoked or "
        "expired key.",
        "Error",
        {"unknown_key": {"detail": "Unknown API key."}},
    ),
    "404": (
        "No such published item, or a page number past the end, or an unreadable cursor; or a "
        "filter's slug, id or provision address names nothing public (`errors` says which).",
        "Error",
        {
            "not_found": {"detail": "No Claim matches the given query."},
            "unknown_slug": {
                "detail": "Nothing matches the value of `expert`; see `errors`.",
                "errors": {"expert": ["No expert has the slug “oleksandr-musiienko”."]},
            },
        },
    ),
    "429": (
        "Too many requests: wait `Retry-After` seconds.",
        "Error",
        {"throttled": {"detail": "Request was throttled. Expected available in 42 seconds."}},
    ),
}

RETRY_AFTER = {
    "description": "Seconds to wait before the next request.",
    "schema": {"type": "integer"},
}

CACHING_HEADERS = {
    "ETag": "Identifies this version of the response; send it back as `If-None-Match`.",
    "Last-Modified": "When the newest row in the response changed; send it back as "
    "`If-Modified-Since`.",
    "Cache-Control": "How long shared caches may keep the response.",
    "Vary": "The request headers the response depends on.",
}

# Answered by the server in front (gunicorn: gunicorn.conf.py's limit_request_line), as its own
# HTML page, before the app sees the request.
URI_TOO_LONG = {
    "description": "URI Too Long: the request line is longer than the server accepts (8190 "
    "bytes behind the bundled gunicorn configuration). Answered by the server in front of the "
    "API, not as JSON."
}

NOT_MODIFIED = {
    "description": "Not Modified: the `If-None-Match` / `If-Modified-Since` sent still match; "
    "the body is empty."
}


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    """The partners' `Authorization: Api-Key <key>` header, as an OpenAPI security scheme."""

    # A string, so this module imports before (and without) the access layer; drf-spectacular
    # resolves it when it inspects the first view and ignores it if the class is not there.
    target_class = "core.api.access.PartnerKeyAuthentication"
    match_subclasses = True
    optional = True
    name = API_KEY_SCHEME

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A partner's key, sent as `Authorization: Api-Key <key>` (include "
            "the `Api-Key ` prefix when pasting it here). Without it requests are anonymous "
            "and have a lower rate limit; an unknown, revoked or expired key is a 401.",
        }


class SchemaGenerator(SpectacularSchemaGenerator):
    """drf-spectacular's generator, naming the server the schema was fetched from.

    Being the configured generator, this module is imported before any view is inspected,
    which registers the authentication extension above.
    """

    def get_schema(self, request=None, public=False):
        schema = super().get_schema(request=request, public=public)
        if request is not None:
            server = {
                "url": request.build_absolute_uri("/").rstrip("/"),
                "description": "This server",
            }
            schema = {**schema, "servers": [server]}
        return schema


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
