"""Comparison keys for people's names across Latin and Cyrillic spellings.

`name_key()` maps a name to a key so that the spellings a newsroom meets for one person meet:
"Oleksandr Musiienko", "Alexander Musienko", "Олександр Мусієнко" and "Александр Мусиенко" all
give the same key. The key is for finding probable duplicates and for search, never for display.

How a name becomes a key:

1. Case is folded; apostrophes and the soft and hard signs are dropped.
2. Cyrillic is transliterated letter by letter (Ukrainian and Russian letters; one Latin spelling
   per letter, `CYRILLIC` below); accents are stripped (é → e, š → s, ł → l).
3. Anything but a letter separates words. In each word the common transliteration variants are
   collapsed (`_collapse`, rules in order):
   j → y, w → v, ph → f, th → t, tch → ch, ck → k, c before a consonant/a/o/u → k, ks → x;
   shch → sc, sh → s, ch → c, zh → z (the Czech-style š, č, ž already lost their accents);
   kh → h, then h → g (Ukrainian writes Г as h, Russian as g: Olha/Olga, Serhii/Sergei);
   y → i; in a run of vowels the i's next to another vowel go (Musiienko, Musiyenko, Musienko
   → musenko; Yurii, Iurii, Jurij → uri); doubled letters become one (Gennadiy → genadi).
4. Each word is looked up in a short table of given-name equivalents (`GIVEN_NAMES`), for the
   pairs the rules cannot bring together (Oleksandr/Aleksandr, Volodymyr/Vladimir).
5. With three words or more, patronymics (…ovych, …ovich, …ivna, …ovna) are dropped; the words
   are sorted, so "Musienko Oleksandr" meets "Oleksandr Musienko".

The rules trade a few false matches (Khomenko and Homenko, Hill and Gill meet) for catching the
spellings that matter; a key match is a warning for an editor, never an automatic merge.
"""

import re
import unicodedata
from functools import cache

from core.text import CYRILLIC

SILENT = {"ь", "ъ", "'", "’", "ʼ", "`", "´"}

# The spellings of one given name, the first one being the name the others are keyed to.
GIVEN_NAMES = [
    ["Oleksandr", "Aleksandr", "Alexander", "Aleksander", "Alexandre", "Olexander"],
    ["Oleksii", "Aleksei", "Alexey", "Oleksiy"],
    ["Volodymyr", "Vladimir", "Wladimir"],
    ["Mykola", "Nikolai", "Nikolay"],
    ["Mykhailo", "Mikhail", "Michail", "Mychajlo"],
    ["Andrii", "Andrei", "Andrey"],
    ["Serhii", "Sergei", "Sergey"],
    ["Dmytro", "Dmitry", "Dmitrii"],
    ["Yevhen", "Evgeny", "Yevgeniy", "Evgenii"],
    ["Petro", "Pyotr", "Petr"],
    ["Pavlo", "Pavel"],
    ["Vasyl", "Vasily", "Vasilii"],
    ["Kyrylo", "Kirill"],
    ["Olena", "Elena", "Yelena", "Jelena"],
    ["Tetiana", "Tatiana", "Tatyana"],
    ["Kateryna", "Ekaterina", "Yekaterina"],
    ["Svitlana", "Svetlana"],
    ["Liudmyla", "Lyudmila", "Ludmila"],
    ["Halyna", "Galina"],
    ["Nadiia", "Nadezhda"],
    ["Fedir", "Fyodor", "Fedor"],
    ["Lev", "Leo"],
]

PATRONYMIC = re.compile(r"(?:ovic|evic|ovna|evna|ivna)$")
VOWEL_RUN = re.compile(r"[aeiou]+")
DOUBLED = re.compile(r"(.)\1+")
WORD_RULES = [
    (re.compile(pattern), replacement)
    for pattern, replacement in [
        (r"j", "y"),
        (r"w", "v"),
        (r"ph", "f"),
        (r"th", "t"),
        (r"tch", "ch"),
        (r"ck", "k"),
        (r"c(?![hiey])", "k"),
        (r"ks", "x"),
        (r"shch", "sc"),
        (r"sh", "s"),
        (r"ch", "c"),
        (r"zh", "z"),
        (r"kh", "h"),
        (r"h", "g"),
        (r"y", "i"),
    ]
]


def name_key(name):
    """The comparison key of a person's name: lower-case Latin words, sorted, one space apart.

    Empty when the name holds no letters.
    """
    words = [_given_name(_collapse(word)) for word in _latin_words(name or "")]
    words = [word for word in words if word]
    if len(words) > 2:
        words = [word for word in words if not PATRONYMIC.search(word)]
    return " ".join(sorted(words))


def name_parts(name):
    """(initials, words) of `name`'s key: the single letters ("V." in "V. Fesenko") apart from
    the words they abbreviate."""
    words = name_key(name).split()
    return [word for word in words if len(word) == 1], [word for word in words if len(word) > 1]


def stem(word):
    """`word` without its last letter once it is long enough to carry a case ending: the
    inflected forms of a surname meet (Fesenko, Fesenka, Fesenku; Мусієнко, Мусієнка)."""
    return word[:-1] if len(word) >= 5 else word


def initials_of(name):
    """The first letters of `name`'s words in Latin (Олександр → o), before the key's rules
    fold them (its key word may be a given-name equivalent with another first letter)."""
    return {word[0] for word in _latin_words(name or "")}


def probably_named(typed, names):
    """Whether the person `typed` names (initials and words, e.g. "V. Fesenko", "Fesenka")
    is probably the one whose spellings are `names`: every typed word meets a word of one name
    in an inflected form, and every typed initial begins one of that name's other words."""
    initials, words = name_parts(typed)
    if not words:
        return False
    for name in names:
        known = name_key(name).split()
        stems = [stem(word) for word in known]
        if not all(stem(word) in stems for word in words):
            continue
        letters = initials_of(name) | {word[0] for word in known}
        if all(initial in letters for initial in initials):
            return True
    return False


def name_key_words(name):
    """The words of `name`'s key, for matching a search term against stored keys."""
    return name_key(name).split()


def _latin_words(name):
    text = unicodedata.normalize("NFC", name).casefold()
    text = "".join("" if c in SILENT else CYRILLIC.get(c, c) for c in text)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.findall(r"[a-z]+", text)


def _collapse(word):
    for pattern, replacement in WORD_RULES:
        word = pattern.sub(replacement, word)
    word = VOWEL_RUN.sub(_vowel_run, word)
    return DOUBLED.sub(r"\1", word)


def _vowel_run(match):
    """Drop the i's (glides: y, й, the i of ia/ie/iu) next to another vowel."""
    run = match.group()
    others = run.replace("i", "")
    return others or "i"


@cache
def _given_names():
    table = {}
    for spellings in GIVEN_NAMES:
        keys = [_collapse(word) for spelling in spellings for word in _latin_words(spelling)]
        for key in keys:
            table[key] = keys[0]
    return table


def _given_name(word):
    return _given_names().get(word, word)
