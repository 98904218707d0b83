from io import StringIO

import pytest
from django.core.management import call_command

from experts.models import Expert
from experts.names import name_key
from tests.factories import ExpertFactory, NameVariantFactory

SAME_PERSON = [
    ("Oleksandr", "Alexander"),
    ("Oleksandr", "Aleksandr"),
    ("Oleksandr", "Olexandr"),
    ("Oleksandr", "Олександр"),
    ("Alexander", "Александр"),
    ("Musiienko", "Musienko"),
    ("Musiienko", "Мусієнко"),
    ("Musienko", "Мусиенко"),
    ("Мусієнко", "Мусиенко"),
    ("Volodymyr", "Vladimir"),
    ("Vladimir", "Володимир"),
    ("Volodymyr", "Владимир"),
    ("Olha", "Olga"),
    ("Serhii", "Sergey"),
    ("Yurii", "Jurij"),
    ("Zelenskyy", "Зеленский"),
    ("Shevchenko", "Ševčenko"),
    ("Mykhailo", "Михаил"),
    ("Andrei Lankov", "Андрей Ланьков"),
    ("Oleksandr Musiienko", "Александр Мусиенко"),
    ("Oleksandr Musiienko", "MUSIENKO, Oleksandr"),
    ("Oleksandr Musiienko", "Олександр Володимирович Мусієнко"),
]

DIFFERENT_PEOPLE = [
    ("Musienko", "Fesenko"),
    ("Oleksandr Musienko", "Oleksii Musienko"),
    ("Volodymyr Fesenko", "Vadym Fesenko"),
    ("Andrei Lankov", "Andrei Lanko"),
    ("Olena", "Olha"),
]


@pytest.mark.parametrize("one, other", SAME_PERSON)
def test_spellings_of_one_name_share_a_key(one, other):
    assert name_key(one) == name_key(other)


@pytest.mark.parametrize("one, other", DIFFERENT_PEOPLE)
def test_different_names_keep_different_keys(one, other):
    assert name_key(one) != name_key(other)


def test_key_is_lower_case_latin_words_in_order():
    assert name_key("Олександр Мусієнко") == "musenko olexandr"


def test_two_word_name_keeps_a_word_ending_like_a_patronymic():
    assert name_key("Ivan Petrovych") == "ivan petrovic"


@pytest.mark.parametrize("name", ["", "   ", "—", "123"])
def test_name_without_letters_has_an_empty_key(name):
    assert name_key(name) == ""


@pytest.mark.django_db
def test_saving_an_expert_stores_the_key_of_its_display_name():
    expert = ExpertFactory(display_name="Олександр Мусієнко")

    assert Expert.objects.get(pk=expert.pk).name_key == "musenko olexandr"


@pytest.mark.django_db
def test_renaming_an_expert_with_update_fields_keeps_the_key_in_step():
    expert = ExpertFactory(display_name="Volodymyr Fesenko")
    expert.display_name = "Vadym Fesenko"
    expert.save(update_fields=["display_name"])

    expert.refresh_from_db()
    assert expert.name_key == name_key("Vadym Fesenko")


@pytest.mark.django_db
def test_saving_a_name_variant_stores_its_key():
    variant = NameVariantFactory(name="Мусиенко")

    variant.refresh_from_db()
    assert variant.name_key == "musenko"


@pytest.mark.django_db
def test_named_like_finds_an_expert_by_another_spelling_of_a_word():
    musienko = ExpertFactory(display_name="Oleksandr Musienko")
    ExpertFactory(display_name="Volodymyr Fesenko")

    assert list(Expert.objects.named_like("Musiienko")) == [musienko]


@pytest.mark.django_db
def test_named_like_finds_an_expert_by_a_name_variant():
    expert = ExpertFactory(display_name="O. Musienko")
    NameVariantFactory(expert=expert, name="Олександр Мусієнко")

    assert list(Expert.objects.named_like("Alexander Musienko")) == [expert]


@pytest.mark.django_db
def test_named_like_matches_whole_words_only():
    ExpertFactory(display_name="Oleksandr Musienko")

    assert not Expert.objects.named_like("Musi").exists()


@pytest.mark.django_db
def test_named_like_needs_every_word_in_one_name():
    expert = ExpertFactory(display_name="Oleksandr Musienko")
    NameVariantFactory(expert=expert, name="Fesenko")

    assert not Expert.objects.named_like("Oleksandr Fesenko").exists()


@pytest.mark.django_db
def test_probable_duplicates_match_the_display_name_or_a_variant_key():
    by_name = ExpertFactory(display_name="Oleksandr Musienko")
    by_variant = ExpertFactory(display_name="Vova Fesenko")
    NameVariantFactory(expert=by_variant, name="Volodymyr Fesenko")
    ExpertFactory(display_name="Oleksandr Fesenko")

    found = Expert.objects.probable_duplicates_of(["Олександр Мусієнко", "Vladimir Fesenko"])

    assert set(found) == {by_name, by_variant}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed",
    ["V. Fesenko", "В. Фесенко", "Fesenko", "Фесенка", "Фесенку", "Volodymyr Fesenko"],
)
def test_shortened_and_inflected_forms_are_probable_duplicates(typed):
    fesenko = ExpertFactory(display_name="Volodymyr Fesenko")
    ExpertFactory(display_name="Oleksandr Musiienko")

    assert list(Expert.objects.probable_duplicates_of([typed])) == [fesenko]


@pytest.mark.django_db
def test_initials_must_fit_the_known_names():
    ExpertFactory(display_name="Volodymyr Fesenko")

    assert not Expert.objects.probable_duplicates_of(["O. Fesenko"]).exists()


@pytest.mark.django_db
def test_a_surname_alone_warns_only_when_one_expert_bears_it():
    ExpertFactory(display_name="Volodymyr Fesenko")
    ExpertFactory(display_name="Oleksandr Fesenko")

    assert not Expert.objects.probable_duplicates_of(["Fesenko"]).exists()
    assert Expert.objects.probable_duplicates_of(["O. Fesenko"]).count() == 1


@pytest.mark.django_db
def test_find_duplicate_experts_lists_the_probable_pairs_and_changes_nothing():
    ExpertFactory(display_name="Oleksandr Musiienko", slug="oleksandr-musiienko")
    ExpertFactory(display_name="O. Musienko", slug="o-musienko")
    ExpertFactory(display_name="Александр Мусиенко", slug="aleksandr-musienko")
    ExpertFactory(display_name="Volodymyr Fesenko", slug="volodymyr-fesenko")
    out = StringIO()

    call_command("find_duplicate_experts", stdout=out)

    lines = out.getvalue().splitlines()
    assert (
        "Oleksandr Musiienko (oleksandr-musiienko)  ~  O. Musienko (o-musienko): "
        "initials and surname" in lines
    )
    assert (
        "Oleksandr Musiienko (oleksandr-musiienko)  ~  Александр Мусиенко (aleksandr-musienko): "
        "the same name in another spelling" in lines
    )
    assert lines[-1] == "3 probable duplicate pair(s) among 4 experts."
    assert Expert.objects.count() == 4
