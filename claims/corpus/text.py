"""What the corpus says: names in every spelling (transliterated) and sentences drawn from the
word banks with Zipf weights."""

from bisect import bisect_right
from dataclasses import dataclass

from claims.models import Claim

from .words import (
    ADVERBIALS,
    COLUMN,
    EN,
    GIVEN_NAMES,
    OBJECTS,
    RESERVED_SURNAMES,
    RU,
    RUSSIAN_SURNAMES,
    SUBJECTS,
    SURNAME_ENDINGS,
    SURNAME_STEMS,
    UK,
    VERBS,
    WESTERN_GIVEN,
    WESTERN_SURNAMES,
)

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


def name_makers():
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
    return len(name_makers())


def _cumulative_zipf(count, exponent=1.0):
    total, cumulative = 0.0, []
    for rank in range(1, count + 1):
        total += 1.0 / rank**exponent
        cumulative.append(total)
    return cumulative


class Bank:
    """Items drawn with Zipf weights: the first is the most frequent."""

    def __init__(self, items, exponent=1.0):
        self.items = items
        self.cumulative = _cumulative_zipf(len(items), exponent)
        self.total = self.cumulative[-1]

    def draw(self, rng):
        position = bisect_right(self.cumulative, rng.random() * self.total)
        return self.items[min(position, len(self.items) - 1)]


SUBJECT_BANK = Bank(SUBJECTS, 0.9)
VERB_BANK = Bank(VERBS, 0.8)
OBJECT_BANK = Bank(OBJECTS, 0.9)
ADVERBIAL_BANK = Bank(ADVERBIALS, 0.8)


def distinct(items):
    """`items` without repeats, in the order drawn (a set's order would depend on ids)."""
    return list(dict.fromkeys(items))


def capitalized(text):
    return text[:1].upper() + text[1:]


@dataclass
class Idea:
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
        subject = capitalized(self.subject[2])
        rest = f"{self.object[2]} {self.adverbial[2]}"
        if kind == Claim.Kind.PREDICTION:
            return f"{subject} will {self.verb[3]} {rest}."
        if kind == Claim.Kind.RECOMMENDATION:
            return f"{subject} should {self.verb[3]} {rest}."
        return f"{subject} {self.verb[2]} {rest}."
