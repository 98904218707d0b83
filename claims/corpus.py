"""A synthetic knowledge base for load tests and benchmarks (`manage.py generate_corpus`).

`generate_corpus()` writes outlets in three languages, experts with their names in Latin and
Cyrillic spellings, topics, treaties with provisions, and articles whose bodies quote the
claims made in them: every quote is the body's text at its offsets, so the database trigger
that guards quotes accepts it. Text comes from small parallel word banks (Ukrainian, Russian,
English) drawn with Zipf weights, so some words are everywhere and some almost nowhere; a
claim's English summary says what its quote says.

The same options and `seed` give the same corpus. Rows are written with bulk_create in batches,
each batch in its own transaction with its search entries (bulk_create skips the signals that
keep the index current), so memory stays bounded whatever the size. Every generated record is
marked: its slug, or the slug of the record it belongs to, starts with PREFIX, which is how
`clear_corpus()` finds them without touching the demo data or an editor's work.
"""

import datetime
import random
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, reset_queries, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, Language, Outlet
from claims.models import (
    QUOTE_CONTEXT_LENGTH,
    Claim,
    ClaimProvision,
    ClaimTopic,
    Provision,
    Quote,
    SearchEntry,
    Stance,
    Topic,
    Treaty,
)
from claims.search import documents, index
from core.models import PUBLIC_STATUSES, DatePrecision, PublicationStatus
from experts.models import Affiliation, Expert, NameVariant, Organization
from experts.names import name_key

PREFIX = "corpus-"
DEFAULT_SEED = 2024
DEFAULT_BATCH_SIZE = 5000
# More quoted claims than this in one article would make bodies no newsroom writes.
MAX_CLAIMS_PER_ARTICLE = 200
# Expert entries are rebuilt this many at a time at the end: a prolific expert has many claims.
EXPERT_REFRESH_CHUNK = 50

UK, RU, EN = Language.UKRAINIAN.value, Language.RUSSIAN.value, Language.ENGLISH.value
COLUMN = {UK: 0, RU: 1, EN: 2}

# --- Word banks: one row per idea, in Ukrainian, Russian and English -------------------------
# The first rows of each bank are drawn most often (Zipf weights).

SUBJECTS = [
    ("Китай", "Китай", "China"),
    ("Пекін", "Пекин", "Beijing"),
    ("Росія", "Россия", "Russia"),
    ("Кремль", "Кремль", "the Kremlin"),
    ("Пхеньян", "Пхеньян", "Pyongyang"),
    ("Москва", "Москва", "Moscow"),
    ("Північна Корея", "Северная Корея", "North Korea"),
    ("КНДР", "КНДР", "the DPRK"),
    ("Захід", "Запад", "the West"),
    ("новий договір", "новый договор", "the new treaty"),
    ("військовий союз", "военный союз", "the military alliance"),
    ("Вашингтон", "Вашингтон", "Washington"),
    ("Сеул", "Сеул", "Seoul"),
    ("Євросоюз", "Евросоюз", "the European Union"),
    ("НАТО", "НАТО", "NATO"),
    ("Токіо", "Токио", "Tokyo"),
    ("китайське керівництво", "китайское руководство", "the Chinese leadership"),
    ("російський уряд", "российское правительство", "the Russian government"),
    ("режим Кім Чен Ина", "режим Ким Чен Ына", "Kim Jong Un's regime"),
    ("Рада безпеки ООН", "Совет безопасности ООН", "the UN Security Council"),
    ("Міністерство оборони Росії", "Министерство обороны России", "Russia's defence ministry"),
    ("Генштаб КНДР", "Генштаб КНДР", "the DPRK general staff"),
    ("Південна Корея", "Южная Корея", "South Korea"),
    ("Японія", "Япония", "Japan"),
    ("Індія", "Индия", "India"),
]
# (Ukrainian, Russian, English third person singular, English base form)
VERBS = [
    ("посилює", "усиливает", "strengthens", "strengthen"),
    ("обмежує", "ограничивает", "limits", "limit"),
    ("підтримує", "поддерживает", "supports", "support"),
    ("використовує", "использует", "uses", "use"),
    ("розглядає", "рассматривает", "considers", "consider"),
    ("блокує", "блокирует", "blocks", "block"),
    ("контролює", "контролирует", "controls", "control"),
    ("стримує", "сдерживает", "restrains", "restrain"),
    ("фінансує", "финансирует", "finances", "finance"),
    ("ігнорує", "игнорирует", "ignores", "ignore"),
    ("розширює", "расширяет", "expands", "expand"),
    ("обговорює", "обсуждает", "discusses", "discuss"),
    ("недооцінює", "недооценивает", "underestimates", "underestimate"),
    ("переоцінює", "переоценивает", "overestimates", "overestimate"),
    ("прискорює", "ускоряет", "accelerates", "accelerate"),
    ("гальмує", "тормозит", "slows down", "slow down"),
    ("провокує", "провоцирует", "provokes", "provoke"),
    ("приховує", "скрывает", "hides", "hide"),
    ("готує", "готовит", "prepares", "prepare"),
    ("відкидає", "отвергает", "rejects", "reject"),
    ("забезпечує", "обеспечивает", "secures", "secure"),
    ("легітимізує", "легитимизирует", "legitimises", "legitimise"),
    ("торпедує", "торпедирует", "torpedoes", "torpedo"),
]
# Objects in the accusative.
OBJECTS = [
    ("військову співпрацю", "военное сотрудничество", "military cooperation"),
    ("постачання снарядів", "поставки снарядов", "shell deliveries"),
    ("санкційний тиск", "санкционное давление", "sanctions pressure"),
    ("економічні важелі", "экономические рычаги", "economic levers"),
    ("вплив Москви", "влияние Москвы", "Moscow's influence"),
    ("переговори", "переговоры", "the negotiations"),
    ("балістичні ракети", "баллистические ракеты", "ballistic missiles"),
    ("артилерійські снаряди", "артиллерийские снаряды", "artillery shells"),
    ("ядерну програму", "ядерную программу", "the nuclear programme"),
    ("баланс сил", "баланс сил", "the balance of power"),
    ("нові угоди", "новые соглашения", "new agreements"),
    ("торгівлю зброєю", "торговлю оружием", "arms sales"),
    ("взаємну допомогу", "взаимную помощь", "mutual assistance"),
    ("умови договору", "условия договора", "the terms of the treaty"),
    ("ракетні випробування", "ракетные испытания", "missile tests"),
    ("стратегічне партнерство", "стратегическое партнёрство", "the strategic partnership"),
    ("гарантії безпеки", "гарантии безопасности", "security guarantees"),
    ("ударні дрони", "ударные дроны", "attack drones"),
    ("поставки нафти", "поставки нефти", "oil shipments"),
    ("товари подвійного призначення", "товары двойного назначения", "dual-use goods"),
    ("морські навчання", "морские учения", "naval exercises"),
    ("північнокорейських робітників", "северокорейских рабочих", "North Korean workers"),
    ("китайські компанії", "китайские компании", "Chinese companies"),
    ("прикордонну торгівлю", "приграничную торговлю", "border trade"),
    ("союзників", "союзников", "its allies"),
    ("військові контингенти", "военные контингенты", "military contingents"),
    ("фінансові канали", "финансовые каналы", "financial channels"),
    ("залізничні перевезення", "железнодорожные перевозки", "rail shipments"),
    ("статтю четверту договору", "четвёртую статью договора", "Article 4 of the treaty"),
    (
        "технології космічних запусків",
        "технологии космических запусков",
        "space launch technologies",
    ),
]
ADVERBIALS = [
    ("у короткостроковій перспективі", "в краткосрочной перспективе", "in the short term"),
    ("на Корейському півострові", "на Корейском полуострове", "on the Korean Peninsula"),
    ("без згоди Пекіна", "без согласия Пекина", "without Beijing's consent"),
    ("через санкції", "из-за санкций", "because of sanctions"),
    ("після підписання договору", "после подписания договора", "after the treaty was signed"),
    ("у війні проти України", "в войне против Украины", "in the war against Ukraine"),
    ("в Азії", "в Азии", "in Asia"),
    ("до кінця року", "до конца года", "by the end of the year"),
    ("згідно з договором", "согласно договору", "under the treaty"),
    ("протягом найближчих місяців", "в ближайшие месяцы", "over the coming months"),
    ("за посередництва Китаю", "при посредничестве Китая", "with China's mediation"),
    ("всупереч заявам Кремля", "вопреки заявлениям Кремля", "despite the Kremlin's statements"),
    ("у відповідь на тиск Заходу", "в ответ на давление Запада", "in response to Western pressure"),
    ("в рамках договору", "в рамках договора", "within the framework of the treaty"),
    ("попри обмеження ООН", "несмотря на ограничения ООН", "despite UN restrictions"),
    ("на російсько-українському фронті", "на российско-украинском фронте", "on the front line"),
    ("у Курській області", "в Курской области", "in the Kursk region"),
    ("через порти Далекого Сходу", "через порты Дальнего Востока", "through Far Eastern ports"),
    ("в обмін на технології", "в обмен на технологии", "in exchange for technologies"),
    ("без публічних заяв", "без публичных заявлений", "without public statements"),
    ("разом із Пекіном", "вместе с Пекином", "together with Beijing"),
    ("щонайменше до 2027 року", "как минимум до 2027 года", "at least until 2027"),
    ("значно швидше, ніж очікували", "значительно быстрее, чем ожидалось", "faster than expected"),
    (
        "разом із підписаним договором",
        "вместе с подписанным договором",
        "together with the signed treaty",
    ),
]
# Places few articles mention: the rare words of the corpus.
RARE_ADVERBIALS = [
    ("у порту Расон", "в порту Расон", "in the port of Rason"),
    ("біля мосту через Туманну", "у моста через Туманную", "near the Tumen River bridge"),
    ("на заводі в Хамхині", "на заводе в Хамхыне", "at the plant in Hamhung"),
    ("на полігоні Сохе", "на полигоне Сохэ", "at the Sohae launch site"),
    ("через станцію Хасан", "через станцию Хасан", "via Khasan station"),
    ("у Даньдуні", "в Даньдуне", "in Dandong"),
    ("у Синийджу", "в Синыйджу", "in Sinuiju"),
    ("на космодромі Восточний", "на космодроме Восточный", "at the Vostochny cosmodrome"),
    ("в Уссурійську", "в Уссурийске", "in Ussuriysk"),
    ("на острові Сахалін", "на острове Сахалин", "on Sakhalin island"),
]
RARE_CHANCE = 0.0005

# What an expert says, around the core sentence.
QUOTE_FRAMES = {
    UK: [
        "{core}.",
        "На мою думку, {core}.",
        "Я переконаний, що {core}.",
        "Очевидно, що {core}.",
        "Фактично {core}.",
        "Сьогодні {core}.",
        "Варто визнати: {core}.",
        "Проблема в тому, що {core}.",
        "Якщо нічого не зміниться, {core}.",
    ],
    RU: [
        "{core}.",
        "По моему мнению, {core}.",
        "Я убеждён, что {core}.",
        "Очевидно, что {core}.",
        "Фактически {core}.",
        "Сегодня {core}.",
        "Стоит признать: {core}.",
        "Проблема в том, что {core}.",
        "Если ничего не изменится, {core}.",
    ],
    EN: [
        "{core}.",
        "In my view, {core}.",
        "I am convinced that {core}.",
        "Clearly, {core}.",
        "In fact, {core}.",
        "Today {core}.",
        "We have to admit that {core}.",
        "The problem is that {core}.",
        "For now, {core}.",
    ],
}
# The reporter's own sentences.
NARRATIVE_FRAMES = {
    UK: [
        "За даними аналітиків, {core}.",
        "Як повідомляють джерела, {core}.",
        "{month} {year} року {core}.",
        "Водночас {core}.",
        "Експерти зауважують, що {core}.",
        "Дипломати кажуть, що {core}.",
        "Раніше видання писало, що {core}.",
    ],
    RU: [
        "По данным аналитиков, {core}.",
        "Как сообщают источники, {core}.",
        "{month} {year} года {core}.",
        "При этом {core}.",
        "Эксперты отмечают, что {core}.",
        "Дипломаты говорят, что {core}.",
        "Ранее издание писало, что {core}.",
    ],
    EN: [
        "According to analysts, {core}.",
        "Sources say {core}.",
        "{month} {year}, {core}.",
        "Meanwhile, {core}.",
        "Experts note that {core}.",
        "Diplomats say {core}.",
        "The outlet reported earlier that {core}.",
    ],
}
MONTHS = {
    UK: "У січні|У лютому|У березні|У квітні|У травні|У червні|У липні|У серпні|У вересні|"
    "У жовтні|У листопаді|У грудні",
    RU: "В январе|В феврале|В марте|В апреле|В мае|В июне|В июле|В августе|В сентябре|"
    "В октябре|В ноябре|В декабре",
    EN: "In January|In February|In March|In April|In May|In June|In July|In August|"
    "In September|In October|In November|In December",
}
MONTHS = {language: names.split("|") for language, names in MONTHS.items()}
HEADLINE_FRAMES = {
    UK: [
        "Чому {core}",
        "Експерт: {core}",
        "{core} — аналітики",
        "{core}: що це означає для України",
        "Як {core}",
    ],
    RU: [
        "Почему {core}",
        "Эксперт: {core}",
        "{core} — аналитики",
        "{core}: что это значит для Украины",
        "Как {core}",
    ],
    EN: [
        "Why {core}",
        "Expert: {core}",
        "{core}, analysts say",
        "{core}: what it means for Ukraine",
        "How {core}",
    ],
}
# How an article attributes a quote: (masculine, feminine) verbs.
SAID = {
    UK: [
        ("зазначив", "зазначила"),
        ("наголосив", "наголосила"),
        ("пояснив", "пояснила"),
        ("вважає", "вважає"),
        ("каже", "каже"),
        ("заявив", "заявила"),
    ],
    RU: [
        ("отметил", "отметила"),
        ("подчеркнул", "подчеркнула"),
        ("пояснил", "пояснила"),
        ("считает", "считает"),
        ("говорит", "говорит"),
        ("заявил", "заявила"),
    ],
    EN: [("said", "said"), ("noted", "noted"), ("argued", "argued"), ("explained", "explained")],
}
OPEN_QUOTE = {UK: "«", RU: "«", EN: "“"}
CLOSE_QUOTE = {UK: "»", RU: "»", EN: "”"}

BYLINES = {
    UK: ["Ірина Коваль", "Андрій Сич", "Олена Дзюба", "Тарас Білик", "Марта Гнатюк"],
    RU: ["Мария Лебедева", "Алексей Орлов", "Ирина Зайцева", "Глеб Миронов"],
    EN: ["Anna Keller", "James Holt", "Laura Chen", "Tom Becker", "Priya Nair"],
}

