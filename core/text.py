"""Text helpers every app uses on stored text."""


def normalize_text(value):
    """Browsers send textarea newlines as CRLF; offsets are counted on LF-only text."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
