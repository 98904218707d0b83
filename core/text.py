"""Text helpers every app uses on stored text."""

# One Latin spelling per Ukrainian and Russian letter, and for the Latin letters that accent
# stripping would drop (ł, ø, ß…): the letters of name keys (experts/names.py) and of slugs made
# from Cyrillic titles (articles/slugs.py). Soft and hard signs are left out: each user drops
# them its own way.
CYRILLIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "ґ": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "є": "ye",
    "ж": "zh",
    "з": "z",
    "и": "y",
    "і": "i",
    "ї": "yi",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ы": "y",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    # Letters whose accent-stripped form is not a plain Latin letter.
    "ł": "l",
    "ø": "o",
    "đ": "d",
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
}


def normalize_text(value):
    """Browsers send textarea newlines as CRLF; offsets are counted on LF-only text."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
