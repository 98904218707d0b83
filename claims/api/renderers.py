"""The claims API's extra formats: schema.org JSON-LD for one claim, NDJSON for the export."""

import json

from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.utils.encoders import JSONEncoder


class JSONLDRenderer(JSONRenderer):
    """schema.org JSON-LD, chosen with `?format=jsonld` or `Accept: application/ld+json`.

    The view hands it the JSON-LD document; rendering is plain JSON under another media type.
    """

    media_type = "application/ld+json"
    format = "jsonld"


class NDJSONRenderer(BaseRenderer):
    """Newline-delimited JSON: one document per line.

    The export streams its rows itself; this renderer lets a client ask for
    `Accept: application/x-ndjson` and still get an error as one JSON line.
    """

    media_type = "application/x-ndjson"
    format = "ndjson"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return ndjson_line(data)


def ndjson_line(data):
    """`data` as one line of NDJSON, UTF-8 encoded."""
    return (json.dumps(data, cls=JSONEncoder, ensure_ascii=False) + "\n").encode()
