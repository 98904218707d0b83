"""Template helpers for the public site: `{% load kb %}`."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# json.dumps leaves <, > and & as they are; inside <script> they could end the element.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def jsonld(data, nonce=""):
    """A JSON-LD <script> block for `data` (a dict), safe to embed in HTML; with the response's
    CSP nonce (`{{ data|jsonld:request.csp_nonce }}`) when given one."""
    payload = json.dumps(data, ensure_ascii=False, default=str).translate(_SCRIPT_ESCAPES)
    # str(): django-csp's nonce is lazy and counts as false until it is first read.
    nonce = "" if nonce is None else str(nonce)
    if nonce:
        return format_html(
            '<script type="application/ld+json" nonce="{}">{}</script>', nonce, mark_safe(payload)
        )
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))
