"""Read and write ninjs, the IPTC's news items in JSON, versions 1.x and 2.x.

Reading accepts either version and tells them apart by their shape: 1.x has a `headline`
string and `body_*` properties (`body_text`, `body_html`), 2.x has `headlines`, `bodies` and
`descriptions` arrays of {role, contenttype, value} and `by` for the byline. A file holds one
item (an object) or several (an array). Writing produces 2.x by default (the structure the
IPTC recommends since 2.0) or 1.x on request; what ninjs has no property for travels in
extension properties prefixed `kb:` (the outlet, the precision of the published date, and
the article's public quotes with their claims and speakers). The standard schemas close the
object to unknown properties, so a validator needs an extension schema (the IPTC's own
pattern: the ninjs type plus the extra properties) to accept an export; readers that ignore
unknown properties, as this one does, need nothing.

The published date is `firstcreated` (else `contentcreated`, else `versioncreated`), taken
as the calendar day in the offset the item gives, not converted to UTC. Only `firstcreated`
changes the date of an article already imported: the others date a version, not the story.
"""

import datetime
import html
import json
import re

from articles.imports.html import html_to_text
from articles.imports.items import ItemError, NewsItem, parse_date
from core.text import normalize_text

NINJS_1 = "1.4"
NINJS_2 = "2.1"
EXTENSION_PREFIX = "kb:"
# The uri an export gives an article that has neither a uri of its own nor a web address.
OWN_URI_PREFIX = "urn:newsroom-kb:article:"
# Roles under which an item carries its main headline, body or description.
MAIN_ROLES = frozenset({"", "main", "body", "text", "summary", "abstract", "standfirst", "lead"})
# Names under which an item's web address is filed in `altids`.
URL_ALTID_ROLES = frozenset({"url", "source-url", "source_url", "link", "web", "canonical"})
TEXT_TYPES = frozenset({"text", "composite"})
_LOOKS_LIKE_HTML = re.compile(r"<(?:p|div|br|h[1-6]|section|ul|ol|li|blockquote|span)\b", re.I)


