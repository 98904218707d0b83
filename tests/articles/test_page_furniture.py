"""Saved page text as newsroom sites give it: skip links, advertisement labels, reading times,
trust boxes, "Read also" and subscribe lines, photo credits, several authors, single newlines
between paragraphs and headlines ending in a full stop. Texts written for these tests."""

from articles.imports.text import clean_page

ENGLISH = """Skip to main content

Advertisement

China stays silent as Moscow and Pyongyang seal a defence pact.

By Jane Doe and John Roe

Reading Time: 3 minutes

Why you can trust SCMP

Beijing has said little about the treaty signed on June 19, which commits Russia and North \
Korea to aid each other if either is attacked.

(AP Photo/Ahn Young-joon)

“China has the leverage to stop it, but not the will,” said Andrei Lankov, a professor at \
Kookmin University in Seoul.

Advertisement

Read also: Seoul summons the Russian ambassador

Analysts expect Beijing to keep its distance in public while trade across the border grows.

Share this article

Subscribe to our newsletter"""


def test_an_english_page_keeps_the_story_and_drops_the_furniture():
    page = clean_page(ENGLISH)

    assert page.title == "China stays silent as Moscow and Pyongyang seal a defence pact."
    assert page.byline == "Jane Doe and John Roe"
    assert page.body.split("\n\n") == [
        "Beijing has said little about the treaty signed on June 19, which commits Russia and "
        "North Korea to aid each other if either is attacked.",
        "“China has the leverage to stop it, but not the will,” said Andrei Lankov, a professor "
        "at Kookmin University in Seoul.",
        "Analysts expect Beijing to keep its distance in public while trade across the border "
        "grows.",
    ]
    dropped = [text for _, text in page.removed]
    assert "Advertisement" in dropped
    assert "Read also: Seoul summons the Russian ambassador" in dropped
    assert "(AP Photo/Ahn Young-joon)" in dropped


# Copied with single newlines between paragraphs, as many Ukrainian sites' text comes out.
UKRAINIAN = """Перейти до основного змісту
Мусієнко: Китай не підтримає договір Путіна і Кіма відкрито
Автори: Олена Коваль і Ігор Бондар
Час читання: 2 хв
Військовий експерт Олександр Мусієнко вважає, що Пекін не ризикуватиме санкціями заради \
Пхеньяна.
Фото: Getty Images
«Китай не буде відкрито підтримувати цей договір», — сказав він в ефірі.
Читайте також: Зеленський відреагував на візит Путіна до КНДР
Підписуйтесь на наш Telegram-канал
Експерт додав, що Китай уважно стежить за співпрацею Москви і Пхеньяна."""


def test_a_ukrainian_page_with_single_newlines_gets_its_paragraphs_and_byline():
    page = clean_page(UKRAINIAN)

    assert page.title == "Мусієнко: Китай не підтримає договір Путіна і Кіма відкрито"
    assert page.byline == "Олена Коваль і Ігор Бондар"
    assert page.body.split("\n\n") == [
        "Військовий експерт Олександр Мусієнко вважає, що Пекін не ризикуватиме санкціями "
        "заради Пхеньяна.",
        "«Китай не буде відкрито підтримувати цей договір», — сказав він в ефірі.",
        "Експерт додав, що Китай уважно стежить за співпрацею Москви і Пхеньяна.",
    ]


RUSSIAN = """Реклама

Фесенко: договор Москвы и Пхеньяна — это военный союз.

Время чтения: 4 мин

Политолог Владимир Фесенко считает, что «договор — это военный союз двух режимов, а не \
декларация».

Фото: РИА Новости

По его словам, Китай не заинтересован в эскалации на Корейском полуострове.

Поделиться"""


def test_a_russian_page_with_a_full_stop_headline_keeps_only_the_story():
    page = clean_page(RUSSIAN)

    assert page.title == "Фесенко: договор Москвы и Пхеньяна — это военный союз."
    assert page.body.split("\n\n") == [
        "Политолог Владимир Фесенко считает, что «договор — это военный союз двух режимов, "
        "а не декларация».",
        "По его словам, Китай не заинтересован в эскалации на Корейском полуострове.",
    ]


def test_a_story_sentence_mentioning_advertising_is_kept():
    story = (
        "The treaty also bans advertisement of foreign military aid, the text says.\n\n"
        "It enters into force once both sides ratify it."
    )

    page = clean_page(f"Treaty text published\n\n{story}")

    assert page.body == story
