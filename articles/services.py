"""Writes on articles: creating one, replacing its body, and the workflow's transitions."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction

from articles.imports.text import CleanedPage
from articles.models import Article, Outlet
from articles.signals import body_changed
from articles.slugs import unique_slug
from core.models import DatePrecision, PublicationStatus
from core.services import save_stamped
from core.workflow import apply_transition, check_edit

User = AbstractBaseUser | None  # None is the system (a command run without --user)

# The workflow's transitions (core/workflow.py). Each checks the user's permission
# (articles.<transition>_article), locks the row, validates, records who and when and writes
# a history version; an illegal move raises and saves nothing.


def article_submit_for_review(*, article: Article, user: User) -> Article:
    """Send a draft to the editors (contributors and editors)."""
    return apply_transition(item=article, name="submit_for_review", user=user)


def article_publish(*, article: Article, user: User) -> Article:
    """Publish an article in review (editors)."""
    return apply_transition(item=article, name="publish", user=user)


def article_return_to_draft(*, article: Article, user: User) -> Article:
    """Send an article in review back to its author as a draft (editors)."""
    return apply_transition(item=article, name="return_to_draft", user=user)


def article_correct(*, article: Article, user: User, note: str) -> Article:
    """Publish a dated correction note on a public article (editors); it stays public."""
    return apply_transition(item=article, name="correct", user=user, text=note)


def article_withdraw(*, article: Article, user: User, reason: str) -> Article:
    """Take a public article down for `reason` (editors); it is kept, but no reader sees it."""
    return apply_transition(item=article, name="withdraw", user=user, text=reason)


@transaction.atomic
def article_create(
    *,
    title: str,
    outlet: Outlet,
    language: str,
    published_on: datetime.date,
    body: str,
    published_precision: str = DatePrecision.DAY,
    slug: str = "",
    byline: str = "",
    standfirst: str = "",
    source_url: str = "",
    external_uri: str = "",
    status: str = PublicationStatus.DRAFT,
    topics: Iterable[models.Model] = (),
    user: User = None,
    instance: Article | None = None,
) -> Article:
    """Save a new article (a draft unless told otherwise), filed under `topics`, and return it.

    `instance` is an unsaved Article to save with these values instead of a new one: the
    admin's add page passes its form's, which the page's inlines already point at.

    Without a `slug`, the title gives one that no article has yet (articles.slugs.unique_slug).
    Raises ValidationError, saving nothing, when the article does not validate (a slug or
    source URL taken, a body over ARTICLE_BODY_MAX_CHARS …), and EditNotAllowed when `user`
    may not add it (core.workflow.edit_refusal).
    """
    article = instance or Article()
    values = {
        "title": title,
        "slug": slug or unique_slug(Article, title, fallback="article"),
        "outlet": outlet,
        "byline": byline,
        "source_url": source_url,
        "external_uri": external_uri,
        "published_on": published_on,
        "published_precision": published_precision,
        "language": language,
        "standfirst": standfirst,
        "body": body,
        "status": status,
    }
    for name, value in values.items():
        setattr(article, name, value)
    check_edit(user=user, item=article)
    save_stamped(article, user=user)
    if topics:
        article.topics.add(*topics)
    return article


def article_import(
    *,
    page: CleanedPage,
    outlet: Outlet,
    language: str,
    published_on: datetime.date,
    published_precision: str = DatePrecision.DAY,
    byline: str | None = None,
    slug: str = "",
    source_url: str = "",
    title: str = "",
    status: str = PublicationStatus.DRAFT,
    user: User = None,
) -> Article:
    """Save a cleaned page's text as an article (a draft unless told otherwise) and return it.

    `byline=None` takes the byline found in the page; `title` defaults to the page's title and
    `slug` to article_create's. Raises ValidationError when nothing of the page is left, when
    there is no title, or when the article does not validate; EditNotAllowed when `user` may
    not add it.
    """
    title = (title or page.title).strip()
    if not page.body:
        raise ValidationError({"body": "Nothing of the page is left once site text is removed."})
    if not title:
        raise ValidationError({"title": "The page has no recognisable title; give one."})
    return article_create(
        title=title,
        slug=slug,
        outlet=outlet,
        byline=page.byline if byline is None else byline.strip(),
        source_url=source_url,
        published_on=published_on,
        published_precision=published_precision,
        language=language,
        body=page.body,
        status=status,
        user=user,
    )


@dataclass(frozen=True)
class PageImport:
    """What importing a page did: the article, whether it is new, the fields an update changed
    and what the apps following the body reported (claims: what happened to each quote)."""

    article: Article
    created: bool
    changed: tuple[str, ...] = ()
    followers: Any = None


@transaction.atomic
def article_page_upsert(
    *,
    page: CleanedPage,
    outlet: Outlet,
    language: str,
    published_on: datetime.date,
    published_precision: str = DatePrecision.DAY,
    byline: str | None = None,
    slug: str = "",
    source_url: str = "",
    title: str = "",
    user: User = None,
) -> PageImport:
    """Import a cleaned page as article_import does, or update the article it was imported as
    before: the one with its `source_url`, else the one with the same title, outlet and date.

    An update writes what differs (the body through article_update_body, which re-anchors the
    quotes) and keeps the article's slug, status and published date. A new article whose slug
    another story holds gets a numbered suffix.
    """
    wanted_title = (title or page.title).strip()
    existing = Article.objects.select_for_update()
    if source_url:
        existing = existing.filter(source_url=source_url)
    else:
        existing = existing.filter(title=wanted_title, outlet=outlet, published_on=published_on)
    article = existing.order_by("pk").first()
    if article is None:
        created = article_import(
            page=page,
            outlet=outlet,
            language=language,
            published_on=published_on,
            published_precision=published_precision,
            byline=byline,
            slug=unique_slug(Article, slug or wanted_title, fallback="article"),
            source_url=source_url,
            title=title,
            user=user,
        )
        return PageImport(created, created=True)
    if not page.body:
        raise ValidationError({"body": "Nothing of the page is left once site text is removed."})
    wanted = {
        "title": wanted_title,
        "byline": page.byline if byline is None else byline.strip(),
        "language": language,
    }
    changed, followers = article_update(article=article, values=wanted, body=page.body, user=user)
    return PageImport(article, created=False, changed=changed, followers=followers)


def article_update(
    *, article: Article, values: dict[str, Any], body: str, user: User = None
) -> tuple[tuple[str, ...], Any]:
    """Write the `values` an import gives (empty ones keep the article's) that differ from
    `article`, and `body` when it differs, in one save: a new body goes through
    article_update_body, so the quotes re-anchor in the same transaction. Returns the names of
    the fields changed and what the body's followers reported (None when the body stayed).
    Raises EditNotAllowed when `user` may not edit the article in its state."""
    changed = [name for name, value in values.items() if value and getattr(article, name) != value]
    for name in changed:
        setattr(article, name, values[name])
    followers = None
    if body != article.body:
        changed.append("body")
        followers = article_update_body(article=article, body=body, user=user)
    elif changed:
        check_edit(user=user, item=article)
        save_stamped(article, user=user)
    return tuple(changed), followers


@transaction.atomic
def article_update_body(*, article: Article, body: str, user: User = None) -> Any:
    """Save `article` with `body`; the apps following article bodies re-anchor in the same
    transaction (articles.signals.body_changed: claims moves the article's quotes).

    Other changes made to `article` in memory are saved with it. Quotes follow their exact text
    (the surrounding words decide among repeats); a quote whose text is gone becomes an orphan,
    hidden from readers until an editor repairs it; none is deleted or moved to look-alike
    text. Returns what the follower reports (claims' Reanchoring), None when no app follows.
    Raises ValidationError, saving nothing, when the article does not validate (a body over
    ARTICLE_BODY_MAX_CHARS included), and EditNotAllowed when `user` may not edit it in its
    state (a contributor and a submitted or public article; None is the system).
    """
    previous_body = None
    if article.pk is not None:
        # Lock the row; the body as it was tells followers which passages moved.
        previous_body = (
            Article.objects.select_for_update().values_list("body", flat=True).get(pk=article.pk)
        )
    article.body = body
    check_edit(user=user, item=article)
    save_stamped(article, user=user)
    sent = body_changed.send(Article, article=article, user=user, previous_body=previous_body)
    reports = [report for _, report in sent]
    return next((report for report in reports if report is not None), None)