def parse_json(data):
    """The news items of a ninjs file (bytes or text) as NewsItems; ItemError when the file
    is not JSON, holds no item, or an item lacks what an article needs."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ItemError(f"not UTF-8 text ({error.reason} at byte {error.start}).") from error
    try:
        document = json.loads(data)
    except json.JSONDecodeError as error:
        raise ItemError(
            f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})."
        ) from error
    except RecursionError as error:
        raise ItemError("JSON nested too deeply to be a news item.") from error
    objects = document if isinstance(document, list) else [document]
    if not objects:
        raise ItemError("an empty list, no news item.")
    items = []
    for position, obj in enumerate(objects, start=1):
        where = "" if len(objects) == 1 else f"item {position}: "
        if not isinstance(obj, dict):
            raise ItemError(f"{where}not a JSON object, so not a news item.")
        items.append(parse_item(obj, where=where))
    return items


def parse_item(obj, *, where=""):
    """One ninjs object (1.x or 2.x) as a NewsItem; `where` prefixes error messages."""
    version = detect_version(obj)
    item_type = obj.get("type")
    if item_type is not None and item_type not in TEXT_TYPES:
        raise ItemError(f"{where}a {item_type!s} item; only text items become articles.")
    uri = _string(obj, "uri", where)
    if not uri:
        raise ItemError(f"{where}no uri (ninjs requires one to identify the item).")
    read = _read_version_1 if version == "1" else _read_version_2
    fields = read(obj, where)
    if not fields["headline"]:
        raise ItemError(f"{where}no headline.")
    if not fields["body"]:
        raise ItemError(f"{where}no body text.")
    published, dated_by = None, ""
    for key in ("firstcreated", "contentcreated", "versioncreated"):
        if obj.get(key):
            published = parse_date(_string(obj, key, where), field=f"{where}{key}")
            dated_by = key
            break
    outlet = obj.get(f"{EXTENSION_PREFIX}outlet")
    return NewsItem(
        version=version,
        uri=uri,
        language=_string(obj, "language", where),
        published_on=published,
        first_published=dated_by == "firstcreated",
        published_precision=_string(obj, f"{EXTENSION_PREFIX}published_precision", where),
        located=_string(obj, "located", where),
        slugline=_string(obj, "slugline", where),
        outlet_name=_outlet_name(obj, where),
        outlet=outlet if isinstance(outlet, dict) else {},
        **fields,
    )


def detect_version(obj):
    """ "1" or "2": the declared standard version, else the shape of the object."""
    for key in ("standard", "$standard"):
        declared = obj.get(key)
        if isinstance(declared, dict) and str(declared.get("version", ""))[:1] in {"1", "2"}:
            return str(declared["version"])[:1]
    if any(key in obj for key in ("headlines", "bodies", "descriptions", "subjects", "by")):
        return "2"
    return "1"


def article_to_ninjs(article, *, version="2", quotes=(), base_url=""):
    """The article as a ninjs item (a dict ready for json.dump), with its `quotes` (public
    Quote rows with claim and speaker loaded) in the `kb:quotes` extension."""
    outlet = article.outlet
    item = {
        "uri": article.external_uri or article.source_url or f"{OWN_URI_PREFIX}{article.slug}",
        "type": "text",
        "language": "und" if article.language == "other" else article.language,
        "firstcreated": f"{article.published_on.isoformat()}T00:00:00Z",
        "versioncreated": _iso_datetime(article.updated),
        "pubstatus": "usable",
        "copyrightholder": outlet.name,
        "slugline": article.slug,
    }
    body_html = "".join(
        f"<p>{html.escape(block).replace(chr(10), '<br>')}</p>"
        for block in article.body.split("\n\n")
    )
    topics = [{"name": topic.title, "literal": topic.slug} for topic in article.topics.all()]
    if version == "1":
        item["$standard"] = {"name": "ninjs", "version": NINJS_1}
        item["headline"] = article.title
        item["byline"] = article.byline
        item["body_text"] = article.body
        item["body_html"] = body_html
        if article.standfirst:
            item["description_text"] = article.standfirst
        if article.source_url:
            item["altids"] = {"url": article.source_url}
        if topics:
            item["subject"] = [{"name": t["name"], "code": t["literal"]} for t in topics]
    else:
        item["standard"] = {"name": "ninjs", "version": NINJS_2}
        item["headlines"] = [{"role": "main", "value": article.title}]
        item["by"] = article.byline
        item["bodies"] = [
            {
                "role": "main",
                "contenttype": "text/plain",
                "charcount": len(article.body),
                "wordcount": len(article.body.split()),
                "value": article.body,
            },
            {"role": "main", "contenttype": "text/html", "value": body_html},
        ]
        if article.standfirst:
            item["descriptions"] = [
                {"role": "summary", "contenttype": "text/plain", "value": article.standfirst}
            ]
        if article.source_url:
            item["altids"] = [{"role": "url", "value": article.source_url}]
        if topics:
            item["subjects"] = topics
    if not item.get("by") and not item.get("byline"):
        item.pop("by", None)
        item.pop("byline", None)
    item[f"{EXTENSION_PREFIX}outlet"] = {
        "name": outlet.name,
        "slug": outlet.slug,
        "home_url": outlet.home_url,
        "country": outlet.country,
        "language": outlet.language,
    }
    item[f"{EXTENSION_PREFIX}published_precision"] = article.published_precision
    item[f"{EXTENSION_PREFIX}quotes"] = [_quote_to_json(quote, base_url) for quote in quotes]
    return item


def _quote_to_json(quote, base_url):
    claim = quote.claim
    speaker = claim.speaker
    entry = {"text": quote.text, "start": quote.start, "end": quote.end}
    # The surrounding words (a W3C text-quote selector), where the quote records them.
    for name in ("prefix", "suffix"):
        value = getattr(quote, name, None)
        if value:
            entry[name] = value
    entry["claim"] = {
        "summary": claim.summary,
        "kind": claim.kind,
        "made_on": claim.made_on.isoformat(),
        "url": base_url + claim.get_absolute_url(),
    }
    entry["speaker"] = {
        "name": speaker.display_name,
        "slug": speaker.slug,
        "url": base_url + speaker.get_absolute_url(),
    }
    return entry


def _iso_datetime(value):
    if value is None:
        return None
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def _read_version_1(obj, where):
    if isinstance(obj.get("headline"), list):
        raise ItemError(f"{where}`headline` is a list, which no ninjs version allows.")
    body = ""
    if obj.get("body_text"):
        body = _plain(_string(obj, "body_text", where))
    elif obj.get("body_html"):
        body = html_to_text(_string(obj, "body_html", where))
    else:
        for key in sorted(k for k in obj if k.startswith("body_") and obj[k]):
            value = _string(obj, key, where)
            body = _text_of(value, "html" if "html" in key or "xml" in key else "")
            break
    standfirst = ""
    if obj.get("description_text"):
        standfirst = _plain(_string(obj, "description_text", where))
    elif obj.get("description_html"):
        standfirst = html_to_text(_string(obj, "description_html", where))
    else:
        standfirst = _extensible(obj, "description", where)
    # 1.5 and later name extra headlines, bodies and descriptions `<name>_<role>[_<format>]`
    # (`headline_main`, `body_main_html`, `body_richtext`): the main one when there is one.
    headline = _plain(_string(obj, "headline", where)) or _extensible(obj, "headline", where)
    return {
        "headline": headline,
        "body": body,
        "byline": _plain(_string(obj, "byline", where)),
        "standfirst": standfirst,
        "subjects": _subjects(obj.get("subject"), "code", where),
        "source_url": _url_altid(obj.get("altids")),
    }


def _extensible(obj, name, where):
    """The text of a 1.5+ `<name>_<role>[_<format>]` property, the `main` role first."""
    keys = sorted(
        (not key.startswith(f"{name}_main"), key)
        for key in obj
        if key.startswith(f"{name}_") and obj[key]
    )
    for _, key in keys:
        value = _string(obj, key, where)
        return _text_of(value, "html" if "html" in key or "xml" in key else "")
    return ""


def _read_version_2(obj, where):
    byline = obj.get("by") if "by" in obj else obj.get("byline", "")
    if not isinstance(byline, str):
        raise ItemError(f"{where}`by` must be a string.")
    body = _main_value(obj, "bodies", where)
    standfirst = _main_value(obj, "descriptions", where)
    if not body:
        # Some items carry their whole text as a description with the role `text`.
        body = _main_value(obj, "descriptions", where, roles={"text"})
        standfirst = "" if body else standfirst
    return {
        "headline": _main_value(obj, "headlines", where),
        "body": body,
        "byline": _plain(byline),
        "standfirst": standfirst,
        "subjects": _subjects(obj.get("subjects"), "literal", where),
        "source_url": _url_altid(obj.get("altids")),
    }


def _main_value(obj, key, where, *, roles=None):
    """The text of the main entry of a 2.x {role, contenttype, value} array (or of the entry
    with one of `roles`); plain text is preferred to markup, which is sanitized and flattened."""
    entries = obj.get(key) or []
    if not isinstance(entries, list) or not all(
        isinstance(entry, dict) and isinstance(entry.get("value", ""), str) for entry in entries
    ):
        raise ItemError(f"{where}`{key}` must be a list of objects with a string value.")
    entries = [entry for entry in entries if entry.get("value")]
    if roles is not None:
        main = [entry for entry in entries if (entry.get("role") or "") in roles]
    else:
        main = [entry for entry in entries if (entry.get("role") or "") in MAIN_ROLES] or entries
    if not main:
        return ""
    plain = [entry for entry in main if "plain" in (entry.get("contenttype") or "")]
    chosen = (plain or main)[0]
    return _text_of(chosen["value"], chosen.get("contenttype") or "")


def _text_of(value, contenttype):
    is_markup = any(kind in contenttype for kind in ("html", "xml"))
    if is_markup or (not contenttype and _LOOKS_LIKE_HTML.search(value)):
        return html_to_text(value)
    return _plain(value)


def _plain(value):
    # A null character is never text, and PostgreSQL refuses it in a text column.
    return normalize_text(value.replace("\x00", ""))


def _string(obj, key, where):
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ItemError(f"{where}`{key}` must be a string, not {type(value).__name__}.")
    return value.strip()


def _subjects(entries, code_key, where):
    if not entries:
        return ()
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise ItemError(f"{where}subjects must be a list of objects.")
    return tuple(
        (str(entry.get("name") or "").strip(), str(entry.get(code_key) or "").strip())
        for entry in entries
    )


def _url_altid(altids):
    """The web address an item files among its alternative ids (1.x: an object, 2.x: a list)."""
    if isinstance(altids, dict):
        pairs = altids.items()
    elif isinstance(altids, list):
        pairs = [(e.get("role"), e.get("value")) for e in altids if isinstance(e, dict)]
    else:
        return ""
    for role, value in pairs:
        if (
            str(role or "").lower() in URL_ALTID_ROLES
            and isinstance(value, str)
            and value.startswith(("http://", "https://"))
        ):
            return value.strip()
    return ""


def _outlet_name(obj, where):
    """Who the item comes from: its copyright holder, else its provider or first info source."""
    holder = _string(obj, "copyrightholder", where)
    if holder:
        return holder
    provider = obj.get("provider")
    if isinstance(provider, dict):
        provider = provider.get("name")
    if isinstance(provider, str) and provider.strip():
        return provider.strip()
    for key in ("infosources", "infosource"):
        sources = obj.get(key)
        if isinstance(sources, list):
            for source in sources:
                if isinstance(source, dict) and isinstance(source.get("name"), str):
                    return source["name"].strip()
    return ""
