"""How the partner API describes itself in OpenAPI (drf-spectacular).

SPECTACULAR_SETTINGS points here for the generator and at core/api/schema_hooks.py for a
post-processing hook. Between them they add what no single view knows: the API's
description and tags, the server the schema was fetched from, the Api-Key security scheme,
the responses every operation can give besides its own 200 — the JSON errors (400, 401, 404,
429), 304 for conditional requests and the caching headers — and the shared query parameters
as the API enforces them (`page_size` up to 100, `ordering` over the list's `ordering_fields`,
`cursor`, `page`). Views document only what is theirs: summary, description, filters,
serializers, examples.

This module holds the generator, the security scheme and the document's shared text (the
description, tags and error responses); the hook fills them into each operation.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.generators import SchemaGenerator as SpectacularSchemaGenerator

from core.api.common import DEFAULT_PAGE_SIZE, MAX_PAGE_NUMBER, MAX_PAGE_SIZE

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
