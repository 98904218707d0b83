"""What the XSS tests share: the payload corpus, records an editor builds from it through the
admin's forms, and what counts as live markup in a page.

Used by tests/security/test_xss_inputs.py (Django's test client, pages parsed in Python) and
tests/browser/test_xss.py (the same records rendered in Chromium).
"""

import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from itertools import count
from pathlib import Path

from django.apps import apps
from django.urls import reverse

from articles.models import Article, Outlet
from articles.services import article_correct, article_publish, article_submit_for_review
from claims.models import Claim, Provision, Quote, Topic, Treaty
from claims.services import claim_correct, claim_publish, claim_submit_for_review
from experts.models import Expert, Organization
from tests.admin_helpers import form_data

PAYLOAD_FILE = Path(__file__).with_name("xss_payloads.txt")

_REPEAT = re.compile(r"\\repeat\{(\d+)\}\{([^}]*)\}")
_CODE_POINT = re.compile(r"\\u\{([0-9A-Fa-f]+)\}")


def load_payloads(path=PAYLOAD_FILE):
    """The payloads of the corpus file, `esc:` lines decoded (see the file's header)."""
    payloads = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("# "):
            continue
        if line.startswith("esc:"):
            line = _REPEAT.sub(lambda m: m[2] * int(m[1]), line.removeprefix("esc:"))
            line = _CODE_POINT.sub(lambda m: chr(int(m[1], 16)), line)
        payloads.append(line)
    return payloads


PAYLOADS = load_payloads()
# Django's form fields refuse null characters (a form error, tested on its own), so what an
# editor can type is the rest.
FORM_PAYLOADS = [payload for payload in PAYLOADS if "\x00" not in payload]
# Valid for URLValidator and RFC 3986 (so a URL field stores them: a single quote is one of
# its sub-delimiters) yet trying to break out of an href='…'.
URL_PAYLOADS = [
    "https://evil.example/'onmouseover='alert(1)",
    "https://evil.example/'autofocus/onfocus='window.__xss=1",
    "https://evil.example/?q='-alert(1)-'",
]
# Valid for URLValidator but not RFC 3986, which the URL fields hold to (core/validators.py):
# refused with a form error, so never stored.
REFUSED_URL_PAYLOADS = [
    'https://evil.example/"><script>alert(1)</script>',
    "https://evil.example/?q=<svg/onload=alert(1)>",
    'https://evil.example/"autofocus/onfocus="window.__xss=1',
]

PAYLOAD_WORD = "Qzpayload"
BASELINE_WORD = "Qzbaseline"


@dataclass
class Texts:
    """What an editor types into every text field: `word` (to find the records by search)
    followed by one line (character fields, chosen in turn among those that fit) or every
    line (text fields)."""

    word: str
    lines: list
    urls: list

    def __post_init__(self):
        self._turn = count()

    def short(self, max_length):
        room = max_length - len(self.word) - 1
        fitting = [line for line in self.lines if len(line) <= room]
        return f"{self.word} {fitting[next(self._turn) % len(fitting)]}"

    def long(self, separator="\n"):
        return separator.join([self.word, *self.lines])

    def url(self):
        return self.urls[next(self._turn) % len(self.urls)]


def payload_texts():
    return Texts(PAYLOAD_WORD, FORM_PAYLOADS, URL_PAYLOADS)


def baseline_texts():
    """Plain text in the same places, for the page every payload page is compared with."""
    lines = [f"Plain line number {n} about the treaty and its reading." for n in range(40)]
    urls = [f"https://news.example/{n}" for n in range(4)]
    return Texts(BASELINE_WORD, lines, urls)


# How many payloads the quote takes from the start of the article body (one paragraph).
QUOTED_LINES = 12


@dataclass
class Records:
    """One record of each kind an editor builds, all linked and published."""

    outlet: Outlet
    article: Article
    topic: Topic
    treaty: Treaty
    provision: Provision
    organization: Organization
    expert: Expert
    claim: Claim
    quote: Quote
    texts: Texts

    @property
    def public_urls(self):
        """{name: url} of the public pages on which the records' text appears."""
        return {
            "expert": self.expert.get_absolute_url(),
            "claim": self.claim.get_absolute_url(),
            "topic": self.topic.get_absolute_url(),
            "article": self.article.get_absolute_url(),
            "treaty": self.treaty.get_absolute_url(),
            "provision": self.provision.get_absolute_url(),
            "outlet": self.outlet.get_absolute_url(),
        }

    @property
    def admin_urls(self):
        """{name: url} of the admin pages that show the records' text (see ADMIN_PAGES)."""
        urls = {}
        for view, names in (("change", ADMIN_CHANGE_PAGES), ("history", ADMIN_HISTORY_PAGES)):
            for name in names:
                obj = getattr(self, name)
                opts = obj._meta
                url_name = f"admin:{opts.app_label}_{opts.model_name}_{view}"
                urls[f"{name} {view}"] = reverse(url_name, args=[obj.pk])
        return urls


