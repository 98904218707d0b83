"""Slugs for records created without one: readable Latin, unique in their table."""

from django.db import models
from django.utils.text import slugify

from core.text import CYRILLIC


def unique_slug(model: type[models.Model], text: str, *, fallback: str) -> str:
    """A slug for `text` (Cyrillic transliterated) that no row of `model` has yet.

    The base is cut to leave room for a "-2" … "-999" suffix; `fallback` is the base when
    nothing of `text` survives slugify.
    """
    max_length = model._meta.get_field("slug").max_length - 4  # room for "-999"
    latin = "".join(CYRILLIC.get(char, char) for char in text.lower())
    base = slugify(latin)[:max_length].strip("-") or fallback
    taken = set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug
