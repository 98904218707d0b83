"""The corpus's word banks: one row per idea in Ukrainian, Russian and English, and the names.

Pure data; text.py draws from it.
"""

import datetime

from articles.models import Language
from experts.models import Organization

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
