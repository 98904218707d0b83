"""The search index stays current: every create, edit and delete of a searchable record, or of
a part of one, is searchable (or gone) straight after the write."""

import io

import pytest
from django.core.management import call_command

from claims.models import SearchEntry
from claims.search import results as search
from core.models import PublicationStatus
from experts.services import experts_merge, experts_merge_undo
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    ClaimTopicFactory,
    ExpertFactory,
    NameVariantFactory,
    ProvisionFactory,
    QuoteFactory,
    TopicFactory,
    TreatyFactory,
)

pytestmark = pytest.mark.django_db
Kind = SearchEntry.Kind


def found(text):
    return {(hit.kind, hit.object.pk) for hit in search.search(text).hits}


FACTORIES = {
    Kind.ARTICLE: (lambda word: ArticleFactory(title=f"Report on {word}"), "title"),
    Kind.CLAIM: (lambda word: ClaimFactory(summary=f"It is about {word}."), "summary"),
    Kind.PROVISION: (lambda word: ProvisionFactory(heading=f"On {word}"), "heading"),
    Kind.TOPIC: (
        lambda word: TopicFactory(title=f"The {word} question", question="Who decides?"),
        "title",
    ),
    Kind.TREATY: (lambda word: TreatyFactory(title=f"Treaty of {word}"), "title"),
}


@pytest.mark.parametrize("kind", list(FACTORIES))
def test_a_record_is_found_after_create_edit_and_not_after_delete(kind):
    make, field = FACTORIES[kind]
    record = make("zanzibar")
    assert (kind, record.pk) in found("zanzibar")

    setattr(record, field, getattr(record, field).replace("zanzibar", "kamchatka"))
    record.save()
    assert (kind, record.pk) not in found("zanzibar")
    assert (kind, record.pk) in found("kamchatka")

    pk = record.pk
    record.delete()
    assert (kind, pk) not in found("kamchatka")
    assert not SearchEntry.objects.filter(kind=kind, object_id=pk).exists()


def test_an_expert_is_found_after_create_edit_and_not_after_delete():
    expert = ExpertFactory(display_name="Ivan Zanzibarov", bio="Analyst.")
    ClaimFactory(speaker=expert)
    assert (Kind.EXPERT, expert.pk) in found("Zanzibarov")

    expert.bio = "Analyst of Kamchatka."
    expert.save()
    assert (Kind.EXPERT, expert.pk) in found("kamchatka")

    pk = expert.pk
    expert.claims.all().delete()
    expert.delete()
    assert not SearchEntry.objects.filter(kind=Kind.EXPERT, object_id=pk).exists()


def test_a_name_variant_added_edited_and_deleted_changes_what_finds_the_expert():
    expert = ExpertFactory(display_name="Ivan Petrov")
    claim = ClaimFactory(speaker=expert)

    variant = NameVariantFactory(expert=expert, name="Іван Зубрицький")
    assert (Kind.EXPERT, expert.pk) in found("Зубрицький")
    # The claim's entry carries its speaker's names too.
    assert (Kind.CLAIM, claim.pk) in found("Зубрицький")

    variant.name = "Іван Кравчук"
    variant.save()
    assert (Kind.EXPERT, expert.pk) not in found("Зубрицький")
    assert (Kind.EXPERT, expert.pk) in found("Кравчук")

    variant.delete()
    assert (Kind.EXPERT, expert.pk) not in found("Кравчук")


def test_a_quote_added_edited_and_deleted_changes_what_finds_its_claim():
    claim = ClaimFactory(summary="A neutral summary.")
    article = ArticleFactory(body="He said the archipelago matters. Later, the glacier melted.")

    quote = QuoteFactory(claim=claim, article=article, text="the archipelago matters")
    assert (Kind.CLAIM, claim.pk) in found("archipelago")

    quote.text = "the glacier melted"
    quote.anchor()
    quote.save()
    assert (Kind.CLAIM, claim.pk) not in found("archipelago")
    assert (Kind.CLAIM, claim.pk) in found("glacier")

    quote.delete()
    assert (Kind.CLAIM, claim.pk) not in found("glacier")


