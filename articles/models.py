from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import (
    DatePrecision,
    PublishableQuerySet,
    Reviewed,
    Stamped,
    format_date,
    public_q,
    related_model,
)
from core.text import normalize_text
from core.validators import country_code_validator, validate_uri_characters


class Language(models.TextChoices):
    UKRAINIAN = "uk", _("Ukrainian")
    ENGLISH = "en", _("English")
    RUSSIAN = "ru", _("Russian")
    OTHER = "other", _("Other")


def body_max_chars():
    """The most characters an article body may hold (ARTICLE_BODY_MAX_CHARS)."""
    return getattr(settings, "ARTICLE_BODY_MAX_CHARS", 1_000_000)


class OutletQuerySet(models.QuerySet):
    def public(self):
        """Outlets readers may see: those with a published or corrected article."""
        return self.filter(Exists(Article.objects.published().filter(outlet=OuterRef("pk"))))

    def visible_to(self, user):
        """Public outlets, or every outlet for staff."""
        return self if user.is_staff else self.public()

    def with_article_counts(self):
        """Annotate `article_count`: the outlet's published articles."""
        articles = (
            Article.objects.published()
            .filter(outlet=OuterRef("pk"))
            .order_by()
            .values("outlet")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            article_count=Coalesce(Subquery(articles, output_field=IntegerField()), 0)
        )


class Outlet(Stamped):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    home_url = models.URLField(blank=True, validators=[validate_uri_characters])
    country = models.CharField(max_length=2, blank=True, validators=[country_code_validator])
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.ENGLISH)

    objects = OutletQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:outlet", kwargs={"slug": self.slug})


class ArticleQuerySet(PublishableQuerySet):
    def with_quote_counts(self):
        """Annotate `quote_count`: the article's anchored quotes of published claims."""
        quotes = (
            related_model(Article, "quotes")
            .objects.anchored()
            .filter(public_q("claim__"), article=OuterRef("pk"))
            .order_by()
            .values("article")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(quote_count=Coalesce(Subquery(quotes, output_field=IntegerField()), 0))

    def quoting(self, claims):
        """Articles holding an anchored quote of one of `claims` (a Claim queryset)."""
        quotes = (
            related_model(Article, "quotes")
            .objects.anchored()
            .filter(article=OuterRef("pk"), claim__in=claims)
        )
        return self.filter(Exists(quotes))

    def matching(self, text):
        """Articles whose title, standfirst or body contains `text` (case-insensitive)."""
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            Q(title__icontains=text) | Q(standfirst__icontains=text) | Q(body__icontains=text)
        )

    def filed_under(self, topics):
        """Articles filed under at least one of `topics` (topics or ids), each article once."""
        filed = Article.topics.through.objects.filter(article=OuterRef("pk"), topic__in=topics)
        return self.filter(Exists(filed))

    def with_summary_data(self):
        """Everything an article summary shows, in a fixed number of queries.

        The outlet, topics, `quote_count`, and the published versions of the article's story
        in other languages: its original (`translation_of`) with the original's translations,
        and its own translations when it is the original.
        """
        published = Article.objects.published().order_by("language", "pk")
        return (
            self.select_related("outlet", "translation_of")
            .prefetch_related(
                "topics",
                models.Prefetch("translations", queryset=published),
                models.Prefetch("translation_of__translations", queryset=published),
            )
            .with_quote_counts()
        )

    def translations_of(self, article):
        """The other language versions of `article`'s story: its original and their translations."""
        root_id = article.translation_of_id or article.pk
        return self.filter(Q(pk=root_id) | Q(translation_of_id=root_id)).exclude(pk=article.pk)