ADMIN_CHANGE_PAGES = [
    *("expert", "claim", "topic", "article", "treaty", "provision", "organization", "outlet"),
    "quote",
]
# The history pages show each version's changes, diffed field by field.
ADMIN_HISTORY_PAGES = ["claim", "article", "expert"]
ADMIN_PAGES = [
    *(f"{name} change" for name in ADMIN_CHANGE_PAGES),
    *(f"{name} history" for name in ADMIN_HISTORY_PAGES),
]


def post_admin_form(client, label, fields):
    """Post the admin's add form of `label` ("claims.topic") as the page would, with `fields`
    (form and inline fields) filled in; returns the new object's pk."""
    app, model = label.split(".")
    url = reverse(f"admin:{app}_{model}_add")
    response = client.post(url, form_data(client.get(url)) | fields)
    if response.status_code != 302:
        form = response.context["adminform"].form
        errors = [form.errors, form.non_field_errors()]
        errors += [inline.formset.errors for inline in response.context["inline_admin_formsets"]]
        raise AssertionError(f"the {label} form was refused: {errors}")
    return apps.get_model(label).objects.latest("pk").pk


def create_through_admin(client, editor, texts, *, slug):
    """Every kind of record, typed by an editor into the admin's forms, then published (and
    corrected, so the correction notes show too) through the workflow services."""
    outlet_pk = post_admin_form(
        client,
        "articles.outlet",
        {
            "name": texts.short(200),
            "slug": f"{slug}-outlet",
            "home_url": texts.url(),
            "country": "UA",
            "language": "en",
        },
    )
    topic_pk = post_admin_form(
        client,
        "claims.topic",
        {
            "title": texts.short(200),
            "slug": f"{slug}-topic",
            "question": texts.short(300),
            "description": texts.long(),
        },
    )
    quoted = " ".join(texts.lines[:QUOTED_LINES])
    body = "\n\n".join([f"{texts.word} opens the story.", quoted, *texts.lines[QUOTED_LINES:]])
    article_pk = post_admin_form(
        client,
        "articles.article",
        {
            "title": texts.short(300),
            "slug": f"{slug}-article",
            "outlet": outlet_pk,
            "byline": texts.short(200),
            "source_url": texts.url(),
            "published_on": "2024-06-20",
            "published_precision": "day",
            "language": "en",
            "standfirst": texts.long(),
            "body": body,
            "topics": [topic_pk],
        },
    )
    treaty_pk = post_admin_form(
        client,
        "claims.treaty",
        {
            "title": texts.short(300),
            "short_name": texts.short(100),
            "slug": f"{slug}-treaty",
            "parties": texts.long(),
            "signed_on": "2024-06-19",
            "source_url": texts.url(),
        },
    )
    provision_pk = post_admin_form(
        client,
        "claims.provision",
        {
            "treaty": treaty_pk,
            "number": f"{texts.word} 4",
            "heading": texts.short(300),
            "text": texts.long(),
            "order": "1",
        },
    )
    organization_pk = post_admin_form(
        client,
        "experts.organization",
        {
            "name": texts.short(300),
            "slug": f"{slug}-organization",
            "kind": "research",
            "country": "UA",
        },
    )
    variants = 4
    expert_pk = post_admin_form(
        client,
        "experts.expert",
        {
            "display_name": texts.short(200),
            "slug": f"{slug}-expert",
            "bio": texts.long(),
            "country": "UA",
            "different_person": "on",
            "name_variants-TOTAL_FORMS": str(variants),
            **{f"name_variants-{n}-name": texts.short(200) for n in range(variants)},
            "affiliations-TOTAL_FORMS": "1",
            "affiliations-0-organization": organization_pk,
            "affiliations-0-role_title": texts.short(200),
            "affiliations-0-start_date": "2020-01-01",
        },
    )
    claim_pk = post_admin_form(
        client,
        "claims.claim",
        {
            "speaker": expert_pk,
            "summary": texts.short(400),
            "kind": "prediction",
            "made_on": "2024-06-20",
            "made_precision": "day",
            "due_on": "2024-12-31",
            "outcome": "did_not",
            "outcome_note": texts.long(),
            "outcome_source_url": texts.url(),
            "topic_links-TOTAL_FORMS": "1",
            "topic_links-0-topic": topic_pk,
            "topic_links-0-stance": "yes",
            "provision_links-TOTAL_FORMS": "1",
            "provision_links-0-provision": provision_pk,
            "provision_links-0-relation": "interprets",
            "provision_links-0-note": texts.long(),
            "quotes-TOTAL_FORMS": "1",
            "quotes-0-article": article_pk,
            "quotes-0-text": quoted,
        },
    )

    article = Article.objects.get(pk=article_pk)
    article = article_submit_for_review(article=article, user=editor)
    article = article_publish(article=article, user=editor)
    article_correct(article=article, user=editor, note=texts.long())
    claim = Claim.objects.get(pk=claim_pk)
    claim = claim_submit_for_review(claim=claim, user=editor)
    claim = claim_publish(claim=claim, user=editor)
    claim_correct(claim=claim, user=editor, note=texts.long())

    return Records(
        outlet=Outlet.objects.get(pk=outlet_pk),
        article=Article.objects.get(pk=article_pk),
        topic=Topic.objects.get(pk=topic_pk),
        treaty=Treaty.objects.get(pk=treaty_pk),
        provision=Provision.objects.select_related("treaty").get(pk=provision_pk),
        organization=Organization.objects.get(pk=organization_pk),
        expert=Expert.objects.get(pk=expert_pk),
        claim=Claim.objects.get(pk=claim_pk),
        quote=Quote.objects.get(claim_id=claim_pk),
        texts=texts,
    )


