"""factory_boy factories for every model; published by default where a status exists."""

import datetime

import factory
from django.contrib.auth import get_user_model

from articles.models import Article, Language, Outlet
from claims.models import (
    Claim,
    ClaimProvision,
    ClaimTopic,
    Provision,
    Quote,
    Topic,
    Treaty,
)
from claims.roles import CONTRIBUTORS, EDITORS
from core.models import PublicationStatus
from experts.models import Affiliation, Expert, NameVariant, Organization


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class EditorFactory(UserFactory):
    """A staff user in the Editors group, not a superuser."""

    username = factory.Sequence(lambda n: f"editor{n}")
    is_staff = True

    @factory.post_generation
    def editors_group(self, create, extracted, **kwargs):
        if create:
            from django.contrib.auth.models import Group

            self.groups.add(Group.objects.get(name=EDITORS))


class ContributorFactory(UserFactory):
    """A staff user in the Contributors group: writes drafts, submits them, never publishes."""

    username = factory.Sequence(lambda n: f"contributor{n}")
    is_staff = True

    @factory.post_generation
    def contributors_group(self, create, extracted, **kwargs):
        if create:
            from django.contrib.auth.models import Group

            self.groups.add(Group.objects.get(name=CONTRIBUTORS))


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet

    name = factory.Sequence(lambda n: f"Outlet {n}")
    slug = factory.Sequence(lambda n: f"outlet-{n}")
    home_url = factory.LazyAttribute(lambda o: f"https://{o.slug}.example.org/")
    country = "UA"
    language = Language.ENGLISH


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article {n} about the treaty")
    slug = factory.Sequence(lambda n: f"article-{n}")
    outlet = factory.SubFactory(OutletFactory)
    byline = "A. Reporter"
    source_url = factory.Sequence(lambda n: f"https://news.example.org/story-{n}")
    published_on = datetime.date(2024, 6, 20)
    language = Language.ENGLISH
    standfirst = "What the experts make of it."
    body = (
        "Putin and Kim signed a treaty.\n\n"
        "“China has the leverage to stop it,” said the expert.\n\n"
        "Nobody knows what comes next."
    )
    status = PublicationStatus.PUBLISHED

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.add(*extracted)


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert

    display_name = factory.Sequence(lambda n: f"Expert Number{n}")
    slug = factory.Sequence(lambda n: f"expert-{n}")
    bio = "Studies the region."
    country = "UA"


class NameVariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NameVariant

    expert = factory.SubFactory(ExpertFactory)
    name = factory.Sequence(lambda n: f"Variant {n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Research Centre {n}")
    slug = factory.Sequence(lambda n: f"centre-{n}")
    kind = Organization.Kind.RESEARCH_CENTRE
    country = "UA"


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    expert = factory.SubFactory(ExpertFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role_title = "Head"
    start_date = datetime.date(2020, 1, 1)
    end_date = None


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    title = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    question = factory.LazyAttribute(lambda t: f"What about {t.title}?")


class TreatyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Treaty

    title = factory.Sequence(lambda n: f"Treaty number {n}")
    short_name = factory.Sequence(lambda n: f"Treaty {n}")
    slug = factory.Sequence(lambda n: f"treaty-{n}")
    parties = "Russian Federation\nDemocratic People's Republic of Korea"
    signed_on = datetime.date(2024, 6, 19)


class ProvisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provision

    treaty = factory.SubFactory(TreatyFactory)
    number = factory.Sequence(lambda n: f"Article {n + 1}")
    address = factory.Sequence(lambda n: f"art_{n + 1}")
    heading = "Mutual assistance"
    text = "Our summary of the article."
    order = factory.Sequence(lambda n: n + 1)


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    speaker = factory.SubFactory(ExpertFactory)
    summary = factory.Sequence(lambda n: f"China can stop the alliance ({n}).")
    kind = Claim.Kind.ASSESSMENT
    made_on = datetime.date(2024, 6, 20)
    status = PublicationStatus.PUBLISHED


class ClaimTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClaimTopic

    claim = factory.SubFactory(ClaimFactory)
    topic = factory.SubFactory(TopicFactory)
    stance = "no"


class ClaimProvisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClaimProvision

    claim = factory.SubFactory(ClaimFactory)
    provision = factory.SubFactory(ProvisionFactory)
    relation = ClaimProvision.Relation.INTERPRETS


class QuoteFactory(factory.django.DjangoModelFactory):
    """A quote anchored in its article: offsets are computed, never given."""

    class Meta:
        model = Quote

    claim = factory.SubFactory(ClaimFactory)
    article = factory.SubFactory(ArticleFactory)
    text = "China has the leverage to stop it"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        quote = model_class(*args, **kwargs)
        quote.anchor()
        quote.save()
        return quote
