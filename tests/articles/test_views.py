import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from claims.models import Claim, ClaimProvision, Quote
from core.models import DatePrecision, PublicationStatus
from tests.factories import (
    AffiliationFactory,
    ArticleFactory,
    ClaimFactory,
    ClaimProvisionFactory,
    ClaimTopicFactory,
    ExpertFactory,
    OutletFactory,
    ProvisionFactory,
    QuoteFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

DEMO_ARTICLE = "why-china-does-not-benefit-from-russia-dprk-alliance"


def structured_data(response):
    match = re.search(
        r'<script type="application/ld\+json"[^>]*>(.*?)</script>', response.content.decode(), re.S
    )
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


def query_count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def article_with_quotes(count, **article_fields):
    """A published article quoting `count` claims by as many experts, each with role, topic
    and provision."""
    sentences = [f"Sentence number {i} says China matters." for i in range(count)]
    article = ArticleFactory(body="\n\n".join(sentences), **article_fields)
    for sentence in sentences:
        claim = ClaimFactory()
        AffiliationFactory(expert=claim.speaker)
        ClaimTopicFactory(claim=claim)
        ClaimProvisionFactory(claim=claim)
        QuoteFactory(claim=claim, article=article, text=sentence)
    return article


# /articles/


def test_list_shows_published_articles_newest_first(client):
    ArticleFactory(title="Older story", published_on=datetime.date(2023, 9, 1))
    ArticleFactory(title="Newer story", published_on=datetime.date(2024, 6, 20))
    content = client.get(reverse("articles:list")).content.decode()
    assert content.index("Newer story") < content.index("Older story")


def test_list_hides_drafts_and_articles_in_review(client):
    ArticleFactory(title="Public story")
    ArticleFactory(title="Draft story", status=PublicationStatus.DRAFT)
    ArticleFactory(title="Reviewed story", status=PublicationStatus.IN_REVIEW)
    content = client.get(reverse("articles:list")).content.decode()
    assert "Public story" in content
    assert "Draft story" not in content
    assert "Reviewed story" not in content


def test_list_shows_outlet_link_date_and_language(client):
    article = ArticleFactory(
        published_on=datetime.date(2024, 6, 1), published_precision=DatePrecision.MONTH
    )
    content = client.get(reverse("articles:list")).content.decode()
    assert f'href="{article.outlet.get_absolute_url()}">{article.outlet.name}</a>' in content
    assert '<time datetime="2024-06">June 2024</time>' in content
    assert "English" in content


def test_list_filters_by_outlet(client):
    wanted = ArticleFactory(title="From the wanted outlet")
    ArticleFactory(title="From another outlet")
    content = client.get(reverse("articles:list"), {"outlet": wanted.outlet.slug}).content
    assert b"From the wanted outlet" in content
    assert b"From another outlet" not in content


def test_list_filters_by_language(client):
    ArticleFactory(title="Ukrainian story", language="uk")
    ArticleFactory(title="English story", language="en")
    content = client.get(reverse("articles:list"), {"language": "uk"}).content
    assert b"Ukrainian story" in content
    assert b"English story" not in content


def test_list_paginates_and_keeps_filters_in_page_links(client):
    outlet = OutletFactory()
    ArticleFactory.create_batch(21, outlet=outlet)
    response = client.get(reverse("articles:list"), {"outlet": outlet.slug})
    assert len(response.context["page_obj"]) == 20
    assert f"?outlet={outlet.slug}&amp;page=2" in response.content.decode()
    second = client.get(reverse("articles:list"), {"outlet": outlet.slug, "page": 2})
    assert len(second.context["page_obj"]) == 1


def test_list_counts_only_quotes_of_published_claims(client):
    article = article_with_quotes(2)
    drafted = Quote.objects.filter(article=article).first().claim_id
    Claim.objects.filter(pk=drafted).update(status=PublicationStatus.DRAFT)
    content = client.get(reverse("articles:list")).content.decode()
    assert "1 quote" in content
    assert "2 quotes" not in content


def test_list_runs_the_same_queries_for_5_and_50_articles(client):
    ArticleFactory.create_batch(5)
    few = query_count(client, reverse("articles:list"))
    ArticleFactory.create_batch(45)
    assert query_count(client, reverse("articles:list")) == few


def test_list_query_count(client, django_assert_num_queries):
    ArticleFactory.create_batch(3)
    with django_assert_num_queries(3):  # count, page, outlets for the filter
        client.get(reverse("articles:list"))


# /articles/<slug>/


def test_demo_article_highlights_every_quote_with_its_id_and_claim_link(client, demo):
    article = Article.objects.get(slug=DEMO_ARTICLE)
    content = client.get(article.get_absolute_url()).content.decode()
    quotes = list(Quote.objects.filter(article=article))
    assert len(quotes) == 9
    for quote in quotes:
        assert (
            f'<mark class="quote-highlight" id="quote-{quote.pk}">'
            f'<a href="/claims/{quote.claim_id}/">'
        ) in content
    assert content.count('class="quote-highlight"') == len(quotes)


def test_demo_quote_card_link_lands_on_a_highlight(client, demo):
    quote = Quote.objects.filter(article__slug=DEMO_ARTICLE).first()
    path, fragment = quote.get_absolute_url().split("#")
    assert f'id="{fragment}"' in client.get(path).content.decode()


def test_detail_shows_outlet_date_byline_language_and_standfirst(client):
    article = ArticleFactory(
        byline="Victoria Grabovskaya",
        language="uk",
        standfirst="Why Beijing is uneasy.",
        published_on=datetime.date(2024, 6, 19),
    )
    content = client.get(article.get_absolute_url()).content.decode()
    assert f'<a href="{article.outlet.get_absolute_url()}">{article.outlet.name}</a>' in content
    assert '<time datetime="2024-06-19">19 June 2024</time>' in content
    assert "by Victoria Grabovskaya" in content
    assert "Ukrainian" in content
    assert 'lang="uk"' in content
    assert "Why Beijing is uneasy." in content


def test_detail_body_is_split_into_paragraphs(client):
    article = ArticleFactory(body="First paragraph.\n\nSecond paragraph.")
    content = client.get(article.get_absolute_url()).content.decode()
    assert "<p>First paragraph.</p>\n<p>Second paragraph.</p>" in content


def test_detail_escapes_markup_in_the_body(client):
    article = ArticleFactory(body="Before.\n\n<script>alert(1)</script> said the expert.")
    QuoteFactory(article=article, text="<script>alert(1)</script>")
    content = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_draft_article_is_404_for_anonymous(client):
    article = ArticleFactory(status=PublicationStatus.DRAFT)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_article_in_review_is_404_for_anonymous(client):
    article = ArticleFactory(status=PublicationStatus.IN_REVIEW)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_unknown_article_is_404(client):
    assert client.get(reverse("articles:detail", kwargs={"slug": "nope"})).status_code == 404


def test_staff_preview_draft_article_with_banner(editor_client):
    article = ArticleFactory(title="Unreleased story", status=PublicationStatus.DRAFT)
    response = editor_client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Unreleased story" in response.content.decode()
    assert 'class="preview-banner"' in response.content.decode()


def test_published_article_has_no_preview_banner(editor_client):
    article = ArticleFactory()
    assert b"preview-banner" not in editor_client.get(article.get_absolute_url()).content


def test_quote_of_a_draft_claim_is_not_highlighted_for_anonymous(client):
    quote = QuoteFactory(claim=ClaimFactory(status=PublicationStatus.DRAFT))
    content = client.get(quote.article.get_absolute_url()).content.decode()
    assert f'id="quote-{quote.pk}"' not in content
    assert "China has the leverage to stop it" in content


def test_quote_of_a_draft_claim_is_highlighted_for_staff(editor_client):
    quote = QuoteFactory(claim=ClaimFactory(status=PublicationStatus.DRAFT))
    content = editor_client.get(quote.article.get_absolute_url()).content.decode()
    assert f'id="quote-{quote.pk}"' in content


def test_side_panel_lists_quoted_experts_with_role_at_the_time(client):
    quote = QuoteFactory()
    expert = quote.claim.speaker
    AffiliationFactory(
        expert=expert,
        role_title="Former adviser",
        organization__name="Old Ministry",
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2015, 1, 1),
    )
    AffiliationFactory(expert=expert, role_title="Head", organization__name="Legal Centre")
    content = client.get(quote.article.get_absolute_url()).content.decode()
    assert f'href="{expert.get_absolute_url()}">{expert.display_name}</a>' in content
    assert "Head, Legal Centre" in content
    assert "Former adviser" not in content