# --- What counts as live markup --------------------------------------------------------------

# Elements that run script, load a document or take input: a page shows exactly as many of
# them with the payloads as it does with plain text.
ACTIVE_TAGS = frozenset(
    {
        *("script", "iframe", "frame", "frameset", "object", "embed", "applet", "base"),
        *("meta", "link", "style", "svg", "math", "img", "image", "video", "audio", "source"),
        *("details", "marquee", "form", "input", "button", "textarea", "select", "body"),
        *("html", "head", "title", "noscript", "template", "foreignobject", "animate", "set"),
        *("use", "x"),
    }
)
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "data", "background", "poster"}
)
SCRIPT_URL = re.compile(r"^(?:javascript|vbscript|data):")
# Browsers ignore ASCII whitespace and control characters inside a URL's scheme.
_URL_NOISE = re.compile(r"[\x00-\x20]+")


def is_script_url(value):
    """Whether a browser would run (or render as a document) the URL `value`."""
    return bool(SCRIPT_URL.match(_URL_NOISE.sub("", value or "").lower()))


class _ActiveContent(HTMLParser):
    """Counts ("element", tag, detail), ("attribute", tag, name) and ("url", tag, name, value)
    entries: the live elements, event-handler/style attributes and script URLs of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = Counter()
        self.json_ld = []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ACTIVE_TAGS:
            detail = ""
            if tag == "script":
                kind = "src" if attributes.get("src") else "inline"
                detail = f"{attributes.get('type') or 'text/javascript'} {kind}"
            elif tag in {"meta", "link"}:
                detail = attributes.get("http-equiv") or attributes.get("rel") or ""
            self.found["element", tag, detail] += 1
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc"}:
                self.found["attribute", tag, name] += 1
            elif name in URL_ATTRIBUTES and is_script_url(value):
                self.found["url", tag, name, value[:40]] += 1
        self._in_json_ld = tag == "script" and attributes.get("type") == "application/ld+json"
        if self._in_json_ld:
            self.json_ld.append("")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self._in_json_ld = False

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data


def active_content(html):
    """(Counter of live markup, [JSON-LD block texts]) of a page."""
    parser = _ActiveContent()
    parser.feed(html)
    parser.close()
    return parser.found, parser.json_ld


def live_markup_difference(html, baseline_html):
    """How the live markup of `html` differs from the same page with plain text: "" if not."""
    found, _ = active_content(html)
    expected, _ = active_content(baseline_html)
    extra, missing = found - expected, expected - found
    if not extra and not missing:
        return ""
    return f"extra {sorted(extra.elements())}, missing {sorted(missing.elements())}"


# The start of a tag, end tag, comment or declaration: text holding one reads as markup.
MARKUP = re.compile(r"<[A-Za-z/!?]")


# Elements and attributes no public page has of its own: found on one, they came from data.
FOREIGN_TAGS = frozenset(
    {
        *("iframe", "frame", "frameset", "object", "embed", "applet", "base", "img", "image"),
        *("video", "audio", "source", "details", "marquee", "math", "foreignobject", "animate"),
        *("set", "use", "x", "template", "noscript"),
    }
)


def injected(found):
    """The entries of an active_content() Counter that never belong on a public page."""
    suspicious = []
    for entry in found:
        kind, tag, *detail = entry
        inline_script = tag == "script" and detail[0].endswith(" inline")
        repeated_frame = tag in {"html", "head", "body", "title"} and found[entry] > 1
        foreign = kind != "element" or tag in FOREIGN_TAGS or repeated_frame
        if foreign or (inline_script and not detail[0].startswith("application/ld+json")):
            suspicious.append(entry)
    return suspicious
