from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from articles.models import Article
from config.models import DatePrecision, PublicationStatus
from config.services import save_stamped, set_status


def articles_publish(*, articles, user=None):
    """Publish the given articles; returns how many changed."""
    return set_status(items=articles, status=PublicationStatus.PUBLISHED, user=user)


def articles_unpublish(*, articles, user=None):
    """Take the given articles back to draft; returns how many changed."""
    return set_status(items=articles, status=PublicationStatus.DRAFT, user=user)


@transaction.atomic
def article_import(
    *,
    page,
    outlet,
    language,
    published_on,
    published_precision=DatePrecision.DAY,
    byline=None,
    slug="",
    source_url="",
    title="",
    status=PublicationStatus.DRAFT,
    user=None,
):
    """Save a cleaned page as an article (a draft unless told otherwise) and return it.

    `byline=None` takes the byline found in the page; `title` and `slug` default to the page's
    title and its slug. Raises ValidationError when nothing of the page is left, when there is
    no title, or when the article does not validate (e.g. the slug or source URL is taken).
    """
    title = (title or page.title).strip()
    if not page.body:
        raise ValidationError({"body": "Nothing of the page is left once site text is removed."})
    if not title:
        raise ValidationError({"title": "The page has no recognisable title; give one."})
    article = Article(
        title=title,
        slug=slug or slugify(title)[: Article._meta.get_field("slug").max_length].strip("-"),
        outlet=outlet,
        byline=page.byline if byline is None else byline.strip(),
        source_url=source_url,
        published_on=published_on,
        published_precision=published_precision,
        language=language,
        body=page.body,
        status=status,
    )
    return save_stamped(article, user=user)