# (name, language, country, share of the articles): about 45% Ukrainian, 30% English and
# 25% Russian.
OUTLETS = [
    ("Київський оглядач", UK, "UA", 14),
    ("Львівська хвиля", UK, "UA", 10),
    ("Харківський кур'єр", UK, "UA", 8),
    ("Дніпровські новини", UK, "UA", 7),
    ("Одеський вісник", UK, "UA", 6),
    ("The Eastern Ledger", EN, "GB", 14),
    ("Pacific Wire", EN, "US", 9),
    ("Seoul Observer", EN, "KR", 7),
    ("Балтийский обозреватель", RU, "LV", 12),
    ("Рижский вестник", RU, "LV", 8),
    ("Таллинский курьер", RU, "EE", 5),
]
ORGANIZATIONS = [
    ("Institute for Pacific Security Studies", Organization.Kind.RESEARCH_CENTRE, "US"),
    ("Dnipro Strategy Group", Organization.Kind.RESEARCH_CENTRE, "UA"),
    ("Kyiv School of International Affairs", Organization.Kind.UNIVERSITY, "UA"),
    ("Centre for Korean Peninsula Research", Organization.Kind.RESEARCH_CENTRE, "KR"),
    ("Baltic Defence Forum", Organization.Kind.CIVIC_GROUP, "LT"),
    ("Eurasia Sanctions Monitor", Organization.Kind.CIVIC_GROUP, "GB"),
    ("Lviv Polytechnic Security Lab", Organization.Kind.UNIVERSITY, "UA"),
    ("Northeast Asia Policy Council", Organization.Kind.RESEARCH_CENTRE, "JP"),
    ("Black Sea Analytical Centre", Organization.Kind.RESEARCH_CENTRE, "UA"),
    ("Free Russia Research Network", Organization.Kind.CIVIC_GROUP, "DE"),
    ("Ukrainian Volunteer Army Reserve", Organization.Kind.MILITARY, "UA"),
    ("Open Source Arms Trackers", Organization.Kind.OTHER, "NL"),
]
ROLES = [
    "Analyst",
    "Senior fellow",
    "Director",
    "Military expert",
    "Professor",
    "Research fellow",
    "Head of the Asia programme",
    "Former ambassador",
]

# (title, question, [(sub-topic title, question)])
TOPICS = [
    (
        "China's leverage",
        "Will China restrain the Russia–DPRK alliance?",
        [
            ("Chinese mediation", "Will China mediate between Moscow and Pyongyang?"),
            ("Trade with Pyongyang", "Will China keep trading with the DPRK?"),
            ("Chinese border controls", "Will China tighten its border with the DPRK?"),
        ],
    ),
    (
        "Arms transfers",
        "Will North Korean arms keep reaching Russia?",
        [
            ("Artillery shells", "Will the DPRK keep shipping shells to Russia?"),
            ("Ballistic missiles", "Will Russia keep firing North Korean missiles?"),
            ("Drones and components", "Will the allies build drones together?"),
        ],
    ),
    (
        "Troop deployments",
        "Will North Korean troops fight for Russia?",
        [
            ("Kursk deployment", "Will North Korean units stay in the Kursk region?"),
            ("Rotation of units", "Will the DPRK rotate its units through Russia?"),
        ],
    ),
    (
        "Sanctions enforcement",
        "Will sanctions on the alliance hold?",
        [
            ("Oil shipments", "Will Russian oil keep reaching the DPRK?"),
            ("Shipping and ports", "Will ports in the Far East handle the trade?"),
            ("Dual-use goods", "Will dual-use goods slip through export controls?"),
        ],
    ),
    (
        "Nuclear risks",
        "Will Russia help the DPRK's nuclear programme?",
        [
            ("Missile technology transfer", "Will Russia share missile technology?"),
            ("Satellite launches", "Will Russia help the DPRK launch satellites?"),
        ],
    ),
    (
        "Western response",
        "Will the West answer the alliance together?",
        [
            ("South Korean arms for Ukraine", "Will South Korea send arms to Ukraine?"),
            ("Japan's role", "Will Japan take a bigger part?"),
            ("NATO and the Indo-Pacific", "Will NATO work closer with Indo-Pacific partners?"),
        ],
    ),
]

# (title, short name, slug tail, signed, parties)
TREATIES = [
    (
        "Accord on Military Logistics between Russia and the DPRK",
        "RU–DPRK Logistics Accord (2025)",
        "ru-dprk-logistics-2025",
        datetime.date(2025, 3, 14),
        "Russian Federation\nDemocratic People's Republic of Korea",
    ),
    (
        "Memorandum on Maritime Cooperation in the Sea of Japan",
        "Trilateral Maritime Memorandum (2026)",
        "maritime-memorandum-2026",
        datetime.date(2026, 2, 2),
        "People's Republic of China\nRussian Federation\nDemocratic People's Republic of Korea",
    ),
    (
        "Agreement on Border Trade Zones",
        "CN–DPRK Border Trade Agreement (2024)",
        "cn-dprk-border-trade-2024",
        datetime.date(2024, 9, 9),
        "People's Republic of China\nDemocratic People's Republic of Korea",
    ),
]
PROVISION_HEADINGS = [
    "Purpose",
    "Definitions",
    "Mutual assistance",
    "Supply of equipment",
    "Transit of goods",
    "Training",
    "Use of ports",
    "Financing",
    "Consultations",
    "Settlement of disputes",
    "Entry into force",
    "Termination",
]