def test_side_panel_lists_each_expert_once(client):
    article = ArticleFactory(body="One thing. Another thing.")
    expert = ExpertFactory(display_name="Only Once")
    QuoteFactory(article=article, claim=ClaimFactory(speaker=expert), text="One thing.")
    QuoteFactory(article=article, claim=ClaimFactory(speaker=expert), text="Another thing.")
    content = client.get(article.get_absolute_url()).content.decode()
    assert content.count(">Only Once</a>") == 1


def test_expert_quoted_only_in_a_draft_claim_is_not_listed(client):
    quote = QuoteFactory(claim=ClaimFactory(status=PublicationStatus.DRAFT))
    content = client.get(quote.article.get_absolute_url()).content.decode()
    assert quote.claim.speaker.display_name not in content


def test_side_panel_links_article_topics_and_quoted_claims_topics(client):
    filed = TopicFactory(title="Filed topic")
    quote = QuoteFactory(article=ArticleFactory(topics=[filed]))
    claimed = ClaimTopicFactory(claim=quote.claim, topic__title="Claimed topic").topic
    content = client.get(quote.article.get_absolute_url()).content.decode()
    assert f'<a href="{filed.get_absolute_url()}">Filed topic</a>' in content
    assert f'<a href="{claimed.get_absolute_url()}">Claimed topic</a>' in content


