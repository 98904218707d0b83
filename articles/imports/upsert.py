"""Write one news item (read from ninjs or a saved page) as an article: created, or the
article imported from it before updated.

An item is matched to an article by its ninjs `uri` (kept in `Article.external_uri`) or by its
web address (`source_url`), so importing it again never makes a second article: what the item
says that differs from the article is written (a body through `article_update_body`, which
re-anchors the article's quotes), and an item that says nothing new leaves the article
untouched. New articles are drafts, created by `article_create`; an updated article keeps its
status. The options an editor gives fill what a file leaves out on creation (language,
published date) or choose the outlet of new articles; they never change an existing article.

Every item asks core.workflow's one rule for the article it would write: a user who may not
edit the matching article in its state (a contributor, and an article submitted for review
or public) gets "needs an editor: article #N “…” is published". `user=None` is the system.
"""

import datetime
from dataclasses import dataclass
from functools import reduce
from operator import or_
from urllib.parse import urlsplit

from django.db import models

from articles import services
from articles.imports.items import ItemError, NewsItem
from articles.imports.ninjs import OWN_URI_PREFIX
from articles.models import Article, Language, Outlet, body_max_chars
from articles.slugs import unique_slug
from core.models import DatePrecision, PublicationStatus
from core.services import save_stamped
from core.workflow import edit_refusal

# Language codes a file may give (the primary subtag of a BCP 47 tag, any case), and what
# the article stores: "ua" is the country code often written for Ukrainian, "und" (BCP 47's
# "undetermined") is how an export writes the articles filed under "other".
LANGUAGE_CODES = {"en": "en", "uk": "uk", "ua": "uk", "ru": "ru", "und": Language.OTHER}


class Outcome(models.TextChoices):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass(frozen=True)
class ImportOptions:
    """What an editor gives for a batch: the outlet of new articles, and the language and
    published date of new articles whose file states none."""

    outlet: Outlet | None = None
    language: str = ""
    published_on: datetime.date | None = None
    published_precision: str = DatePrecision.DAY


@dataclass(frozen=True)
class ItemResult:
    outcome: str
    article: Article
    changed: tuple[str, ...] = ()
    # What the apps following article bodies reported for a new body (claims: what happened
    # to each quote), printed beside the outcome; None when the body did not change.
    followers: object = None


def article_upsert(
    *, item: NewsItem, where: str = "", user=None, options: ImportOptions | None = None
) -> ItemResult:
    """Create or update the article `item` describes; ItemError (prefixed with `where`, e.g.
    "item 2: ") when it cannot be written. Runs in the caller's transaction: files.py holds
    one per file."""
    options = options or ImportOptions()
    if len(item.body) > body_max_chars():
        raise ItemError(
            f"{where}the body has {len(item.body):,} characters, over the limit of "
            f"{body_max_chars():,} (ARTICLE_BODY_MAX_CHARS)."
        )
    if not item.uri and not item.source_url:
        raise ItemError(
            f"{where}the page gives no address (no canonical link, og:url or “saved from” "
            "note), so importing it again could not find this article."
        )
    language = _language(item.language, where)
    article = _matching_article(item, where)
    if article is not None:
        # Asked before anything is compared: an article the user may not edit is not theirs
        # to import over, whether or not the file would change it.
        _check_may_write(user, article, where)
        return _update(article, item, language=language, user=user)
    _check_may_write(user, Article(status=PublicationStatus.DRAFT), where)
    return _create(item, language=language, where=where, user=user, options=options)


def _check_may_write(user, record, where):
    """ItemError with core.workflow's sentence when `user` may not write `record`."""
    refusal = edit_refusal(user, record)
    if refusal:
        raise ItemError(f"{where}{refusal[0].lower()}{refusal[1:]}")


def _language(code, where):
    """The article language of a BCP 47 tag ("en-GB" → "en"), "" when none is given."""
    if not code:
        return ""
    primary = code.replace("_", "-").split("-")[0].lower()
    if primary not in LANGUAGE_CODES:
        known = ", ".join(sorted(c for c in LANGUAGE_CODES if c != "und"))
        raise ItemError(f"{where}unknown language code “{code}” (known: {known}).")
    return LANGUAGE_CODES[primary]


def _matching_article(item, where):
    """The article this item was imported as before: by its uri, else by its web address,
    else by its headline, date and outlet.

    An export of this database names an article that has neither a uri nor a web address by
    its slug (OWN_URI_PREFIX); such an item matches that article when its outlet is the
    same, so exporting and importing again into the same database duplicates nothing.
    """
    by_uri = by_url = None
    articles = Article.objects.select_for_update()
    if item.uri:
        by_uri = articles.filter(external_uri=item.uri).first()
    if by_uri is None and item.uri.startswith(OWN_URI_PREFIX):
        by_uri = articles.filter(
            slug=item.uri.removeprefix(OWN_URI_PREFIX),
            external_uri="",
            source_url="",
            outlet__name=item.outlet.get("name") or item.outlet_name,
        ).first()
    if item.source_url:
        by_url = articles.filter(source_url=item.source_url).first()
    if by_uri and by_url and by_uri != by_url:
        raise ItemError(
            f"{where}its uri is that of article #{by_uri.pk} but its address that of "
            f"article #{by_url.pk}; fix one of them first."
        )
    return by_uri or by_url or _same_story(articles, item)


