import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from core.models import PublicationStatus
from experts.models import Expert
from tests.factories import (
    AffiliationFactory,
    ClaimFactory,
    ExpertFactory,
    NameVariantFactory,
    OrganizationFactory,
)


def test_expert_slug_is_unique(db):
    ExpertFactory(slug="musienko")
    with pytest.raises(IntegrityError), transaction.atomic():
        ExpertFactory(slug="musienko")


def test_organization_slug_is_unique(db):
    OrganizationFactory(slug="cmlr")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationFactory(slug="cmlr")


def test_wikidata_id_is_unique_when_present(db):
    ExpertFactory(wikidata_id="Q12345")
    with pytest.raises(IntegrityError), transaction.atomic():
        ExpertFactory(wikidata_id="Q12345")


def test_wikidata_id_must_look_like_one(db):
    expert = ExpertFactory.build(wikidata_id="12345")
    with pytest.raises(ValidationError) as error:
        expert.full_clean()
    assert "wikidata_id" in error.value.message_dict


def test_name_variant_is_unique_per_expert(db):
    variant = NameVariantFactory(name="Alexander Musienko")
    with pytest.raises(IntegrityError), transaction.atomic():
        NameVariantFactory(expert=variant.expert, name="Alexander Musienko")


def test_affiliation_cannot_end_before_it_starts(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        AffiliationFactory(start_date=datetime.date(2024, 1, 1), end_date=datetime.date(2023, 1, 1))


def test_deleting_an_expert_with_claims_is_refused(db):
    claim = ClaimFactory()
    with pytest.raises(ProtectedError):
        claim.speaker.delete()
    assert Expert.objects.filter(pk=claim.speaker.pk).exists()


def test_matching_finds_experts_by_any_name_variant(db):
    musienko = ExpertFactory(display_name="Oleksandr Musienko")
    NameVariantFactory(expert=musienko, name="Олександр Мусієнко")
    NameVariantFactory(expert=musienko, name="Alexander Musienko")
    ExpertFactory(display_name="Volodymyr Fesenko")
    assert list(Expert.objects.matching("alexander")) == [musienko]
    assert list(Expert.objects.matching("Мусієнко")) == [musienko]


def test_role_on_a_date_is_the_affiliation_held_then(db):
    expert = ExpertFactory()
    AffiliationFactory(
        expert=expert,
        role_title="Researcher",
        start_date=datetime.date(2015, 1, 1),
        end_date=datetime.date(2019, 12, 31),
    )
    AffiliationFactory(expert=expert, role_title="Head", start_date=datetime.date(2020, 1, 1))
    assert expert.role_on(datetime.date(2018, 5, 1)).role_title == "Researcher"
    assert expert.role_on(datetime.date(2024, 6, 1)).role_title == "Head"
    assert expert.role_on(datetime.date(2010, 1, 1)) is None


def test_role_with_unknown_dates_covers_any_day(db):
    affiliation = AffiliationFactory(start_date=None, end_date=None)
    assert affiliation.expert.role_on(datetime.date(2024, 6, 1)) == affiliation


def test_with_affiliations_lists_current_roles_first_then_the_latest_ended(db):
    expert = ExpertFactory()
    older = AffiliationFactory(
        expert=expert,
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2015, 1, 1),
    )
    # Held since before the ended one below started: still listed first.
    current = AffiliationFactory(expert=expert, start_date=datetime.date(2012, 1, 1))
    later = AffiliationFactory(
        expert=expert,
        start_date=datetime.date(2016, 1, 1),
        end_date=datetime.date(2019, 1, 1),
    )

    (loaded,) = Expert.objects.filter(pk=expert.pk).with_affiliations()

    assert list(loaded.affiliations.all()) == [current, later, older]


def test_with_affiliations_gives_the_current_role_without_a_query_per_expert(
    db, django_assert_num_queries
):
    for _ in range(3):
        AffiliationFactory(expert=ExpertFactory())

    with django_assert_num_queries(2):  # the experts, their affiliations with organizations
        roles = [
            (expert.current_role.role_title, expert.current_role.organization.name)
            for expert in Expert.objects.with_affiliations()
        ]
    assert len(roles) == 3


def test_public_and_claim_counts_count_only_published_claims(db):
    expert = ExpertFactory()
    ClaimFactory(speaker=expert)
    ClaimFactory(speaker=expert, status=PublicationStatus.DRAFT)
    ClaimFactory(speaker=ExpertFactory(), status=PublicationStatus.DRAFT)

    assert [(e, e.claim_count) for e in Expert.objects.public().with_claim_counts()] == [
        (expert, 1)
    ]
