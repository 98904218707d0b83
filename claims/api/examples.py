"""The claim API's documented examples and the JSON-LD response schema (schema data only)."""

CLAIM_EXAMPLE = {
    "id": 8,
    "url": "https://kb.example.org/api/v1/claims/8/",
    "html_url": "https://kb.example.org/claims/8/",
    "summary": "China has the leverage to stop the alliance between Russia and North Korea "
    "if it chooses to.",
    "kind": "assessment",
    "made_on": "2024-06-01",
    "made_precision": "month",
    "speaker": {
        "id": 1,
        "slug": "oleksandr-musienko",
        "name": "Oleksandr Musienko",
        "url": "https://kb.example.org/api/v1/experts/1/",
        "html_url": "https://kb.example.org/experts/oleksandr-musienko/",
        "role": {
            "title": "Head",
            "organization": {
                "id": 1,
                "slug": "center-for-military-legal-research",
                "name": "Center for Military Legal Research",
                "url": "https://kb.example.org/api/v1/organizations/1/",
            },
        },
    },
    "topics": [
        {
            "slug": "china-role",
            "title": "China's role",
            "stance": "no",
            "url": "https://kb.example.org/api/v1/topics/1/",
        }
    ],
    "provisions": [
        {
            "treaty": "ru-dprk-2024",
            "address": "art_4",
            "citation_label": "RU–DPRK Treaty (2024), Art. 4",
            "relation": "invokes",
            "note": "The alliance in question is the one whose core is the treaty's "
            "mutual-assistance clause.",
            "url": "https://kb.example.org/api/v1/provisions/4/",
            "html_url": "https://kb.example.org/treaties/ru-dprk-2024/art_4/",
        }
    ],
    "quotes": [
        {
            "id": 8,
            "text": "If China needs to prevent the alliance between Russia and North Korea, "
            "it has the leverage to do so.",
            "article": {
                "id": 1,
                "slug": "why-china-does-not-benefit-from-russia-dprk-alliance",
                "title": "Why China does not benefit from the Russia–DPRK alliance",
                "url": "https://kb.example.org/api/v1/articles/1/",
                "html_url": "https://kb.example.org/articles/"
                "why-china-does-not-benefit-from-russia-dprk-alliance/",
            },
            "outlet": {
                "id": 1,
                "slug": "24-channel",
                "name": "24 Channel",
                "url": "https://kb.example.org/api/v1/outlets/1/",
            },
            "published_on": "2024-06-01",
            "html_url": "https://kb.example.org/articles/"
            "why-china-does-not-benefit-from-russia-dprk-alliance/#quote-8",
        }
    ],
    "prediction": None,
    "created": "2025-01-10T09:30:00Z",
    "updated": "2025-01-10T09:30:00Z",
}

CLAIM_JSONLD_EXAMPLE = {
    "@context": "https://schema.org",
    "@type": "Claim",
    "@id": "https://kb.example.org/claims/9/",
    "text": "If Kim Jong Un moves to cross certain red lines, Beijing would find serious "
    "arguments to stop him.",
    "url": "https://kb.example.org/claims/9/",
    "author": {
        "@type": "Person",
        "name": "Oleksandr Musienko",
        "url": "https://kb.example.org/experts/oleksandr-musienko/",
        "jobTitle": "Head",
        "affiliation": {"@type": "Organization", "name": "Center for Military Legal Research"},
    },
    "datePublished": "2024-06-01",
    "dateModified": "2025-01-10T09:30:00+00:00",
    "appearance": [
        {
            "@type": "NewsArticle",
            "headline": "Why China does not benefit from the Russia–DPRK alliance",
            "url": "https://kb.example.org/articles/"
            "why-china-does-not-benefit-from-russia-dprk-alliance/",
            "datePublished": "2024-06-01",
            "publisher": {"@type": "Organization", "name": "24 Channel"},
        }
    ],
    "about": [{"@type": "Thing", "name": "China's role"}],
    "review": {
        "@type": "ClaimReview",
        "url": "https://kb.example.org/claims/9/",
        "claimReviewed": "If Kim Jong Un moves to cross certain red lines, Beijing would find "
        "serious arguments to stop him.",
        "itemReviewed": {"@type": "Claim", "@id": "https://kb.example.org/claims/9/"},
        "reviewRating": {
            "@type": "Rating",
            "alternateName": "Did not come true",
            "ratingExplanation": "North Korean troops were sent to Kursk in autumn 2024.",
        },
        "author": {"@type": "Organization", "name": "Newsroom Knowledge Base"},
    },
}

CLAIM_JSONLD_SCHEMA = {
    "type": "object",
    "description": "schema.org `Claim` as JSON-LD; a prediction whose outcome an editor "
    "recorded carries it as a `ClaimReview` under `review`.",
    "properties": {
        "@context": {"type": "string", "enum": ["https://schema.org"]},
        "@type": {"type": "string", "enum": ["Claim"]},
        "@id": {"type": "string", "format": "uri"},
        "text": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
        "author": {"type": "object"},
        "datePublished": {"type": "string"},
        "dateModified": {"type": "string"},
        "appearance": {"type": "array", "items": {"type": "object"}},
        "firstAppearance": {"type": "object"},
        "about": {"type": "array", "items": {"type": "object"}},
        "review": {"type": "object"},
    },
    "required": ["@context", "@type", "text", "url", "author", "datePublished", "appearance"],
}