def _same_story(articles, item):
    """The article with the item's headline, date and outlet, when neither its uri nor its
    address is known here: the same story imported before from saved page text."""
    outlet_name = str(item.outlet.get("name") or item.outlet_name or "").strip()
    if not (item.headline and item.published_on and outlet_name):
        return None
    same = articles.filter(
        title=item.headline, published_on=item.published_on, outlet__name__iexact=outlet_name
    )
    return same.order_by("pk").first()


def _external_uri(item, article=None):
    """The uri to keep for the item: not when it only repeats its web address, nor when it
    is this database's own name for `article`."""
    if item.uri == item.source_url:
        return ""
    if article is not None and item.uri == f"{OWN_URI_PREFIX}{article.slug}":
        return article.external_uri
    return item.uri


def _create(item, *, language, where, user, options):
    language = language or options.language
    if not language:
        raise ItemError(f"{where}no language given; choose the language of the file's articles.")
    if item.published_on:
        published_on = item.published_on
        precision = _precision(item.published_precision)
    elif options.published_on:
        published_on, precision = options.published_on, options.published_precision
    else:
        raise ItemError(f"{where}no publication date found; give the date the article appeared.")
    outlet = options.outlet or _outlet(item, language=language, where=where, user=user)
    # A slugline is the source's own short name for the story: the slug's base when given.
    article = services.article_create(
        title=item.headline,
        slug=unique_slug(Article, item.slugline, fallback="article") if item.slugline else "",
        outlet=outlet,
        byline=item.byline,
        source_url=item.source_url,
        external_uri=_external_uri(item),
        published_on=published_on,
        published_precision=precision,
        language=language,
        standfirst=item.standfirst,
        body=item.body,
        topics=_matching_topics(item.subjects),
        user=user,
    )
    return ItemResult(Outcome.CREATED, article)


def _update(article, item, *, language, user):
    """Write what the item says differently from the article, in one save; a new body is
    saved through article_update_body, which re-anchors the article's quotes."""
    wanted = {
        "title": item.headline,
        "byline": item.byline,
        "standfirst": item.standfirst,
        "language": language,
        "source_url": item.source_url,
    }
    if not article.external_uri:
        # An article keeps the first uri it was imported under; one it lacks is filled in.
        wanted["external_uri"] = _external_uri(item, article)
    if item.published_on and item.first_published:
        wanted["published_on"] = item.published_on
        wanted["published_precision"] = _precision(item.published_precision)
    # What the item leaves out (an empty byline, no standfirst) keeps the article's value.
    changed, report = services.article_update(
        article=article, values=wanted, body=item.body, user=user
    )
    outcome = Outcome.UPDATED if changed else Outcome.UNCHANGED
    return ItemResult(outcome, article, changed, report)


def _precision(value):
    return value if value in DatePrecision.values else DatePrecision.DAY


def _outlet(item, *, language, where, user):
    """The outlet the item names (the `kb:outlet` extension, copyright holder, provider or
    site name), matched by name, then by web domain; created when none matches."""
    described = item.outlet
    name = str(described.get("name") or item.outlet_name or "").strip()
    home_url = str(described.get("home_url") or "")
    domain = _domain(home_url or item.source_url)
    if name:
        outlet = Outlet.objects.filter(name__iexact=name).order_by("pk").first()
        if outlet is not None:
            return outlet
    if domain:
        candidates = Outlet.objects.filter(home_url__icontains=domain).order_by("pk")
        for outlet in candidates:
            if _domain(outlet.home_url) == domain:
                return outlet
    if not name and not domain:
        raise ItemError(
            f"{where}no outlet: the file names no copyright holder, provider or site and has "
            "no web address; choose the outlet."
        )
    outlet = Outlet(
        name=name or domain,
        slug=unique_slug(Outlet, str(described.get("slug") or name or domain), fallback="outlet"),
        home_url=home_url or (f"https://{domain}/" if domain else ""),
        country=str(described.get("country") or ""),
        language=described.get("language")
        if described.get("language") in Language.values
        else language,
    )
    _check_may_write(user, outlet, where)
    return save_stamped(outlet, user=user)


def _domain(url):
    host = (urlsplit(url).hostname or "") if url else ""
    return host.lower().removeprefix("www.")


def _matching_topics(subjects):
    """The existing topics among an item's subjects, by slug or title; none is created."""
    conditions = [
        condition
        for name, code in subjects
        for condition in (
            models.Q(slug=code) if code else None,
            models.Q(title__iexact=name) if name else None,
        )
        if condition is not None
    ]
    if not conditions:
        return []
    # Topics belong to claims; the relation reaches them without articles importing claims.
    topics = Article.topics.field.related_model
    return list(topics.objects.filter(reduce(or_, conditions)))
