import pytest
from django.db import connection
from django.urls import reverse
from pytest_django.asserts import assertContains

from experts.models import Expert
from tests.admin_helpers import form_data, listed
from tests.factories import ExpertFactory, NameVariantFactory

ADD_URL = "admin:experts_expert_add"


@pytest.fixture
def musienko(db):
    return ExpertFactory(display_name="Oleksandr Musienko", slug="oleksandr-musienko")


def add_expert(client, display_name, slug, variants=(), **extra):
    """POST the admin's add form as a browser would, with `variants` typed in the inline."""
    url = reverse(ADD_URL)
    data = form_data(client.get(url))
    data |= {"display_name": display_name, "slug": slug, "country": "UA", **extra}
    data["name_variants-TOTAL_FORMS"] = str(len(variants))
    for index, name in enumerate(variants):
        data[f"name_variants-{index}-name"] = name
    return client.post(url, data)


def test_add_form_hides_the_different_person_box_until_needed(editor_client):
    response = editor_client.get(reverse(ADD_URL))

    assert response.context["adminform"].form["different_person"].is_hidden


def test_add_form_refuses_a_probable_duplicate_on_first_save(editor_client, musienko):
    response = add_expert(editor_client, "Олександр Мусієнко", "oleksandr-musiienko")

    assert response.status_code == 200
    assert Expert.objects.count() == 1


def test_duplicate_warning_links_the_candidates(editor_client, musienko):
    response = add_expert(editor_client, "Alexander Musiienko", "alexander-musiienko")

    assertContains(response, "This expert probably exists already")
    assertContains(response, reverse("admin:experts_expert_change", args=[musienko.pk]))


def test_duplicate_warning_shows_the_different_person_box(editor_client, musienko):
    response = add_expert(editor_client, "Alexander Musiienko", "alexander-musiienko")

    assert not response.context["adminform"].form["different_person"].is_hidden


def test_a_typed_name_variant_can_reveal_a_duplicate(editor_client, musienko):
    response = add_expert(editor_client, "O. M.", "o-m", variants=["Александр Мусиенко"])

    assertContains(response, "This expert probably exists already")
    assert Expert.objects.count() == 1


def test_a_variant_marked_for_deletion_does_not_count(editor_client, musienko):
    response = add_expert(
        editor_client,
        "Vadym Fesenko",
        "vadym-fesenko",
        variants=["Александр Мусиенко"],
        **{"name_variants-0-DELETE": "on"},
    )

    assert response.status_code == 302


def test_duplicate_is_found_through_an_existing_name_variant(editor_client):
    expert = ExpertFactory(display_name="O. Musienko")
    NameVariantFactory(expert=expert, name="Oleksandr Musiienko")

    response = add_expert(editor_client, "Олександр Мусієнко", "oleksandr-musiienko")

    assertContains(response, reverse("admin:experts_expert_change", args=[expert.pk]))


def test_confirmed_different_person_is_saved(editor_client, musienko):
    response = add_expert(
        editor_client, "Oleksandr Musiienko", "oleksandr-musiienko", different_person="on"
    )

    assert response.status_code == 302
    assert Expert.objects.filter(slug="oleksandr-musiienko").exists()


def test_name_without_a_probable_duplicate_saves_at_once(editor_client, musienko):
    response = add_expert(editor_client, "Volodymyr Fesenko", "volodymyr-fesenko")

    assert response.status_code == 302


def test_change_form_does_not_warn_about_the_expert_itself(editor_client, musienko):
    url = reverse("admin:experts_expert_change", args=[musienko.pk])
    data = form_data(editor_client.get(url)) | {"bio": "Military lawyer."}

    response = editor_client.post(url, data)

    assert response.status_code == 302


def test_changelist_search_matches_another_transliteration(editor_client, musienko):
    ExpertFactory(display_name="Volodymyr Fesenko")

    assert listed(editor_client, "experts.expert", q="Musiienko") == {musienko}


def test_changelist_search_matches_across_scripts(editor_client, musienko):
    assert listed(editor_client, "experts.expert", q="Мусієнко") == {musienko}


def test_changelist_search_keeps_matching_part_of_a_name(editor_client, musienko):
    assert listed(editor_client, "experts.expert", q="Musi") == {musienko}


def test_changelist_search_does_not_confuse_similar_surnames(editor_client, musienko):
    fesenko = ExpertFactory(display_name="Volodymyr Fesenko")

    assert listed(editor_client, "experts.expert", q="Fesenko") == {fesenko}


def test_speaker_autocomplete_matches_another_transliteration(editor_client, musienko):
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Мусиенко",
            "app_label": "claims",
            "model_name": "claim",
            "field_name": "speaker",
        },
    )

    assert [row["text"] for row in response.json()["results"]] == ["Oleksandr Musienko"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm similarity")
@pytest.mark.parametrize("typed", ["Oleksandr Musienk", "Oleksander Muschienko"])
def test_a_misspelling_the_key_rules_miss_still_warns_by_trigram_similarity(
    editor_client, musienko, typed
):
    response = add_expert(editor_client, typed, "typed-name")

    assertContains(response, "This expert probably exists already")
    assert not Expert.objects.filter(slug="typed-name").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm similarity")
def test_a_different_surname_with_the_same_given_name_does_not_warn(editor_client, musienko):
    response = add_expert(editor_client, "Oleksandr Kovalenko", "oleksandr-kovalenko")

    assert response.status_code == 302