def test_side_panel_shows_provisions_of_quoted_claims_as_chips(client):
    quote = QuoteFactory()
    provision = ProvisionFactory(number="Article 4", treaty__short_name="RU–DPRK Treaty (2024)")
    ClaimProvisionFactory(claim=quote.claim, provision=provision)
    ClaimProvisionFactory(
        claim=ClaimFactory(speaker=quote.claim.speaker),
        provision=provision,
        relation=ClaimProvision.Relation.INVOKES,
    )
    content = client.get(quote.article.get_absolute_url()).content.decode()
    assert (
        f'<a class="chip" href="{provision.get_absolute_url()}">RU–DPRK Treaty (2024), Art. 4</a>'
    ) in content
    assert content.count('class="chip"') == 1


def test_provisions_of_draft_claims_are_hidden_from_anonymous(client):
    quote = QuoteFactory(claim=ClaimFactory(status=PublicationStatus.DRAFT))
    ClaimProvisionFactory(claim=quote.claim, provision__treaty__short_name="Secret Treaty")
    assert b"Secret Treaty" not in client.get(quote.article.get_absolute_url()).content


def test_side_panel_links_the_source_when_known(client):
    article = ArticleFactory(source_url="https://24tv.ua/story")
    content = client.get(article.get_absolute_url()).content.decode()
    assert 'href="https://24tv.ua/story"' in content


def test_side_panel_has_no_source_link_without_source_url(client):
    article = ArticleFactory(source_url="")
    assert b"Read the original" not in client.get(article.get_absolute_url()).content


def test_translations_list_original_and_siblings_but_not_itself_or_drafts(client):
    original = ArticleFactory(title="Original story", language="uk")
    this = ArticleFactory(title="This translation", language="en", translation_of=original)
    ArticleFactory(title="Russian sibling", language="ru", translation_of=original)
    ArticleFactory(title="Draft sibling", translation_of=original, status=PublicationStatus.DRAFT)
    ArticleFactory(title="Unrelated story")
    panel = client.get(this.get_absolute_url()).content.decode().split("In other languages")[1]
    assert f'<a href="{original.get_absolute_url()}" hreflang="uk" lang="uk">' in panel
    assert "Russian sibling" in panel
    assert "This translation" not in panel
    assert "Draft sibling" not in panel
    assert "Unrelated story" not in panel


def test_original_lists_its_translations(client):
    original = ArticleFactory(language="uk")
    translation = ArticleFactory(title="English version", translation_of=original)
    content = client.get(original.get_absolute_url()).content.decode()
    assert f'href="{translation.get_absolute_url()}" hreflang="en"' in content


def test_article_without_translations_has_no_languages_section(client):
    article = ArticleFactory()
    assert b"In other languages" not in client.get(article.get_absolute_url()).content


def test_json_ld_is_a_news_article(client):
    article = ArticleFactory(
        title="Risks for China",
        byline="Victoria Grabovskaya",
        published_on=datetime.date(2024, 6, 1),
        published_precision=DatePrecision.MONTH,
        language="en",
    )
    data = structured_data(client.get(article.get_absolute_url()))
    url = f"http://testserver{article.get_absolute_url()}"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Risks for China"
    assert data["datePublished"] == "2024-06"
    assert data["author"] == {"@type": "Person", "name": "Victoria Grabovskaya"}
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"] == article.outlet.name
    assert data["inLanguage"] == "en"
    assert data["url"] == url
    assert data["mainEntityOfPage"]["@id"] == url


def test_json_ld_has_no_author_without_byline(client):
    article = ArticleFactory(byline="")
    assert "author" not in structured_data(client.get(article.get_absolute_url()))


def test_detail_sets_title_description_and_open_graph(client):
    article = ArticleFactory(title="Risks for China", standfirst="Why Beijing is uneasy.")
    content = client.get(article.get_absolute_url()).content.decode()
    assert "<title>Risks for China ·" in content
    assert '<meta name="description" content="Why Beijing is uneasy.">' in content
    assert '<meta property="og:type" content="article">' in content