# People's names: (Ukrainian, Russian, Ukrainian in Latin letters, English/Russian in Latin
# letters, feminine?)
GIVEN_NAMES = [
    ("Олександр", "Александр", "Oleksandr", "Alexander", False),
    ("Андрій", "Андрей", "Andrii", "Andrey", False),
    ("Сергій", "Сергей", "Serhii", "Sergey", False),
    ("Дмитро", "Дмитрий", "Dmytro", "Dmitry", False),
    ("Володимир", "Владимир", "Volodymyr", "Vladimir", False),
    ("Олена", "Елена", "Olena", "Elena", True),
    ("Микола", "Николай", "Mykola", "Nikolay", False),
    ("Юрій", "Юрий", "Yurii", "Yuri", False),
    ("Тетяна", "Татьяна", "Tetiana", "Tatiana", True),
    ("Ігор", "Игорь", "Ihor", "Igor", False),
    ("Ольга", "Ольга", "Olha", "Olga", True),
    ("Михайло", "Михаил", "Mykhailo", "Mikhail", False),
    ("Наталія", "Наталья", "Nataliia", "Natalya", True),
    ("Олексій", "Алексей", "Oleksii", "Alexey", False),
    ("Ірина", "Ирина", "Iryna", "Irina", True),
    ("Євген", "Евгений", "Yevhen", "Evgeny", False),
    ("Катерина", "Екатерина", "Kateryna", "Ekaterina", True),
    ("Віктор", "Виктор", "Viktor", "Victor", False),
    ("Світлана", "Светлана", "Svitlana", "Svetlana", True),
    ("Павло", "Павел", "Pavlo", "Pavel", False),
    ("Галина", "Галина", "Halyna", "Galina", True),
    ("Богдан", "Богдан", "Bohdan", "Bogdan", False),
    ("Людмила", "Людмила", "Liudmyla", "Lyudmila", True),
    ("Максим", "Максим", "Maksym", "Maxim", False),
    ("Надія", "Надежда", "Nadiia", "Nadezhda", True),
    ("Кирило", "Кирилл", "Kyrylo", "Kirill", False),
    ("Марія", "Мария", "Mariia", "Maria", True),
    ("Василь", "Василий", "Vasyl", "Vasily", False),
    ("Федір", "Фёдор", "Fedir", "Fyodor", False),
    ("Тарас", "Тарас", "Taras", "Taras", False),
]
# Ukrainian surnames are built from a stem and an ending (the feminine ending after "/").
SURNAME_STEMS = """
Бондар Мельнич Кравч Ткач Шевч Лис Гончар Павл Климч Марч
Остап Дорош Гриц Левч Тимош Сидор Яковл Білоус Заруб Литвин
Мороз Савч Гаврил Кушн Бойч Пилип Захарч Стеф Ничипор Демч
Юрч Голуб Дяч Кузьм Семен Прокоп Мирон Гнат Оліфір Швец
""".split()  # noqa: SIM905
SURNAME_ENDINGS = ["енко", "ук", "чук", "ишин", "ович", "овський/овська", "ів", "ак"]
# Surnames the demo data uses: generated experts never take them.
RESERVED_SURNAMES = {"Коваленко", "Мусієнко", "Фесенко"}
# (Russian, Ukrainian) masculine forms; the feminine adds "а".
RUSSIAN_SURNAMES = [
    ("Петров", "Петров"),
    ("Соколов", "Соколов"),
    ("Волков", "Волков"),
    ("Кузнецов", "Кузнєцов"),
    ("Лебедев", "Лебедєв"),
    ("Морозов", "Морозов"),
    ("Новиков", "Новиков"),
    ("Смирнов", "Смирнов"),
    ("Орлов", "Орлов"),
    ("Зайцев", "Зайцев"),
    ("Белов", "Бєлов"),
    ("Егоров", "Єгоров"),
]
# (English, Ukrainian, Russian, feminine?)
WESTERN_GIVEN = [
    ("John", "Джон", "Джон", False),
    ("Sarah", "Сара", "Сара", True),
    ("Michael", "Майкл", "Майкл", False),
    ("Emily", "Емілі", "Эмили", True),
    ("David", "Девід", "Дэвид", False),
    ("Hannah", "Ганна", "Ханна", True),
    ("Thomas", "Томас", "Томас", False),
    ("Julia", "Юлія", "Юлия", True),
]
WESTERN_SURNAMES = [
    ("Miller", "Міллер", "Миллер"),
    ("Smith", "Сміт", "Смит"),
    ("Williams", "Вільямс", "Уильямс"),
    ("Taylor", "Тейлор", "Тейлор"),
    ("Anderson", "Андерсон", "Андерсон"),
    ("Schneider", "Шнайдер", "Шнайдер"),
    ("Nowak", "Новак", "Новак"),
    ("Kim", "Кім", "Ким"),
    ("Park", "Пак", "Пак"),
    ("Becker", "Беккер", "Беккер"),
]

# Ukrainian national transliteration (2010), and a common Russian one.
UK_LATIN = dict(
    zip(
        "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя'",
        "a b v h g d e ie zh z y i i i k l m n o p r s t u f kh ts ch sh shch - iu ia -".split(),  # noqa: SIM905
        strict=True,
    )
)
UK_LATIN_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
RU_LATIN = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e yo zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya".split(),  # noqa: SIM905
        strict=True,
    )
)
UK_TO_RU = [("ський", "ский"), ("ська", "ская")]
UK_TO_RU_LETTERS = str.maketrans({"і": "и", "ї": "и", "є": "е", "'": ""})


def transliterate(text, table, initial=None):
    """`text` in Latin letters by `table` (letters absent from it are kept)."""
    out = []
    for position, char in enumerate(text):
        lower = char.lower()
        at_start = position == 0 or not text[position - 1].isalpha()
        latin = (initial or {}).get(lower) if at_start else None
        latin = latin or table.get(lower)
        if latin is None:
            out.append(char)
            continue
        latin = "" if latin == "-" else latin
        out.append(latin.capitalize() if char.isupper() else latin)
    return "".join(out)


def ukrainian_to_russian(name):
    for ukrainian, russian in UK_TO_RU:
        if name.endswith(ukrainian):
            name = name[: -len(ukrainian)] + russian
    return name.translate(UK_TO_RU_LETTERS)


@dataclass
class Person:
    """An expert's name as each language writes it, and the spellings kept as variants."""

    display: str
    spelled: dict  # language → the name as articles in that language print it
    variants: list
    feminine: bool


def _joined(stem, ending):
    """Кравч + чук → Кравчук: a letter the stem ends with is not written twice."""
    return stem + (ending[1:] if stem[-1] == ending[0] else ending)


def _ukrainian_person(given, stem, ending):
    uk_given, ru_given, uk_given_latin, en_given, feminine = given
    masculine, _, female = ending.partition("/")
    surname = _joined(stem, female if feminine and female else masculine)
    ru_surname = ukrainian_to_russian(surname)
    uk_name = f"{uk_given} {surname}"
    ru_name = f"{ru_given} {ru_surname}"
    display = f"{uk_given_latin} {transliterate(surname, UK_LATIN, UK_LATIN_INITIAL)}"
    english = f"{en_given} {transliterate(ru_surname, RU_LATIN)}"
    initial = f"{uk_given_latin[0]}. {display.split(' ', 1)[1]}"
    return Person(
        display=display,
        spelled={UK: uk_name, RU: ru_name, EN: display},
        variants=[uk_name, ru_name, english, initial],
        feminine=feminine,
    )


def _russian_person(given, surnames):
    uk_given, ru_given, uk_given_latin, en_given, feminine = given
    ru_surname, uk_surname = (s + "а" if feminine else s for s in surnames)
    display = f"{en_given} {transliterate(ru_surname, RU_LATIN)}"
    return Person(
        display=display,
        spelled={UK: f"{uk_given} {uk_surname}", RU: f"{ru_given} {ru_surname}", EN: display},
        variants=[
            f"{ru_given} {ru_surname}",
            f"{uk_given} {uk_surname}",
            f"{uk_given_latin} {transliterate(uk_surname, UK_LATIN, UK_LATIN_INITIAL)}",
        ],
        feminine=feminine,
    )


def _western_person(given, surname):
    en_given, uk_given, ru_given, feminine = given
    display = f"{en_given} {surname[0]}"
    return Person(
        display=display,
        spelled={UK: f"{uk_given} {surname[1]}", RU: f"{ru_given} {surname[2]}", EN: display},
        variants=[f"{uk_given} {surname[1]}", f"{ru_given} {surname[2]}", surname[0]],
        feminine=feminine,
    )


def _name_makers():
    """Every distinct person the name banks can make, as zero-argument builders."""
    makers, surnames = [], set(RESERVED_SURNAMES)
    for stem in SURNAME_STEMS:
        for ending in SURNAME_ENDINGS:
            surname = _joined(stem, ending.partition("/")[0])
            if surname in surnames:  # Кравч + ук and Кравч + чук make one name
                continue
            surnames.add(surname)
            makers.extend(
                (lambda g=given, s=stem, e=ending: _ukrainian_person(g, s, e))
                for given in GIVEN_NAMES
            )
    for surnames in RUSSIAN_SURNAMES:
        makers.extend((lambda g=given, s=surnames: _russian_person(g, s)) for given in GIVEN_NAMES)
    for surname in WESTERN_SURNAMES:
        makers.extend((lambda g=given, s=surname: _western_person(g, s)) for given in WESTERN_GIVEN)
    return makers