class Article(Reviewed, Stamped):
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="articles")
    byline = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(
        "source URL",
        max_length=500,
        blank=True,
        validators=[validate_uri_characters],
        help_text="The article on the outlet's site.",
    )
    external_uri = models.CharField(
        "external URI",
        max_length=500,
        blank=True,
        help_text="The identifier (ninjs uri) of the news item this article was imported from.",
    )
    published_on = models.DateField("published date")
    published_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How much of the published date is known.",
    )
    language = models.CharField(max_length=8, choices=Language.choices)
    standfirst = models.TextField(blank=True)
    body = models.TextField(help_text="Plain text; paragraphs separated by a blank line.")
    topics = models.ManyToManyField("claims.Topic", blank=True, related_name="articles")
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        help_text="The original of the story this article translates.",
    )

    objects = ArticleQuerySet.as_manager()
    # Filing an article under topics is part of its record, so each version keeps its topics.
    history = HistoricalRecords(m2m_fields=[topics])

    class Meta:
        ordering = ["-published_on", "title"]
        # One permission per workflow transition, checked by the services in articles/services.py.
        permissions = [
            ("submit_article", "Can submit an article for review"),
            ("publish_article", "Can publish an article in review"),
            ("return_article", "Can return an article in review to draft"),
            ("correct_article", "Can publish a correction to an article"),
            ("withdraw_article", "Can withdraw a published article"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_url"],
                condition=~Q(source_url=""),
                name="article_source_url_unique",
                violation_error_message="Another article already has this source URL.",
            ),
            models.UniqueConstraint(
                fields=["external_uri"],
                condition=~Q(external_uri=""),
                name="article_external_uri_unique",
                violation_error_message="Another article was imported from this news item.",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def clean(self):
        self.body = normalize_text(self.body)
        self.standfirst = normalize_text(self.standfirst)
        self.title = self.title.strip()
        # Every path that writes a body validates here: the admin form, imports, services.
        if len(self.body) > body_max_chars():
            raise ValidationError(
                {
                    "body": f"The body has {len(self.body):,} characters, over the limit of "
                    f"{body_max_chars():,} (ARTICLE_BODY_MAX_CHARS)."
                }
            )
        if self.translation_of_id:
            if self.pk and self.translation_of_id == self.pk:
                raise ValidationError(
                    {"translation_of": "An article cannot be a translation of itself."}
                )
            if self.translation_of.translation_of_id:
                raise ValidationError(
                    {"translation_of": "Link to the original story, not to another translation."}
                )
            if self.pk and self.translations.exists():
                raise ValidationError(
                    {"translation_of": "This article is itself the original of translations."}
                )

    @property
    def published_display(self):
        return format_date(self.published_on, self.published_precision)

    @property
    def published_iso(self):
        """The published date in ISO 8601 as precise as it is known: 2024-06-19, 2024-06, 2024."""
        if self.published_precision == DatePrecision.YEAR:
            return f"{self.published_on:%Y}"
        if self.published_precision == DatePrecision.MONTH:
            return f"{self.published_on:%Y-%m}"
        return self.published_on.isoformat()

    @property
    def story_root(self):
        return self.translation_of or self

    def visible_quotes(self, user):
        """The article's anchored quotes of claims `user` may see, in reading order.

        Orphaned quotes are left out for everyone: their offsets no longer point at their text.
        """
        quotes = self.quotes.anchored().order_by("start", "end", "pk")
        return quotes if user.is_staff else quotes.filter(public_q("claim__"))

    def quoted_claims(self, user):
        """The claims `user` may see that this article quotes."""
        return (
            related_model(Article, "quotes__claim")
            .objects.visible_to(user)
            .filter(Exists(self.quotes.anchored().filter(claim=OuterRef("pk"))))
        )

    def topics_discussed(self, user):
        """Topics the article is filed under or that its visible quoted claims are about."""
        filed = Article.topics.through.objects.filter(topic=OuterRef("pk"), article=self)
        claimed = self.quoted_claims(user).filter(topics=OuterRef("pk"))
        return related_model(Article, "topics").objects.filter(Exists(filed) | Exists(claimed))

    def provisions_discussed(self, user):
        """Treaty provisions cited by the visible claims this article quotes."""
        cited = self.quoted_claims(user).filter(provisions=OuterRef("pk"))
        return (
            related_model(Article, "quotes__claim__provisions")
            .objects.filter(Exists(cited))
            .select_related("treaty", "parent__parent")
            .order_by("treaty__short_name", "order", "pk")
        )