def test_detail_runs_the_same_queries_for_5_and_50_quotes(client):
    few = query_count(client, article_with_quotes(5).get_absolute_url())
    many = query_count(client, article_with_quotes(50).get_absolute_url())
    assert few == many


def test_detail_query_count(client, django_assert_num_queries):
    article = article_with_quotes(3)
    # article, quotes with claims and speakers, affiliations, topics, provisions, translations
    with django_assert_num_queries(6):
        client.get(article.get_absolute_url())


# /outlets/<slug>/


def test_outlet_shows_name_country_and_home_link(client):
    outlet = OutletFactory(name="24 Channel", country="UA", home_url="https://24tv.ua/")
    ArticleFactory(outlet=outlet)
    content = client.get(outlet.get_absolute_url()).content.decode()
    assert "<h1>24 Channel</h1>" in content
    assert "UA" in content
    assert 'href="https://24tv.ua/"' in content


@pytest.mark.parametrize(
    "status", [PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW, PublicationStatus.WITHDRAWN]
)
def test_outlet_without_a_published_article_has_no_page_for_readers(client, status):
    outlet = OutletFactory()
    ArticleFactory(outlet=outlet, status=status)

    assert client.get(outlet.get_absolute_url()).status_code == 404


def test_staff_preview_the_page_of_an_outlet_without_a_published_article(contributor_client):
    outlet = OutletFactory(name="Brand New Outlet")

    response = contributor_client.get(outlet.get_absolute_url())

    assert response.status_code == 200
    assert "Brand New Outlet" in response.content.decode()


def test_outlet_lists_its_published_articles_only(client):
    outlet = OutletFactory()
    ArticleFactory(outlet=outlet, title="Published here")
    ArticleFactory(outlet=outlet, title="Drafted here", status=PublicationStatus.DRAFT)
    ArticleFactory(title="Published elsewhere")
    content = client.get(outlet.get_absolute_url()).content.decode()
    assert "Published here" in content
    assert "Drafted here" not in content
    assert "Published elsewhere" not in content


def test_outlet_articles_are_paginated(client):
    outlet = OutletFactory()
    ArticleFactory.create_batch(21, outlet=outlet)
    response = client.get(outlet.get_absolute_url(), {"page": 2})
    assert len(response.context["page_obj"]) == 1
    assert b'rel="prev"' in response.content


def test_outlet_lists_quoted_experts_once_with_claim_counts(client):
    article = ArticleFactory(body="One thing. Another thing. A third.")
    expert = ExpertFactory(display_name="Often Quoted")
    QuoteFactory(article=article, claim=ClaimFactory(speaker=expert), text="One thing.")
    QuoteFactory(article=article, claim=ClaimFactory(speaker=expert), text="Another thing.")
    QuoteFactory(article=article, claim=ClaimFactory(speaker=expert), text="A third.")
    content = client.get(article.outlet.get_absolute_url()).content.decode()
    assert content.count(">Often Quoted</a>") == 1
    assert "3 claims" in content


def test_outlet_experts_exclude_draft_claims_and_other_outlets(client):
    article = ArticleFactory()
    QuoteFactory(
        article=article,
        claim=ClaimFactory(speaker__display_name="Draft Speaker", status=PublicationStatus.DRAFT),
    )
    QuoteFactory(claim=ClaimFactory(speaker__display_name="Elsewhere Speaker"))
    draft_article = ArticleFactory(outlet=article.outlet, status=PublicationStatus.DRAFT)
    QuoteFactory(
        article=draft_article, claim=ClaimFactory(speaker__display_name="Unpublished Source")
    )
    content = client.get(article.outlet.get_absolute_url()).content.decode()
    assert "Draft Speaker" not in content
    assert "Elsewhere Speaker" not in content
    assert "Unpublished Source" not in content


def test_unknown_outlet_is_404(client):
    assert client.get(reverse("articles:outlet", kwargs={"slug": "nope"})).status_code == 404


def test_outlet_runs_the_same_queries_for_5_and_50_quoted_experts(client):
    outlet = OutletFactory()
    few = article_with_quotes(5, outlet=outlet)
    count = query_count(client, few.outlet.get_absolute_url())
    article_with_quotes(45, outlet=outlet)
    ArticleFactory.create_batch(30, outlet=outlet)
    assert query_count(client, outlet.get_absolute_url()) == count


def test_outlet_query_count(client, django_assert_num_queries):
    article = article_with_quotes(3)
    with django_assert_num_queries(4):  # outlet, article count, article page, experts
        client.get(article.outlet.get_absolute_url())