def max_experts():
    """How many experts with distinct names the name banks can make."""
    return len(_name_makers())


def default_experts(claims):
    """The number of experts for `claims` claims when none is asked for."""
    return max(10, min(2000, claims // 50))


def _cumulative_zipf(count, exponent=1.0):
    total, cumulative = 0.0, []
    for rank in range(1, count + 1):
        total += 1.0 / rank**exponent
        cumulative.append(total)
    return cumulative


class _Bank:
    """Items drawn with Zipf weights: the first is the most frequent."""

    def __init__(self, items, exponent=1.0):
        self.items = items
        self.cumulative = _cumulative_zipf(len(items), exponent)
        self.total = self.cumulative[-1]

    def draw(self, rng):
        position = bisect_right(self.cumulative, rng.random() * self.total)
        return self.items[min(position, len(self.items) - 1)]


SUBJECT_BANK = _Bank(SUBJECTS, 0.9)
VERB_BANK = _Bank(VERBS, 0.8)
OBJECT_BANK = _Bank(OBJECTS, 0.9)
ADVERBIAL_BANK = _Bank(ADVERBIALS, 0.8)


def _distinct(items):
    """`items` without repeats, in the order drawn (a set's order would depend on ids)."""
    return list(dict.fromkeys(items))


def _capitalized(text):
    return text[:1].upper() + text[1:]


@dataclass
class _Idea:
    subject: tuple
    verb: tuple
    object: tuple
    adverbial: tuple

    def core(self, language):
        column = COLUMN[language]
        return " ".join(
            (
                self.subject[column],
                self.verb[column],
                self.object[column],
                self.adverbial[column],
            )
        )

    def summary(self, kind):
        """The claim in the desk's neutral English."""
        subject = _capitalized(self.subject[2])
        rest = f"{self.object[2]} {self.adverbial[2]}"
        if kind == Claim.Kind.PREDICTION:
            return f"{subject} will {self.verb[3]} {rest}."
        if kind == Claim.Kind.RECOMMENDATION:
            return f"{subject} should {self.verb[3]} {rest}."
        return f"{subject} {self.verb[2]} {rest}."


@dataclass
class _Batch:
    """Rows to write together, as dicts by attname (see _Writer)."""

    articles: list = field(default_factory=list)
    article_topics: list = field(default_factory=list)
    claims: list = field(default_factory=list)
    claim_topics: list = field(default_factory=list)
    claim_provisions: list = field(default_factory=list)
    quotes: list = field(default_factory=list)
    requoted: list = field(default_factory=list)  # claims quoted again in this batch


@dataclass
class _Setup:
    outlets: list
    topics: _Bank
    provisions: list
    experts: _Bank  # of (expert id, Person)
    speaker_texts: dict  # expert id → the speaker text of their claims' search entries


def corpus_exists():
    """Whether any generated record is in the database."""
    return (
        Article.objects.filter(slug__startswith=PREFIX).exists()
        or Expert.objects.filter(slug__startswith=PREFIX).exists()
        or Topic.objects.filter(slug__startswith=PREFIX).exists()
    )


class CorpusError(Exception):
    """The corpus cannot be generated or cleared as asked; the message says why."""


def generate_corpus(
    *,
    articles,
    claims,
    experts=None,
    seed=DEFAULT_SEED,
    batch_size=DEFAULT_BATCH_SIZE,
    progress=None,
):
    """Write a corpus of `articles` articles quoting `claims` claims; returns {model: rows}.

    `progress(articles_done, claims_done)` is called after each batch. Raises CorpusError for
    sizes that cannot be made, or when a corpus is already there (clear it first).
    """
    experts = default_experts(claims) if experts is None else experts
    check_sizes(articles=articles, claims=claims, experts=experts, batch_size=batch_size)
    if corpus_exists():
        raise CorpusError("A generated corpus is already in the database; clear it first.")
    generator = _Generator(seed=seed, batch_size=batch_size)
    counts = generator.run(articles=articles, claims=claims, experts=experts, progress=progress)
    _vacuum(counts)
    _purge_public_caches("corpus generated")
    return counts


def check_sizes(*, articles, claims, experts, batch_size):
    """Raise CorpusError when these sizes cannot make a corpus."""
    if articles < 0 or claims < 0:
        raise CorpusError("The numbers of articles and claims cannot be negative.")
    if claims and not articles:
        raise CorpusError("Claims are quoted in articles: ask for at least one article.")
    if claims > articles * MAX_CLAIMS_PER_ARTICLE:
        raise CorpusError(
            f"{claims} claims in {articles} articles is more than "
            f"{MAX_CLAIMS_PER_ARTICLE} quoted claims per article; ask for more articles."
        )
    if experts < 1:
        raise CorpusError("There must be at least one expert.")
    if experts > max_experts():
        raise CorpusError(
            f"The name banks make at most {max_experts()} experts with distinct names; "
            f"{experts} were asked for."
        )
    if batch_size < 1:
        raise CorpusError("The batch size must be at least 1.")


def _vacuum(models):
    """Planner statistics for the tables just filled (and, outside a transaction, their
    visibility maps and hint bits): else the first searches plan for nearly empty tables and
    pay for the load's cleanup."""
    if connection.vendor != "postgresql":
        return
    statement = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    tables = {model._meta.db_table for model in models}
    tables |= {SearchEntry._meta.db_table, SearchEntry.topics.through._meta.db_table}
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"{statement} {connection.ops.quote_name(table)}")


def _purge_public_caches(reason):
    from core.cache import schedule_public_purge

    with transaction.atomic():
        schedule_public_purge(reason)


class _Generator:
    def __init__(self, *, seed, batch_size):
        self.rng = random.Random(seed)
        self.batch_size = batch_size
        self.now = timezone.now()
        self.counts = Counter()
        self.writer = _Writer()

    def run(self, *, articles, claims, experts, progress):
        with transaction.atomic():
            setup = self.write_setup(experts)
        outlet_weights = [share for *_, share in OUTLETS]
        batch = _Batch()
        remaining_claims = claims
        previous = None  # (language, [(claim, quote text, speaker)]) of the last article
        done_articles = done_claims = 0
        for number in range(articles):
            left = articles - number
            if left == 1:
                count = remaining_claims
            else:
                # Around the average of what is left, so the total comes out exact.
                count = round(remaining_claims / left * self.rng.uniform(0.2, 1.8))
                # Never leave more than the other articles can hold.
                floor = remaining_claims - (left - 1) * MAX_CLAIMS_PER_ARTICLE
                count = max(floor, min(count, remaining_claims, MAX_CLAIMS_PER_ARTICLE))
            remaining_claims -= count
            outlet = self.rng.choices(setup.outlets, weights=outlet_weights)[0]
            previous = self.article(number, outlet, count, setup, batch, previous)
            last = number == articles - 1
            if (
                last
                or len(batch.articles) >= self.batch_size
                or len(batch.claims) >= self.batch_size
            ):
                written_articles, written_claims = self.flush(batch, setup)
                # With DEBUG on, Django keeps every statement's text: the batch's bodies.
                reset_queries()
                done_articles += written_articles
                done_claims += written_claims
                if progress:
                    progress(done_articles, done_claims)
                batch = _Batch()
        # An expert's entry says whether they have a public claim, and on which topics.
        expert_ids = sorted(setup.speaker_texts)
        for start in range(0, len(expert_ids), EXPERT_REFRESH_CHUNK):
            with transaction.atomic():
                index.refresh(
                    SearchEntry.Kind.EXPERT, expert_ids[start : start + EXPERT_REFRESH_CHUNK]
                )
        return dict(self.counts)

    # --- Records the articles refer to ------------------------------------------------------

    def stamped(self, model, **values):
        return model(created=self.now, updated=self.now, **values)

    def create(self, model, objects):
        created = model.objects.bulk_create(objects, batch_size=2000)
        self.counts[model] += len(created)
        return created

    def write_setup(self, expert_count):
        rng = self.rng
        outlets = self.create(
            Outlet,
            [
                self.stamped(
                    Outlet,
                    name=name,
                    slug=f"{PREFIX}outlet-{number:02d}",
                    home_url=f"https://outlet-{number:02d}.example.org/",
                    country=country,
                    language=language,
                )
                for number, (name, language, country, _) in enumerate(OUTLETS)
            ],
        )
        organizations = self.create(
            Organization,
            [
                self.stamped(
                    Organization,
                    name=name,
                    slug=f"{PREFIX}{slugify(name)}",
                    kind=kind,
                    country=country,
                )
                for name, kind, country in ORGANIZATIONS
            ],
        )
        parents = self.create(
            Topic,
            [
                self.stamped(
                    Topic,
                    title=title,
                    slug=f"{PREFIX}{slugify(title)}",
                    question=question,
                    description=f"Claims answering the question: {question}",
                )
                for title, question, _ in TOPICS
            ],
        )
        children = self.create(
            Topic,
            [
                self.stamped(
                    Topic,
                    title=title,
                    slug=f"{PREFIX}{slugify(title)}",
                    question=question,
                    parent=parent,
                )
                for parent, (_, _, subtopics) in zip(parents, TOPICS, strict=True)
                for title, question in subtopics
            ],
        )
        treaties = self.create(
            Treaty,
            [
                self.stamped(
                    Treaty,
                    title=title,
                    short_name=short_name,
                    slug=f"{PREFIX}{tail}",
                    parties=parties,
                    signed_on=signed_on,
                    in_force_on=signed_on + datetime.timedelta(days=90),
                )
                for title, short_name, tail, signed_on, parties in TREATIES
            ],
        )
        provisions = self.write_provisions(treaties)
        experts = self.write_experts(expert_count, organizations)
        topics = parents + children
        for kind, ids in (
            (SearchEntry.Kind.TOPIC, [t.pk for t in topics]),
            (SearchEntry.Kind.TREATY, [t.pk for t in treaties]),
            (SearchEntry.Kind.PROVISION, [p.pk for p in provisions]),
        ):
            index.refresh(kind, ids)
        rng.shuffle(topics)  # the Zipf weights then favour a few topics, whichever they are
        return _Setup(
            outlets=outlets,
            topics=_Bank(topics),
            provisions=provisions,
            experts=_Bank([(expert.pk, person) for expert, person in experts], 0.8),
            speaker_texts=_speaker_texts([expert.pk for expert, _ in experts]),
        )

    def write_provisions(self, treaties):
        rng = self.rng
        articles, paragraphs = [], []
        for treaty in treaties:
            order = 0
            for number in range(1, rng.randint(8, len(PROVISION_HEADINGS)) + 1):
                order += 1
                idea = self.idea()
                article = self.stamped(
                    Provision,
                    treaty=treaty,
                    number=f"Article {number}",
                    address=f"art_{number}",
                    heading=PROVISION_HEADINGS[number - 1],
                    text=_capitalized(f"the parties agree that {idea.core(EN)}."),
                    order=order,
                )
                articles.append(article)
                for paragraph in range(1, rng.choice((0, 0, 2, 3)) + 1):
                    order += 1
                    paragraphs.append(
                        self.stamped(
                            Provision,
                            treaty=treaty,
                            number=f"Paragraph {paragraph}",
                            address=f"art_{number}__para_{paragraph}",
                            parent=article,
                            text=_capitalized(f"{self.idea().core(EN)}."),
                            order=order,
                        )
                    )
        return self.create(Provision, articles) + self.create(Provision, paragraphs)

    def write_experts(self, count, organizations):
        rng = self.rng
        makers = _name_makers()
        people = [makers[i]() for i in rng.sample(range(len(makers)), count)]
        experts = self.create(
            Expert,
            [
                self.stamped(
                    Expert,
                    display_name=person.display,
                    slug=f"{PREFIX}{number:05d}-{slugify(person.display)}",
                    name_key=name_key(person.display),
                    bio=f"{rng.choice(ROLES)} who follows the Russia–DPRK alliance.",
                )
                for number, person in enumerate(people)
            ],
        )
        variants, affiliations = [], []
        organization_bank = _Bank(organizations, 0.7)
        for expert, person in zip(experts, people, strict=True):
            for name in dict.fromkeys(person.variants):
                if name != person.display:
                    variants.append(
                        self.stamped(NameVariant, expert=expert, name=name, name_key=name_key(name))
                    )
            affiliations.append(
                self.stamped(
                    Affiliation,
                    expert=expert,
                    organization=organization_bank.draw(rng),
                    role_title=rng.choice(ROLES),
                    start_date=datetime.date(rng.randint(2008, 2023), rng.randint(1, 12), 1),
                )
            )
        self.create(NameVariant, variants)
        self.create(Affiliation, affiliations)
        return list(zip(experts, people, strict=True))

    # --- Articles and the claims they quote -------------------------------------------------

    def idea(self):
        rng = self.rng
        adverbial = (
            rng.choice(RARE_ADVERBIALS) if rng.random() < RARE_CHANCE else ADVERBIAL_BANK.draw(rng)
        )
        return _Idea(SUBJECT_BANK.draw(rng), VERB_BANK.draw(rng), OBJECT_BANK.draw(rng), adverbial)

    def narrative(self, language, day):
        frame = self.rng.choice(NARRATIVE_FRAMES[language])
        return frame.format(
            core=self.idea().core(language),
            month=MONTHS[language][day.month - 1],
            year=day.year,
        )

    def status(self, draft_share):
        roll = self.rng.random()
        if roll < draft_share:
            return PublicationStatus.DRAFT.value
        if roll < draft_share * 1.3:
            return PublicationStatus.IN_REVIEW.value
        if roll < draft_share * 1.3 + 0.02:
            return PublicationStatus.CORRECTED.value
        return PublicationStatus.PUBLISHED.value

    def workflow_fields(self, status, day):
        """The workflow record of an item in `status`, published on `day`."""
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        if status == PublicationStatus.DRAFT:
            return {}
        fields = {"submitted_at": moment}
        if status in PUBLIC_STATUSES:
            fields.update(reviewed_at=moment, published_at=moment)
        if status == PublicationStatus.CORRECTED:
            fields.update(
                corrected_at=moment + datetime.timedelta(days=1),
                correction_note="An earlier version misspelled a name.",
            )
        return fields

    def row(self, **values):
        """A row to write: column values by attname, other rows of the batch standing in for
        their ids until they are written."""
        return {"created": self.now, "updated": self.now, **values}

    def article(self, number, outlet, claim_count, setup, batch, previous):
        rng = self.rng
        language = outlet.language
        day = datetime.date(2023, 1, 1) + datetime.timedelta(days=rng.randrange(1400))
        status = self.status(0.04)
        headline = _capitalized(
            rng.choice(HEADLINE_FRAMES[language]).format(core=self.idea().core(language))
        )
        paragraphs = [" ".join(self.narrative(language, day) for _ in range(2))]
        # Quotes are placed once the body is known: (claim, text, paragraph, offset in it).
        placed = []
        quoted = []
        for _ in range(claim_count):
            claim, text, person = self.claim(setup, language, day, batch)
            paragraphs.append(self.attributed(text, person, language, paragraphs, placed, claim))
            quoted.append((claim, text, person))
            if rng.random() < 0.3:
                paragraphs.append(self.narrative(language, day))
        if previous and previous[0] == language and previous[1] and rng.random() < 0.3:
            # The story goes on: an earlier article's claim is quoted again.
            claim, text, person = rng.choice(previous[1])
            paragraphs.append(self.attributed(text, person, language, paragraphs, placed, claim))
            batch.requoted.append(claim)
        paragraphs.append(" ".join(self.narrative(language, day) for _ in range(rng.randint(1, 3))))
        body = "\n\n".join(paragraphs)
        article = self.row(
            id=None,
            title=headline[:300],
            slug=f"{PREFIX}article-{number:07d}",
            outlet_id=outlet.pk,
            byline=rng.choice(BYLINES[language]),
            source_url=f"{outlet.home_url}news/{number:07d}",
            published_on=day,
            published_precision=DatePrecision.DAY.value,
            language=language,
            standfirst=self.narrative(language, day),
            body=body,
            status=status,
            **self.workflow_fields(status, day),
        )
        batch.articles.append(article)
        for topic in _distinct(setup.topics.draw(rng) for _ in range(rng.randint(1, 2))):
            batch.article_topics.append({"article_id": article, "topic_id": topic.pk})
        starts = [0]
        for paragraph in paragraphs[:-1]:
            starts.append(starts[-1] + len(paragraph) + 2)
        for claim, text, paragraph, offset in placed:
            start = starts[paragraph] + offset
            end = start + len(text)
            assert body[start:end] == text  # noqa: S101 - a broken generator must stop at once
            claim["quotes"] += 1
            batch.quotes.append(
                self.row(
                    claim_id=claim,
                    article_id=article,
                    text=text,
                    start=start,
                    end=end,
                    prefix=body[max(0, start - QUOTE_CONTEXT_LENGTH) : start],
                    suffix=body[end : end + QUOTE_CONTEXT_LENGTH],
                )
            )
        return (language, quoted)

    def attributed(self, text, person, language, paragraphs, placed, claim):
        """A paragraph quoting `text` by `person`; records where the quote sits in it."""
        rng = self.rng
        said = rng.choice(SAID[language])[person.feminine]
        name = person.spelled[language]
        opening, closing = OPEN_QUOTE[language], CLOSE_QUOTE[language]
        if rng.random() < 0.5:
            dash = "" if language == EN else "— "
            paragraph = f"{opening}{text}{closing} {dash}{said} {name}."
            offset = len(opening)
        else:
            lead = f"{name} {said}: {opening}"
            paragraph = f"{lead}{text}{closing}"
            offset = len(lead)
        placed.append((claim, text, len(paragraphs), offset))
        return paragraph

    def claim(self, setup, language, day, batch):
        rng = self.rng
        expert_id, person = setup.experts.draw(rng)
        idea = self.idea()
        kind = rng.choices(Claim.Kind.values, weights=(6, 2, 3, 1))[0]
        status = self.status(0.05)
        made_on = day - datetime.timedelta(days=rng.randint(0, 3))
        outcome, due_on = "", None
        if kind == Claim.Kind.PREDICTION:
            outcome = rng.choices(Claim.Outcome.values, weights=(6, 1, 1, 1))[0]
            due_on = made_on + datetime.timedelta(days=rng.choice((90, 180, 365)))
        claim = self.row(
            id=None,
            speaker_id=expert_id,
            summary=idea.summary(kind),
            kind=kind,
            made_on=made_on,
            made_precision=DatePrecision.DAY.value,
            status=status,
            outcome=outcome,
            due_on=due_on,
            quotes=0,  # not a column: how many quotes the generator gave the claim
            **self.workflow_fields(status, made_on),
        )
        batch.claims.append(claim)
        stances = [*Stance.values, ""]
        for topic in _distinct(setup.topics.draw(rng) for _ in range(rng.randint(1, 3))):
            batch.claim_topics.append(
                self.row(
                    claim_id=claim,
                    topic_id=topic.pk,
                    stance=rng.choices(stances, weights=(3, 3, 2, 1, 1))[0],
                )
            )
        roll = rng.random()
        if roll < 0.3:
            cited = (rng.choice(setup.provisions) for _ in range(1 if roll < 0.25 else 2))
            for provision in _distinct(cited):
                batch.claim_provisions.append(
                    self.row(
                        claim_id=claim,
                        provision_id=provision.pk,
                        relation=rng.choice(ClaimProvision.Relation.values),
                    )
                )
        text = rng.choice(QUOTE_FRAMES[language]).format(core=idea.core(language))
        return claim, _capitalized(text), person

    def flush(self, batch, setup):
        """Write one batch and its search entries in one transaction."""
        writer = self.writer
        with transaction.atomic():
            writer.assign_ids(Article, batch.articles)
            writer.assign_ids(Claim, batch.claims)
            for model, rows in (
                (Article, batch.articles),
                (Article.topics.through, batch.article_topics),
                (Claim, batch.claims),
                (ClaimTopic, batch.claim_topics),
                (ClaimProvision, batch.claim_provisions),
                (Quote, batch.quotes),
            ):
                writer.insert(model, rows)
                self.counts[model] += len(rows)
            index.refresh(SearchEntry.Kind.ARTICLE, [article["id"] for article in batch.articles])
            self.write_claim_entries(batch, setup)
        return len(batch.articles), len(batch.claims)

    def write_claim_entries(self, batch, setup):
        """The claims' search entries, as claims.search.documents builds them.

        The builder reads every claim back through the ORM, which costs more than writing the
        claim; here the entry of a claim quoted once is made from the rows just written. A
        claim quoted in two articles, or one quoted again from an earlier batch, goes through
        index.refresh, which orders its quotes as the database does.
        """
        articles = {id(article): article for article in batch.articles}
        quote_of = {id(quote["claim_id"]): quote for quote in batch.quotes}
        topics = {}
        for link in batch.claim_topics:
            topics.setdefault(id(link["claim_id"]), set()).add(link["topic_id"])
        entries, entry_topics, refreshed = [], [], [c["id"] for c in batch.requoted]
        for claim in batch.claims:
            if claim["quotes"] > 1:
                refreshed.append(claim["id"])
                continue
            public = claim["status"] in PUBLIC_STATUSES
            quote = quote_of.get(id(claim))
            article = articles[id(quote["article_id"])] if quote else None
            if not (public and article and article["status"] in PUBLIC_STATUSES):
                quote = article = None
            entry = {
                "id": None,
                "kind": SearchEntry.Kind.CLAIM.value,
                "object_id": claim["id"],
                "public": public,
                "title": claim["summary"],
                "title_language": EN,
                "body": quote["text"] if quote else "",
                "language": article["language"] if article else "",
                "extra": setup.speaker_texts[claim["speaker_id"]],
                "year": claim["made_on"].year,
                "outlet_id": article["outlet_id"] if article else None,
            }
            entries.append(entry)
            entry_topics.extend(
                {"searchentry_id": entry, "topic_id": topic}
                for topic in sorted(topics.get(id(claim), ()))
            )
        self.writer.assign_ids(SearchEntry, entries)
        self.writer.insert(SearchEntry, entries)
        self.writer.insert(SearchEntry.topics.through, entry_topics)
        index.refresh(SearchEntry.Kind.CLAIM, refreshed)


def _speaker_texts(expert_ids):
    """{expert id: what a claim's search entry says of its speaker}, as documents.claims has it:
    every spelling of the name, then the name keys (variants in the database's order)."""
    variants = NameVariant.objects.only("expert_id", "name", "name_key")
    experts = Expert.objects.filter(pk__in=expert_ids).prefetch_related(
        Prefetch("name_variants", queryset=variants)
    )
    texts = {}
    for expert in experts:
        names, keys = documents._names(expert)
        texts[expert.pk] = "\n".join(names + keys)
    return texts


class _Writer:
    """Inserts rows (dicts by attname) with COPY on PostgreSQL and executemany elsewhere.

    Columns a row leaves out take the field's default; a value that is itself a row stands for
    that row's id. Model instances, and the ORM's SQL compiler, cost more than the rows here.
    """

    def __init__(self):
        self.vendor = connection.vendor

    def assign_ids(self, model, rows):
        """Give each row the next id of `model`'s table."""
        if not rows:
            return
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                    "FROM generate_series(1, %s) ORDER BY 1",
                    [table, len(rows)],
                )
                ids = [row[0] for row in cursor.fetchall()]
            else:
                cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}")
                top = cursor.fetchone()[0] or 0
                if self.vendor == "sqlite":
                    # AUTOINCREMENT never hands out an id again, even one deleted since.
                    cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                    found = cursor.fetchone()
                    top = max(top, found[0] if found else 0)
                ids = range(top + 1, top + 1 + len(rows))
        for row, pk in zip(rows, ids, strict=True):
            row["id"] = pk

    def insert(self, model, rows):
        if not rows:
            return
        fields = [
            f
            for f in model._meta.concrete_fields
            if not f.primary_key or rows[0].get(f.attname) is not None
        ]
        defaults = [None if f.primary_key else f.get_default() for f in fields]
        names = [f.attname for f in fields]
        prepare = [self._preparer(f) for f in fields]
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)

        def values(row):
            out = []
            for name, default, prep in zip(names, defaults, prepare, strict=True):
                value = row.get(name, default)
                if isinstance(value, dict):
                    value = value["id"]
                out.append(prep(value) if prep else value)
            return out

        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(values(row))
            else:
                placeholders = ", ".join(["%s"] * len(fields))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",
                    [values(row) for row in rows],
                )

    def _preparer(self, field):
        """How the database driver wants `field`'s values, when COPY does not take them as is."""
        if self.vendor == "postgresql":
            return None
        if field.get_internal_type() in ("DateField", "DateTimeField", "TimeField"):
            return lambda value: field.get_db_prep_save(value, connection)
        return None


