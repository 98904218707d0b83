"""Validators every app's models share."""

import re
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.deconstruct import deconstructible

# RFC 3986 §2: unreserved, reserved (gen-delims and sub-delims) and percent-encoded octets.
URI_CHARACTER = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2}"
URI = re.compile(rf"(?:{URI_CHARACTER})*")
URI_CHARACTERS = re.compile(rf"(?:{URI_CHARACTER})+")
# The first thing that is not a URI character (a lone % included).
NOT_URI_CHARACTER = re.compile(rf"(?:{URI_CHARACTER})*(.)", re.DOTALL)

country_code_validator = RegexValidator(
    r"^[A-Z]{2}$", "Use the two-letter ISO 3166 country code in capitals, e.g. UA."
)


@deconstructible
class UriCharactersValidator:
    """Only the characters RFC 3986 allows in a URI, which is what the API's `format: uri`
    promises partners: no spaces, double quotes, angle brackets, braces, backslashes, control
    or non-ASCII characters, and `%` only before two hex digits. Django's URLValidator lets
    several of these through (`https://example.org/"><svg/onload=…>`).

    The single quote stays allowed: RFC 3986 counts it among the sub-delimiters, and pages
    escape it like any other character.
    """

    code = "invalid"

    def __call__(self, value):
        value = str(value)
        if URI.fullmatch(value):
            return
        character = NOT_URI_CHARACTER.match(value).group(1)
        if character == " ":
            shown = "a space"
        elif character.isprintable():
            shown = f"“{character}”"
        else:
            shown = f"U+{ord(character):04X}"
        raise ValidationError(
            "A web address may hold only the characters of RFC 3986: %(character)s must be "
            "percent-encoded (a space as %%20, a double quote as %%22); an address copied "
            "from the browser's address bar already is.",
            code=self.code,
            params={"character": shown},
        )

    def __eq__(self, other):
        return isinstance(other, UriCharactersValidator)


validate_uri_characters = UriCharactersValidator()


def encode_uri(value):
    """`value` with every character RFC 3986 does not allow percent-encoded (as UTF-8), and a
    non-ASCII host in its IDNA form: the same address, written as a URI."""
    if not value or URI.fullmatch(value):
        return value
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        if host and not host.isascii():
            netloc = parts.netloc.replace(host, host.encode("idna").decode("ascii"))
            value = urlunsplit(parts._replace(netloc=netloc))
    except (ValueError, UnicodeError):
        pass  # percent-encoded below like the rest
    encoded = []
    position = 0
    while position < len(value):
        match = URI_CHARACTERS.match(value, position)
        if match:
            encoded.append(match.group())
            position = match.end()
        else:
            encoded.append("".join(f"%{byte:02X}" for byte in value[position].encode("utf-8")))
            position += 1
    return "".join(encoded)


def percent_encode_stored_urls(apps, app_label, fields):
    """For a data migration: rewrite the stored web addresses of `fields` ({model name: field
    name} of `app_label`) with encode_uri, so rows the URI validator would refuse stay editable
    and the API's `format: uri` holds. One that no longer fits its column stays as it is: the
    API encodes it on the way out, and an editor who saves the record is asked for a shorter
    address."""
    for model_name, field in fields.items():
        model = apps.get_model(app_label, model_name)
        max_length = model._meta.get_field(field).max_length
        for pk, url in model.objects.exclude(**{field: ""}).values_list("pk", field).iterator():
            encoded = encode_uri(url)
            if encoded != url and len(encoded) <= max_length:
                model.objects.filter(pk=pk).update(**{field: encoded})
