"""Every record keeps its versions: who changed what and when, read as field-by-field changes."""

import datetime

import pytest

from claims.models import ClaimProvision, Stance
from core.history import REASON_LENGTH, changes_between, revert_reason, text_diff
from core.services import save_stamped
from tests.factories import (
    AffiliationFactory,
    ArticleFactory,
    ClaimFactory,
    ClaimProvisionFactory,
    ClaimTopicFactory,
    ExpertFactory,
    NameVariantFactory,
    OrganizationFactory,
    OutletFactory,
    ProvisionFactory,
    QuoteFactory,
    TopicFactory,
    TreatyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# (factory, a field, a new value for it): one row per recorded model.
EDITS = [
    (OutletFactory, "name", "Kyiv Independent"),
    (ArticleFactory, "title", "A new headline"),
    (ExpertFactory, "display_name", "Oleksandr Musiienko"),
    (NameVariantFactory, "name", "Олександр Мусієнко"),
    (OrganizationFactory, "name", "Centre for Military and Legal Studies"),
    (AffiliationFactory, "role_title", "Director"),
    (ClaimFactory, "summary", "Beijing will tolerate the pact."),
    (ClaimTopicFactory, "stance", Stance.YES),
    (ClaimProvisionFactory, "relation", ClaimProvision.Relation.DISPUTES),
    (QuoteFactory, "text", "Nobody knows what comes next."),
    (TopicFactory, "title", "China and the pact"),
    (TreatyFactory, "title", "Treaty on Comprehensive Strategic Partnership"),
    (ProvisionFactory, "heading", "Military assistance"),
]


def model_name(edit):
    return edit[0]._meta.model.__name__


@pytest.mark.parametrize("factory, field, value", EDITS, ids=[model_name(e) for e in EDITS])
def test_creating_a_record_records_a_first_version(factory, field, value):
    record = factory()

    assert record.history.get().history_type == "+"


@pytest.mark.parametrize("factory, field, value", EDITS, ids=[model_name(e) for e in EDITS])
def test_saving_a_record_records_a_version_with_its_user_and_value(factory, field, value):
    record = factory()
    user = UserFactory()
    setattr(record, field, value)

    save_stamped(record, user=user)

    latest = record.history.latest()
    assert (latest.history_type, latest.history_user) == ("~", user)
    assert getattr(latest, field) == value


@pytest.mark.parametrize("factory, field, value", EDITS, ids=[model_name(e) for e in EDITS])
def test_deleting_a_record_records_a_last_version(factory, field, value):
    record = factory()
    pk = record.pk

    record.delete()

    assert record.history.model.objects.filter(id=pk).latest().history_type == "-"


def test_a_version_keeps_the_article_topics():
    article = ArticleFactory()
    topic = TopicFactory(title="Sanctions")

    article.topics.add(topic)

    assert list(article.history.latest().topics.values_list("topic", flat=True)) == [topic.pk]


def test_changing_the_article_topics_shows_as_a_change_of_topics():
    article = ArticleFactory(topics=[TopicFactory(title="Sanctions")])
    before = article.history.latest()

    article.topics.add(TopicFactory(title="Arms trade"))

    [change] = changes_between(type(article), before, article.history.latest())
    assert (change.label, change.old, change.new) == (
        "Topics",
        "Sanctions",
        "Arms trade, Sanctions",
    )


def changes_of_last_save(record, **values):
    before = record.history.latest()
    for field, value in values.items():
        setattr(record, field, value)
    save_stamped(record)
    return changes_between(type(record), before, record.history.latest())


def test_changes_name_fields_by_their_verbose_name():
    claim = ClaimFactory()

    [change] = changes_of_last_save(claim, made_on=datetime.date(2024, 7, 1))

    assert change.label == "Date made"


def test_changes_show_choice_labels():
    link = ClaimTopicFactory(stance=Stance.NO)

    [change] = changes_of_last_save(link, stance=Stance.MIXED)

    assert (change.old, change.new) == ("No", "Mixed")


def test_changes_show_a_link_as_the_linked_record():
    claim = ClaimFactory(speaker=ExpertFactory(display_name="Andrei Lankov"))

    [change] = changes_of_last_save(claim, speaker=ExpertFactory(display_name="Fyodor Tertitskiy"))

    assert (change.label, change.old, change.new) == (
        "Speaker",
        "Andrei Lankov",
        "Fyodor Tertitskiy",
    )


def test_changes_name_a_deleted_linked_record():
    link = ClaimTopicFactory(topic=TopicFactory(title="Old topic"))
    before = link.history.latest()
    old_topic = link.topic
    link.topic = TopicFactory(title="New topic")
    save_stamped(link)
    old_topic_pk = old_topic.pk
    old_topic.delete()

    [change] = changes_between(type(link), before, link.history.latest())

    assert change.old == f"topic #{old_topic_pk} (deleted)"


def test_changes_leave_out_the_stamps():
    expert = ExpertFactory()

    changes = changes_of_last_save(expert, bio="Studies the region and the pact.")

    assert [change.field for change in changes] == ["bio"]


def test_a_short_text_change_is_shown_whole_without_a_diff():
    expert = ExpertFactory(display_name="Oleksandr Musienko")

    [change] = changes_of_last_save(expert, display_name="Oleksandr Musiienko")

    assert (change.old, change.new, change.diff) == (
        "Oleksandr Musienko",
        "Oleksandr Musiienko",
        None,
    )


def test_a_long_text_change_shows_the_changed_words():
    article = ArticleFactory()

    [change] = changes_of_last_save(
        article, body=article.body.replace("Nobody knows", "No one knows")
    )

    assert "<del>Nobody</del><ins>No one</ins> knows what comes next." in change.diff


def test_a_text_diff_keeps_only_some_context_around_a_change():
    unchanged = "The treaty was signed in Pyongyang after long talks. " * 20

    diff = text_diff(unchanged + "It binds both sides.", unchanged + "It binds all sides.")

    assert diff.startswith("…")
    assert len(diff) < 200


def test_a_text_diff_marks_whole_changed_paragraphs():
    diff = text_diff("First.\n\nSecond.", "First.\n\nSecond.\n\nThird paragraph.")

    assert diff.endswith("<ins>\n\nThird paragraph.</ins>")


def test_a_text_diff_compares_words_in_any_script():
    diff = text_diff("Мусієнко сказав, що Китай може.", "Мусієнко заявив, що Китай може.")

    assert diff == "Мусієнко <del>сказав</del><ins>заявив</ins>, що Китай може."


def test_a_text_diff_escapes_the_texts():
    diff = text_diff("<b>bold</b> claim", "<script>alert(1)</script> claim")

    assert "<script>" not in diff
    assert "<b>" not in diff
    assert "<ins>script</ins>&gt;" in diff


def test_a_revert_reason_names_the_version_and_the_user():
    claim = ClaimFactory()
    version = claim.history.get()
    version.history_date = datetime.datetime(2024, 6, 20, 9, 30, tzinfo=datetime.UTC)

    reason = revert_reason(version, UserFactory(username="kateryna"))

    assert reason == "Reverted to version of 2024-06-20 12:30 by kateryna"


def test_a_revert_reason_fits_the_change_reason_column():
    version = ClaimFactory().history.get()

    reason = revert_reason(version, UserFactory(username="k" * 150))

    assert len(reason) == REASON_LENGTH
