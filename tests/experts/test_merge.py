import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from claims.models import Claim
from experts import services
from experts.models import Affiliation, Expert, ExpertMerge, ExpertSlugRedirect, NameVariant
from experts.services import experts_merge, experts_merge_undo
from experts.signals import expert_records_moved
from tests.admin_helpers import changelist_url
from tests.factories import (
    AffiliationFactory,
    ClaimFactory,
    ExpertFactory,
    NameVariantFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def keep():
    expert = ExpertFactory(display_name="Oleksandr Musienko", slug="oleksandr-musienko")
    NameVariantFactory(expert=expert, name="Олександр Мусієнко")
    ClaimFactory(speaker=expert)
    return expert


@pytest.fixture
def other():
    expert = ExpertFactory(display_name="Alexander Musiienko", slug="alexander-musiienko")
    NameVariantFactory(expert=expert, name="Александр Мусиенко")
    NameVariantFactory(expert=expert, name="Олександр Мусієнко")
    AffiliationFactory(expert=expert)
    ClaimFactory(speaker=expert)
    return expert


def merge(keep, *others, user):
    return experts_merge(keep=keep, others=others, user=user)


def variant_names(expert):
    return set(expert.name_variants.values_list("name", flat=True))


# The merge


def test_merge_moves_the_claims(keep, other, editor):
    claims = set(Claim.objects.filter(speaker__in=[keep, other]))

    merge(keep, other, user=editor)

    assert set(keep.claims.all()) == claims


def test_merge_moves_the_affiliations(keep, other, editor):
    affiliation = other.affiliations.get()

    merge(keep, other, user=editor)

    assert list(keep.affiliations.all()) == [affiliation]


def test_merge_moves_name_variants_and_adds_the_display_name_once(keep, other, editor):
    merge(keep, other, user=editor)

    assert variant_names(keep) == {
        "Олександр Мусієнко",
        "Александр Мусиенко",
        "Alexander Musiienko",
    }


def test_merge_skips_a_display_name_the_kept_expert_already_has(keep, editor):
    other = ExpertFactory(display_name="олександр мусієнко")

    merge(keep, other, user=editor)

    assert variant_names(keep) == {"Олександр Мусієнко"}


def test_merge_deletes_the_merged_experts(keep, other, editor):
    merge(keep, other, user=editor)

    assert not Expert.objects.filter(pk=other.pk).exists()


def test_merge_takes_several_experts_at_once(keep, other, editor):
    third = ExpertFactory(display_name="O. Musienko")
    ClaimFactory(speaker=third)

    merge(keep, other, third, user=editor)

    assert keep.claims.count() == 3
    assert set(Expert.objects.all()) == {keep}


def test_merge_records_what_moved(keep, other, editor):
    claims = sorted(other.claims.values_list("pk", flat=True))
    affiliations = sorted(other.affiliations.values_list("pk", flat=True))
    # "Олександр Мусієнко" is one the kept expert has already: dropped, not moved.
    moved_variant = other.name_variants.get(name="Александр Мусиенко").pk

    record = merge(keep, other, user=editor)

    (entry,) = record.snapshot["experts"]
    assert (record.keep, record.merged_by, record.merged_names) == (
        keep,
        editor,
        "Alexander Musiienko",
    )
    assert entry["id"] == other.pk
    assert (entry["claims"], entry["affiliations"], entry["variants"]) == (
        claims,
        affiliations,
        [moved_variant],
    )
    assert entry["dropped_variants"] == ["Олександр Мусієнко"]
    assert set(keep.claims.values_list("pk", flat=True)) >= set(claims)


def test_merge_is_in_the_history_of_the_merged_expert(keep, other, editor):
    record = merge(keep, other, user=editor)

    deleted = Expert.history.filter(id=other.pk).latest("history_date")
    assert deleted.history_type == "-"
    assert deleted.history_user == editor
    assert deleted.history_change_reason == f"Merged into {keep} (merge #{record.pk})"


def test_merge_is_in_the_history_of_the_kept_expert(keep, other, editor):
    merge(keep, other, user=editor)

    latest = keep.history.latest("history_date")
    assert latest.history_change_reason.startswith("Merged in Alexander Musiienko")


def test_merge_is_in_the_history_of_each_moved_claim(keep, other, editor):
    claim = other.claims.get()

    merge(keep, other, user=editor)

    latest = claim.history.latest("history_date")
    assert (latest.speaker_id, latest.history_user) == (keep.pk, editor)


def test_merging_an_expert_into_itself_is_refused(keep, editor):
    with pytest.raises(ValidationError, match="into itself"):
        merge(keep, keep, user=editor)


def test_merging_nothing_is_refused(keep, editor):
    with pytest.raises(ValidationError):
        merge(keep, user=editor)


def test_merge_needs_the_right_to_delete_experts(keep, other):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_expert"))

    with pytest.raises(PermissionDenied):
        merge(keep, other, user=user)


def test_a_failure_mid_merge_changes_nothing(keep, other, editor, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    # Claims, affiliations and variants have moved by the time redirects are written.
    monkeypatch.setattr(services, "_move_redirects", fail)

    with pytest.raises(RuntimeError):
        merge(keep, other, user=editor)

    assert other.claims.count() == 1
    assert other.affiliations.count() == 1
    assert variant_names(other) == {"Александр Мусиенко", "Олександр Мусієнко"}
    assert variant_names(keep) == {"Олександр Мусієнко"}
    assert not ExpertMerge.objects.exists()


def test_merge_refuses_an_expert_with_records_it_cannot_move(keep, other, editor, monkeypatch):
    def still_there(expert):
        raise ValidationError(f"{expert} still has bylines, which a merge cannot move.")

    monkeypatch.setattr(services, "_check_nothing_left", still_there)

    with pytest.raises(ValidationError, match="bylines"):
        merge(keep, other, user=editor)

    assert Expert.objects.filter(pk=other.pk).exists()


# Redirects


def test_old_profile_address_redirects_permanently_to_the_kept_profile(client, keep, other):
    merge(keep, other, user=None)

    response = client.get(reverse("experts:detail", kwargs={"slug": "alexander-musiienko"}))

    assert response.status_code == 301
    assert response["Location"] == keep.get_absolute_url()


def test_profile_redirect_keeps_the_query_string(client, keep, other):
    merge(keep, other, user=None)

    url = reverse("experts:detail", kwargs={"slug": "alexander-musiienko"})
    response = client.get(url, {"page": "2"})

    assert response["Location"] == f"{keep.get_absolute_url()}?page=2"


def test_old_feed_address_redirects_permanently_to_the_kept_feed(client, keep, other):
    merge(keep, other, user=None)

    response = client.get(reverse("experts:feed", kwargs={"slug": "alexander-musiienko"}))

    assert response.status_code == 301
    assert response["Location"] == reverse("experts:feed", kwargs={"slug": keep.slug})


def test_old_address_of_an_expert_without_public_profile_is_not_found(client, editor):
    keep = ExpertFactory()
    other = ExpertFactory(slug="draft-only")
    merge(keep, other, user=editor)

    response = client.get(reverse("experts:detail", kwargs={"slug": "draft-only"}))

    assert response.status_code == 404


def test_unknown_address_is_still_not_found(client, keep):
    response = client.get(reverse("experts:detail", kwargs={"slug": "nobody"}))

    assert response.status_code == 404


def test_merging_the_kept_expert_again_carries_its_redirects_along(client, keep, other, editor):
    merge(keep, other, user=editor)
    final = ExpertFactory(slug="o-musienko")

    merge(final, keep, user=editor)

    response = client.get(reverse("experts:detail", kwargs={"slug": "alexander-musiienko"}))
    assert response["Location"] == final.get_absolute_url()


# Undo


def test_undo_brings_the_merged_expert_back_with_its_id_and_slug(keep, other, editor):
    record = merge(keep, other, user=editor)

    experts_merge_undo(merge=record, user=editor)

    restored = Expert.objects.get(pk=other.pk)
    assert (restored.slug, restored.display_name, restored.created) == (
        other.slug,
        other.display_name,
        other.created,
    )


def test_undo_moves_claims_and_affiliations_back(keep, other, editor):
    claim, affiliation = other.claims.get(), other.affiliations.get()
    record = merge(keep, other, user=editor)

    experts_merge_undo(merge=record, user=editor)

    assert list(Claim.objects.filter(speaker=other.pk)) == [claim]
    assert list(Affiliation.objects.filter(expert=other.pk)) == [affiliation]
    assert keep.claims.count() == 1


def test_undo_gives_back_the_name_variants(keep, other, editor):
    record = merge(keep, other, user=editor)

    experts_merge_undo(merge=record, user=editor)

    assert variant_names(keep) == {"Олександр Мусієнко"}
    assert set(NameVariant.objects.filter(expert=other.pk).values_list("name", flat=True)) == {
        "Александр Мусиенко",
        "Олександр Мусієнко",
    }


def test_undo_removes_the_redirects(client, keep, other, editor):
    record = merge(keep, other, user=editor)

    experts_merge_undo(merge=record, user=editor)

    assert not ExpertSlugRedirect.objects.exists()
    response = client.get(reverse("experts:detail", kwargs={"slug": other.slug}))
    assert response.status_code == 200


def test_undo_is_recorded(keep, other, editor):
    record = merge(keep, other, user=editor)

    experts_merge_undo(merge=record, user=editor)

    record.refresh_from_db()
    assert record.is_undone
    assert record.undone_by == editor
    restored = Expert.history.filter(id=other.pk).latest("history_date")
    assert restored.history_type == "+"


def test_undo_leaves_claims_reassigned_since_where_they_are(keep, other, editor):
    claim = other.claims.get()
    record = merge(keep, other, user=editor)
    someone_else = ExpertFactory()
    Claim.objects.filter(pk=claim.pk).update(speaker=someone_else)

    experts_merge_undo(merge=record, user=editor)

    claim.refresh_from_db()
    assert claim.speaker == someone_else


def test_undo_of_an_earlier_merge_after_a_later_one(keep, other, editor):
    claim = other.claims.get()
    first = merge(keep, other, user=editor)
    final = ExpertFactory(slug="o-musienko")
    merge(final, keep, user=editor)

    experts_merge_undo(merge=first, user=editor)

    claim.refresh_from_db()
    assert claim.speaker_id == other.pk
    assert final.claims.count() == 1


def test_undoing_twice_is_refused(keep, other, editor):
    record = merge(keep, other, user=editor)
    experts_merge_undo(merge=record, user=editor)

    with pytest.raises(ValidationError, match="already been undone"):
        experts_merge_undo(merge=record, user=editor)


def test_undo_is_refused_when_the_slug_was_given_away(keep, other, editor):
    record = merge(keep, other, user=editor)
    ExpertFactory(slug=other.slug)

    with pytest.raises(ValidationError, match="belongs to another expert"):
        experts_merge_undo(merge=record, user=editor)

    assert keep.claims.count() == 2
    assert not ExpertMerge.objects.get(pk=record.pk).is_undone


# Admin


def merge_action(client, *experts, follow=False, **extra):
    data = {"action": "merge_experts", "_selected_action": [e.pk for e in experts], **extra}
    return client.post(changelist_url("experts.expert"), data, follow=follow)


def test_merge_action_asks_which_expert_to_keep(editor_client, keep, other):
    response = merge_action(editor_client, keep, other)

    assert response.status_code == 200
    assert response.templates[0].name == "admin/experts/expert/merge_experts.html"
    assertContains(response, 'name="keep"', count=2)


def test_merge_action_merges_into_the_chosen_expert(editor_client, keep, other):
    response = merge_action(editor_client, keep, other, post="yes", keep=keep.pk)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:experts_expert_change", args=[keep.pk])
    assert not Expert.objects.filter(pk=other.pk).exists()


def test_merge_action_without_a_choice_asks_again(editor_client, keep, other):
    response = merge_action(editor_client, keep, other, post="yes")

    assertContains(response, "Choose the expert to keep.")
    assert Expert.objects.count() == 2


def test_merge_action_needs_two_experts(editor_client, keep):
    response = merge_action(editor_client, keep, follow=True)

    assertContains(response, "Select at least two experts")


def test_merge_action_is_offered_only_to_who_may_delete_experts(client, keep):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_expert", "change_expert"])
    )
    client.force_login(user)

    response = client.get(changelist_url("experts.expert"))

    assertNotContains(response, "merge_experts")


def test_editor_sees_the_merge_record(editor_client, keep, other, editor):
    record = merge(keep, other, user=editor)

    response = editor_client.get(reverse("admin:experts_expertmerge_change", args=[record.pk]))

    assertContains(response, "Undo merge")
    assertContains(response, "alexander-musiienko")


def test_undo_button_asks_for_confirmation(editor_client, keep, other, editor):
    record = merge(keep, other, user=editor)

    response = editor_client.get(reverse("admin:experts_expertmerge_undo", args=[record.pk]))

    assertContains(response, "Yes, undo the merge")
    assert not Expert.objects.filter(pk=other.pk).exists()


def test_undo_button_undoes_the_merge(editor_client, keep, other, editor):
    record = merge(keep, other, user=editor)

    response = editor_client.post(reverse("admin:experts_expertmerge_undo", args=[record.pk]))

    assert response.status_code == 302
    assert Expert.objects.filter(pk=other.pk).exists()


def test_refused_undo_is_reported_in_the_admin(editor_client, keep, other, editor):
    record = merge(keep, other, user=editor)
    ExpertFactory(slug=other.slug)

    response = editor_client.post(
        reverse("admin:experts_expertmerge_undo", args=[record.pk]), follow=True
    )

    assertContains(response, "The merge was not undone and nothing changed")


def test_merge_records_are_hidden_from_who_may_not_merge(client, keep, other, editor):
    record = merge(keep, other, user=editor)
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_expert"))
    client.force_login(user)

    response = client.post(reverse("admin:experts_expertmerge_undo", args=[record.pk]))

    assert response.status_code == 403
    assert not Expert.objects.filter(pk=other.pk).exists()


# What others learn of a merge


@pytest.fixture
def records_moved():
    sent = []

    def receiver(sender, expert_ids, **kwargs):
        sent.append(sorted(expert_ids))

    expert_records_moved.connect(receiver)
    yield sent
    expert_records_moved.disconnect(receiver)


def test_merge_says_the_kept_expert_received_records(keep, other, editor, records_moved):
    merge(keep, other, user=editor)

    assert records_moved == [[keep.pk]]


def test_undo_says_the_restored_experts_received_records(keep, other, editor, records_moved):
    record = merge(keep, other, user=editor)
    records_moved.clear()

    experts_merge_undo(merge=record, user=editor)

    assert records_moved == [[other.pk]]