def test_publishing_and_withdrawing_show_and_hide_a_claim_and_its_speaker():
    expert = ExpertFactory(display_name="Ivan Zanzibarov")
    claim = ClaimFactory(speaker=expert, summary="Kamchatka matters.", status="draft")
    assert found("kamchatka") == set()
    assert found("Zanzibarov") == set()

    claim.status = PublicationStatus.PUBLISHED
    claim.save()
    assert (Kind.CLAIM, claim.pk) in found("kamchatka")
    assert (Kind.EXPERT, expert.pk) in found("Zanzibarov")

    claim.status = PublicationStatus.WITHDRAWN
    claim.save()
    assert found("kamchatka") == set()
    assert (Kind.EXPERT, expert.pk) not in found("Zanzibarov")


def test_unpublishing_an_article_hides_the_quotes_in_it():
    quote = QuoteFactory(text="China has the leverage to stop it")
    assert (Kind.CLAIM, quote.claim.pk) in found("leverage")

    quote.article.status = PublicationStatus.DRAFT
    quote.article.save()

    assert (Kind.CLAIM, quote.claim.pk) not in found("leverage")


def test_tagging_a_claim_with_a_topic_updates_the_topic_facet():
    claim = ClaimFactory(summary="Kamchatka matters.")
    topic = TopicFactory(title="Far East")

    link = ClaimTopicFactory(claim=claim, topic=topic)
    facets = search.search("kamchatka").facets["topic"]
    assert [(v.label, v.count) for v in facets] == [("Far East", 1)]

    link.delete()
    assert search.search("kamchatka").facets["topic"] == []


def test_filing_an_article_under_a_topic_updates_its_topic_facet():
    article = ArticleFactory(title="Kamchatka report")
    topic = TopicFactory(title="Far East")

    article.topics.add(topic)
    assert [v.label for v in search.search("kamchatka").facets["topic"]] == ["Far East"]

    article.topics.remove(topic)
    assert search.search("kamchatka").facets["topic"] == []


def test_renaming_a_treaty_updates_its_provisions():
    treaty = TreatyFactory(title="Treaty of Zanzibar", short_name="Zanzibar Treaty")
    provision = ProvisionFactory(treaty=treaty, heading="Borders")

    treaty.short_name = "Kamchatka Treaty"
    treaty.save()

    assert (Kind.PROVISION, provision.pk) in found("kamchatka borders")


def test_merging_experts_and_undoing_it_keep_their_entries_current():
    keep = ExpertFactory(display_name="Oleksandr Musienko")
    other = ExpertFactory(display_name="Zanzibar Person")
    moved = ClaimFactory(speaker=other, summary="Kamchatka matters.")

    merge = experts_merge(keep=keep, others=[other], user=None)
    assert (Kind.CLAIM, moved.pk) in found("kamchatka musienko")
    assert (Kind.EXPERT, keep.pk) in found("Zanzibar Person")

    experts_merge_undo(merge=merge, user=None)
    assert (Kind.CLAIM, moved.pk) not in found("kamchatka musienko")
    assert (Kind.EXPERT, other.pk) in found("Zanzibar Person")


def test_rebuilding_the_index_writes_the_same_entries():
    QuoteFactory(text="China has the leverage to stop it")
    NameVariantFactory(expert=ExpertFactory(), name="Іван Кравчук")
    before = sorted(
        SearchEntry.objects.values_list("kind", "object_id", "public", "title", "body", "extra")
    )

    SearchEntry.objects.all().delete()
    call_command("reindex_search", stdout=io.StringIO(), stderr=io.StringIO())

    after = sorted(
        SearchEntry.objects.values_list("kind", "object_id", "public", "title", "body", "extra")
    )
    assert after == before


def test_reindex_search_refuses_an_unknown_kind():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unknown kind"):
        call_command("reindex_search", "quotes")


def test_a_failed_write_leaves_the_index_as_it_was():
    from django.db import transaction

    article = ArticleFactory(title="Zanzibar report")
    with pytest.raises(RuntimeError), transaction.atomic():
        article.title = "Kamchatka report"
        article.save()
        raise RuntimeError("the request failed after the save")

    assert (Kind.ARTICLE, article.pk) in found("zanzibar")
    assert found("kamchatka") == set()
