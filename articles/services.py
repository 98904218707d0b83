from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from articles.models import Article
from claims.services import quotes_reanchor
from core.models import DatePrecision, PublicationStatus
from core.services import save_stamped
from core.workflow import apply_transition, check_edit

# The workflow's transitions (core/workflow.py). Each checks the user's permission
# (articles.<transition>_article), locks the row, validates, records who and when and writes
# a history version; an illegal move raises and saves nothing.


def article_submit_for_review(*, article, user):
    """Send a draft to the editors (contributors and editors)."""
    return apply_transition(item=article, name="submit_for_review", user=user)


def article_publish(*, article, user):
    """Publish an article in review (editors)."""
    return apply_transition(item=article, name="publish", user=user)


def article_return_to_draft(*, article, user):
    """Send an article in review back to its author as a draft (editors)."""
    return apply_transition(item=article, name="return_to_draft", user=user)


def article_correct(*, article, user, note):
    """Publish a dated correction note on a public article (editors); it stays public."""
    return apply_transition(item=article, name="correct", user=user, text=note)


def article_withdraw(*, article, user, reason):
    """Take a public article down for `reason` (editors); it is kept, but no reader sees it."""
    return apply_transition(item=article, name="withdraw", user=user, text=reason)


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
    no title, or when the article does not validate (e.g. the slug or source URL is taken, or
    the body is over ARTICLE_BODY_MAX_CHARS); EditNotAllowed when `user` may not add it
    (core.workflow.edit_refusal; None is the system).
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
    check_edit(user=user, item=article)
    return save_stamped(article, user=user)


@transaction.atomic
def article_update_body(*, article, body, user=None):
    """Save `article` with `body` and re-anchor every one of its quotes in the same transaction.

    Other changes made to `article` in memory are saved with it. Quotes follow their exact text
    (the surrounding words decide among repeats); a quote whose text is gone becomes an orphan,
    hidden from readers until an editor repairs it; none is deleted or moved to look-alike
    text. Returns what happened to the quotes (claims.services.Reanchoring). Raises
    ValidationError, saving nothing, when the article does not validate (a body over
    ARTICLE_BODY_MAX_CHARS included), and EditNotAllowed when `user` may not edit it in its
    state (a contributor and a submitted or public article; None is the system).
    """
    if article.pk is not None:
        Article.objects.select_for_update().only("pk").get(pk=article.pk)  # lock the row
    article.body = body
    check_edit(user=user, item=article)
    save_stamped(article, user=user)
    return quotes_reanchor(article=article, user=user)