# --- Clearing --------------------------------------------------------------------------------


def clear_corpus():
    """Delete every generated record and its search entries; returns {label: rows deleted}.

    Set-based SQL, not the ORM's delete(), which would load each of a million rows to send its
    signals. Records of the demo data or an editor are never touched; if one of them refers to
    a generated record (a quote of a corpus article, a claim on a corpus topic), nothing is
    deleted and CorpusError names the table.
    """
    tables = _CorpusTables()
    deleted = {}
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                for label, sql in tables.statements():
                    cursor.execute(sql, [PREFIX + "%"] * sql.count("%s"))
                    deleted[label] = deleted.get(label, 0) + max(cursor.rowcount, 0)
            # The foreign keys are checked at commit; check now to answer with a message.
            connection.check_constraints()
    except IntegrityError as error:
        raise CorpusError(
            "Other records refer to generated ones, so nothing was deleted "
            f"(delete or edit them first): {error}"
        ) from error
    _purge_public_caches("corpus cleared")
    return {label: count for label, count in deleted.items() if count}


class _CorpusTables:
    """The DELETE statements that remove a corpus, in an order the foreign keys accept."""

    def statements(self):
        t = {
            model: model._meta.db_table
            for model in (
                Article,
                Outlet,
                Claim,
                ClaimTopic,
                ClaimProvision,
                Quote,
                Topic,
                Treaty,
                Provision,
                Expert,
                NameVariant,
                Affiliation,
                Organization,
                SearchEntry,
            )
        }
        article_topics = Article.topics.through._meta.db_table
        entry_topics = SearchEntry.topics.through._meta.db_table
        experts = f"SELECT id FROM {t[Expert]} WHERE slug LIKE %s"
        claims = f"SELECT id FROM {t[Claim]} WHERE speaker_id IN ({experts})"
        articles = f"SELECT id FROM {t[Article]} WHERE slug LIKE %s"
        topics = f"SELECT id FROM {t[Topic]} WHERE slug LIKE %s"
        treaties = f"SELECT id FROM {t[Treaty]} WHERE slug LIKE %s"
        provisions = f"SELECT id FROM {t[Provision]} WHERE treaty_id IN ({treaties})"
        records = {
            SearchEntry.Kind.ARTICLE: articles,
            SearchEntry.Kind.CLAIM: claims,
            SearchEntry.Kind.EXPERT: experts,
            SearchEntry.Kind.TOPIC: topics,
            SearchEntry.Kind.TREATY: treaties,
            SearchEntry.Kind.PROVISION: provisions,
        }
        for kind, ids in records.items():
            entries = (
                f"SELECT id FROM {t[SearchEntry]} WHERE kind = '{kind}' AND object_id IN ({ids})"
            )
            yield (
                "search entry topics",
                f"DELETE FROM {entry_topics} WHERE searchentry_id IN ({entries})",
            )
            yield "search entries", f"DELETE FROM {t[SearchEntry]} WHERE id IN ({entries})"
        yield "quotes", f"DELETE FROM {t[Quote]} WHERE claim_id IN ({claims})"
        yield "claim topics", f"DELETE FROM {t[ClaimTopic]} WHERE claim_id IN ({claims})"
        yield "claim provisions", f"DELETE FROM {t[ClaimProvision]} WHERE claim_id IN ({claims})"
        yield "claims", f"DELETE FROM {t[Claim]} WHERE speaker_id IN ({experts})"
        yield "article topics", f"DELETE FROM {article_topics} WHERE article_id IN ({articles})"
        yield "articles", f"DELETE FROM {t[Article]} WHERE slug LIKE %s"
        yield "outlets", f"DELETE FROM {t[Outlet]} WHERE slug LIKE %s"
        yield "provisions", f"DELETE FROM {t[Provision]} WHERE treaty_id IN ({treaties})"
        yield "treaties", f"DELETE FROM {t[Treaty]} WHERE slug LIKE %s"
        yield "topics", f"DELETE FROM {t[Topic]} WHERE slug LIKE %s"
        yield "name variants", f"DELETE FROM {t[NameVariant]} WHERE expert_id IN ({experts})"
        yield "affiliations", f"DELETE FROM {t[Affiliation]} WHERE expert_id IN ({experts})"
        yield "experts", f"DELETE FROM {t[Expert]} WHERE slug LIKE %s"
        yield "organizations", f"DELETE FROM {t[Organization]} WHERE slug LIKE %s"


__all__ = [
    "PREFIX",
    "CorpusError",
    "check_sizes",
    "clear_corpus",
    "corpus_exists",
    "default_experts",
    "generate_corpus",
    "max_experts",
]
