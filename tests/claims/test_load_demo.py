import builtins
import io
import shutil
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import Article, Outlet
from claims.demo import REPORTED_MODELS, DemoDataError, load_demo
from claims.models import Claim, Provision, Quote, Topic, Treaty
from core.models import DatePrecision, PublicationStatus
from experts.models import Expert

pytestmark = pytest.mark.django_db


def load():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def loaded():
    load()


def local_models():
    """Every concrete model of the project's apps, history tables included."""
    return [
        model
        for label in ("articles", "experts", "claims")
        for model in apps.get_app_config(label).get_models()
    ]


def row_counts():
    return {model._meta.label: model.objects.count() for model in local_models()}


def updated_stamps():
    return {
        model._meta.label: dict(model.objects.values_list("pk", "updated"))
        for model in REPORTED_MODELS
        if any(field.name == "updated" for field in model._meta.fields)
    }


def test_creates_the_china_role_topic(loaded):
    topic = Topic.objects.get(slug="china-role")
    assert topic.question == "Will China let the Russia–DPRK alliance grow?"


def test_trilateral_exercises_sit_under_china_role(loaded):
    assert Topic.objects.get(slug="trilateral-exercises").parent.slug == "china-role"


def test_creates_the_two_outlets(loaded):
    assert set(Outlet.objects.values_list("slug", flat=True)) == {"24-channel", "rbc-ukraine"}


def test_articles_are_published_english_with_month_precision(loaded):
    assert set(Article.objects.values_list("status", "language", "published_precision")) == {
        (PublicationStatus.PUBLISHED, "en", DatePrecision.MONTH)
    }


def test_24_channel_article_has_its_title_and_byline(loaded):
    article = Article.objects.get(slug="why-china-does-not-benefit-from-russia-dprk-alliance")
    assert (article.title, article.byline) == (
        "There are risks: why China does not benefit from the Russia-DPRK alliance",
        "Victoria Grabovskaya",
    )


def test_article_bodies_have_no_site_text(loaded):
    for body in Article.objects.values_list("body", flat=True):
        assert "You may also like" not in body
        assert "Leave a Comment" not in body


def test_ru_dprk_treaty_lists_articles_1_to_23_in_order(loaded):
    treaty = Treaty.objects.get(slug="ru-dprk-2024")
    assert list(treaty.provisions.values_list("address", flat=True)) == [
        f"art_{n}" for n in range(1, 24)
    ]


def test_ru_dprk_article_4_carries_the_desk_summary(loaded):
    provision = Provision.objects.get(treaty__slug="ru-dprk-2024", address="art_4")
    assert provision.heading == "Military assistance in war"
    assert provision.text.startswith("If either party is attacked")
    assert provision.text_is_official is False


def test_comparison_treaties_have_their_key_article(loaded):
    assert set(
        Provision.objects.exclude(treaty__slug="ru-dprk-2024").values_list(
            "treaty__slug", "address"
        )
    ) == {
        ("cn-dprk-1961", "art_2"),
        ("ussr-dprk-1961", "art_1"),
        ("north-atlantic-treaty-1949", "art_5"),
        ("un-charter", "art_51"),
    }


def test_at_least_eight_published_claims(loaded):
    assert Claim.objects.published().count() >= 8


def test_at_least_three_claims_cite_article_4(loaded):
    provision = Provision.objects.get(treaty__slug="ru-dprk-2024", address="art_4")
    assert provision.claims.count() >= 3


def test_every_claim_has_a_quote(loaded):
    assert not Claim.objects.filter(quotes__isnull=True).exists()


def test_every_quote_is_an_exact_substring_of_its_article(loaded):
    for quote in Quote.objects.select_related("article"):
        assert quote.article.body[quote.start : quote.end] == quote.text


def test_predictions_are_pending(loaded):
    outcomes = set(
        Claim.objects.filter(kind=Claim.Kind.PREDICTION).values_list("outcome", flat=True)
    )
    assert outcomes == {Claim.Outcome.PENDING}


def test_claims_are_dated_by_their_article(loaded):
    for quote in Quote.objects.select_related("claim", "article"):
        assert (quote.claim.made_on, quote.claim.made_precision) == (
            quote.article.published_on,
            quote.article.published_precision,
        )


def test_creates_three_experts_with_name_variants(loaded):
    variants = {
        expert.slug: {variant.name for variant in expert.name_variants.all()}
        for expert in Expert.objects.prefetch_related("name_variants")
    }
    assert set(variants) == {"oleksandr-musienko", "volodymyr-fesenko", "oleksandr-kovalenko"}
    assert "Alexander Musienko" in variants["oleksandr-musienko"]
    assert "Vladimir Fesenko" in variants["volodymyr-fesenko"]
    assert "Alexander Kovalenko" in variants["oleksandr-kovalenko"]


def test_every_expert_has_a_current_role(loaded):
    for expert in Expert.objects.all():
        assert expert.role_on(None) is not None


def test_creates_no_users():
    load()
    assert not get_user_model().objects.exists()


def test_second_run_keeps_every_row_count():
    load()
    before = row_counts()
    load()
    assert row_counts() == before


def test_second_run_adds_no_history_rows():
    load()
    before = {label: count for label, count in row_counts().items() if ".Historical" in label}
    load()
    after = {label: count for label, count in row_counts().items() if ".Historical" in label}
    assert before and after == before


def test_second_run_keeps_updated_stamps():
    load()
    before = updated_stamps()
    load()
    assert updated_stamps() == before


def test_second_run_reports_nothing_created_or_updated():
    load()
    assert "Done: 0 created, 0 updated," in load()


def test_edited_record_is_brought_back_to_the_data():
    load()
    Topic.objects.filter(slug="china-role").update(question="Edited?")
    output = load()
    assert Topic.objects.get(slug="china-role").question == (
        "Will China let the Russia–DPRK alliance grow?"
    )
    assert "1 updated" in output


def test_reads_only_files_inside_the_project_demo_folder(monkeypatch):
    opened = []
    real_open = io.open

    def recording_open(file, *args, **kwargs):
        opened.append(Path(file).resolve() if isinstance(file, str | Path) else None)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", recording_open)
    monkeypatch.setattr(builtins, "open", recording_open)
    load()
    demo = (settings.BASE_DIR / "demo").resolve()
    libraries = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()}
    outside = [
        path
        for path in opened
        if path is not None
        and not path.is_relative_to(demo)
        and not any(path.is_relative_to(library) for library in libraries)
    ]
    assert any(path and path.is_relative_to(demo) for path in opened)
    assert outside == []


@pytest.fixture
def demo_copy(tmp_path):
    copy = tmp_path / "demo"
    shutil.copytree(settings.BASE_DIR / "demo", copy)
    return copy


def test_quote_missing_from_the_article_stops_the_load_and_writes_nothing(demo_copy):
    data = demo_copy / "knowledge.toml"
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("I doubt it.", "I doubt it very much."), encoding="utf-8")
    with pytest.raises(DemoDataError, match="not found"):
        load_demo(directory=demo_copy)
    assert not Outlet.objects.exists()


def test_seed_outside_the_demo_folder_is_refused(demo_copy):
    data = demo_copy / "knowledge.toml"
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace('"seeds/000_', '"../seeds/000_'), encoding="utf-8")
    with pytest.raises(DemoDataError, match="outside"):
        load_demo(directory=demo_copy)
