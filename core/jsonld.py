"""schema.org pieces every public page's JSON-LD shares."""


def correction_data(item):
    """The latest correction of a corrected record (a `Reviewed` article or claim) as a
    schema.org `CorrectionComment`."""
    return {
        "@type": "CorrectionComment",
        "text": item.correction_note,
        "datePublished": item.corrected_at.isoformat(),
    }
