"""Generated rewordings of clauses with comments on them, and the truth about each passage.

Each case is one clause, one passage of whole words commented on, and a newer wording made
by one kind of rewording. Every word carries an id that follows it into the new wording
(a light edit keeps it; a word put in another's place gets a new id that is recorded as
replacing it), so a placement can be judged against the truth:

- right: on words of the passage (or words standing in their place), taking in every
  passage word still there, and no word from outside the passage;
- wrong: anything else that is not orphaned;
- orphaned.

A case's passage "remains" when at least two thirds of its words are still there (edited
lightly or not), in order: orphaning it then counts against the anchoring. It is "gone"
when none are, and "partly" in between (orphaning it is then fair, as is placing it).

Two generators with different vocabularies, sentence shapes and edit habits make two
corpora, so a change tuned on one can be checked on the other.
"""

import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

KINDS = (
    "unchanged",
    "light edits inside",
    "edits just outside",
    "inserted/deleted around",
    "sentence moved",
    "punctuation/case only",
    "repeated phrases",
    "non-ASCII",
    "passage deleted",
    "wholly rewritten",
)

Token = tuple[str, int]  # (word as written, id)


@dataclass
class Language:
    """How one language's clauses are written: words, joiner and sentence end."""

    name: str
    words: list[str]
    joiner: str = " "
    full_stop: str = "."
    comma: str = ","
    cased: bool = True


_ENGLISH_A = """council committee city resident residents citizen data personal records consent
    publish explain review delete protect share collect record assess disclose store audit
    limit justify encrypt purpose dataset decision decisions algorithm register contract
    supplier camera footage public space plain language year days law processing officer
    shall must may should will never always each every any the a of to in on for with by
    and or keep log budget report notice request appeal person people children health"""
_ENGLISH_B = """tenant landlord housing estate repair repairs rent deposit inspection heating
    boiler window garden notice month weeks hearing tribunal evidence complaint statement
    agent owner tenancy renewal fee fees charge charges safety gas electric certificate
    lodge lodged return returned serve served grant granted refuse refused ask asked
    give given allow allowed without before after within unless until when where which
    that this those these its their our your his her is are be been was were has have"""
LATIN_A = Language("English", _ENGLISH_A.split())
LATIN_B = Language("English (second vocabulary)", _ENGLISH_B.split())
FRENCH = Language(
    "French",
    [
        "données", "comité", "éthique", "protège", "règles", "accès", "intérêt",
        "sécurité", "à", "caractère", "personnel", "publiées", "délai", "être",
        "conservées", "élu", "réunion", "procès-verbal", "décidé", "où", "dès", "très",
        "cafe\u0301", "re\u0301gion", "e\u0301tude",  # accents typed apart
        "les", "des", "la", "le", "du", "et", "ou", "pour", "avec", "sans",
    ],
)  # fmt: skip
CHINESE = Language(
    "Chinese",
    [
        "个人", "数据", "委员会", "应当", "公开", "书面", "协议", "共享", "审查", "决定",
        "市议会", "居民", "记录", "保护", "删除", "目的", "每年", "算法", "合同", "供应商",
        "的", "和", "在", "对",
    ],
    joiner="",
    full_stop="。",
    comma="，",
    cased=False,
)  # fmt: skip
HINDI = Language(
    "Hindi",
    [
        "व्यक्तिगत", "डेटा", "समिति", "सार्वजनिक", "नागरिक", "जानकारी", "सुरक्षित",
        "रखना", "चाहिए", "निर्णय", "की", "का", "और", "है", "नगर", "परिषद", "हर", "वर्ष",
        "समीक्षा", "अनुबंध", "सहमति", "रिकॉर्ड", "हटाना", "उद्देश्य",
    ],
    full_stop="।",
    cased=False,
)  # fmt: skip
ARABIC = Language(
    "Arabic",
    [
        "البيانات", "الشخصية", "اللجنة", "يجب", "نشر", "المواطنين", "القرار", "السجلات",
        "حماية", "في", "من", "على", "المجلس", "كل", "سنة", "مراجعة", "العقد", "الموافقة",
        "حذف", "الغرض", "الأطفال", "الصحة",
    ],
    comma="،",
    cased=False,
)  # fmt: skip
HEBREW = Language(
    "Hebrew",
    [
        "הַנְּתוּנִים", "הָאִישִׁיִּים", "הַוַּעֲדָה", "חַיֶּבֶת", "לְפַרְסֵם", "אֶת",
        "כָּל", "הַהַחְלָטוֹת", "שֶׁל", "הָעִירִיָּה", "תושבים", "רשומות", "הסכמה", "שנה",
        "בדיקה", "חוזה", "מחיקה", "מטרה", "ילדים", "בריאות",
    ],
    cased=False,
)  # fmt: skip
NON_ASCII = (FRENCH, CHINESE, HINDI, ARABIC, HEBREW)


@dataclass
class Case:
    """One clause, a passage on it, a newer wording, and what happened to the passage."""

    kind: str
    language: str
    old: str
    new: str
    start: int
    end: int
    passage: set[int]
    allowed: set[int]  # passage ids and the ids of words put in their place
    surviving: set[int]  # passage ids still in the new wording
    new_spans: list[tuple[int, int, int]] = field(repr=False)

    @property
    def fate(self) -> str:
        """Return "remains", "partly" or "gone" for the passage's words."""
        if len(self.surviving) * 3 >= len(self.passage) * 2:
            return "remains"
        return "partly" if self.surviving else "gone"

    def verdict(self, status: str, start: int | None, end: int | None) -> str:
        """Return "right", "wrong" or "orphaned" for a placement of this case's passage."""
        if status == "orphaned":
            return "orphaned"
        covered = {i for s, e, i in self.new_spans if s < end and e > start}
        if covered and covered <= self.allowed and self.surviving <= covered:
            return "right"
        return "wrong"


def render(language: Language, sentences: list[list[Token]]) -> tuple[str, list]:
    """Return the text of sentences and each word's (start, end, id)."""
    spans, parts, at = [], [], 0
    for sentence in sentences:
        for w, (word, ident) in enumerate(sentence):
            if parts:
                sep = language.joiner if (w or not language.joiner) else " "
                parts.append(sep)
                at += len(sep)
            spans.append((at, at + len(word), ident))
            parts.append(word)
            at += len(word)
    return "".join(parts), spans


class Generator:
    """Makes cases of every kind from one seed and one style of prose."""

    def __init__(self, seed: int, style: str) -> None:
        self.rng = random.Random(seed)
        self.style = style
        self.next_id = 0
        self.latin = LATIN_A if style == "A" else LATIN_B
        # Style A writes template-like sentences; style B writes Zipf-like word streams
        # with many repeated small words, and edits more often and in bursts.
        self.noise = 0.05 if style == "A" else 0.09

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def word(self, language: Language, unlike: tuple[str, ...] = ()) -> str:
        """Return a word of language, none of unlike (so no edit is ambiguous in the truth).

        A word deleted or inserted next to the same word could be either of the two: the
        truth would then be a guess, so the generator never writes a word twice in a row.
        """
        unlike = tuple(u.rstrip(".,。，।،;").lower() for u in unlike)
        while True:
            if self.style == "B":
                # Zipf: the first words of the list are far commoner, so phrases repeat.
                weights = [1 / (rank + 1) for rank in range(len(language.words))]
                word = self.rng.choices(language.words, weights)[0]
            else:
                word = self.rng.choice(language.words)
            if word.lower() not in unlike:
                return word

    def sentence(self, language: Language, length: int | None = None) -> list[Token]:
        length = length or self.rng.randint(6, 16)
        words: list[str] = []
        for _ in range(length):
            words.append(self.word(language, tuple(words[-1:])))
        if language.cased:
            words[0] = words[0].capitalize()
        if length > 6 and self.rng.random() < 0.4:
            words[self.rng.randrange(2, length - 2)] += language.comma
        words[-1] += language.full_stop
        return [(w, self.new_id()) for w in words]

    def clause(self, language: Language) -> list[list[Token]]:
        return [self.sentence(language) for _ in range(self.rng.randint(3, 8))]

    def light(self, language: Language, word: str) -> str:
        """Return word lightly edited: case, punctuation, inflection."""
        options: list[Callable[[str], str]] = [
            lambda w: w[:-1] if w[-1] in ".,。，।،" else w + language.comma
        ]
        if language.cased:
            options += [lambda w: w[0].swapcase() + w[1:], lambda w: w + "s"]
        elif language is CHINESE:
            options.append(lambda w: w + "们")
        else:
            options.append(lambda w: unicodedata.normalize("NFC", w) + language.words[-1][-1])
        return self.rng.choice(options)(word)

    def case(self, kind: str) -> Case:
        rng = self.rng
        language = self.latin
        if kind == "non-ASCII":
            language = rng.choice(NON_ASCII)
        sentences = self.clause(language)
        if kind == "repeated phrases":
            phrase = [w for w, _ in sentences[0][1:5]]
            for sentence in sentences[1:]:
                if rng.random() < 0.7:
                    at = rng.randrange(len(sentence) - 1)
                    sentence[at:at] = [(w, self.new_id()) for w in phrase]
        flat = [(s, w) for s, sentence in enumerate(sentences) for w in range(len(sentence))]
        if kind in ("sentence moved", "repeated phrases") or rng.random() < 0.5:
            # A passage inside one sentence (a moved sentence carries all of it).
            s = rng.randrange(len(sentences))
            n = len(sentences[s])
            length = rng.randint(1, min(n, 12))
            first = rng.randrange(n - length + 1)
            if kind == "repeated phrases" and n > len(phrase) + 1:
                hits = [
                    i for i in range(n - 3) if [w for w, _ in sentences[s][i : i + 4]] == phrase
                ]
                if hits:
                    first, length = rng.choice(hits), rng.choice([1, 2, 4])
            chosen = [(s, w) for w in range(first, first + length)]
        else:
            length = rng.randint(1, 15)
            length = min(length, len(flat))
            first = rng.randrange(len(flat) - length + 1)
            chosen = flat[first : first + length]
        passage = {sentences[s][w][1] for s, w in chosen}
        old_text, old_spans = render(language, sentences)
        by_id = {i: (a, b) for a, b, i in old_spans}
        start, end = (
            by_id[sentences[chosen[0][0]][chosen[0][1]][1]][0],
            by_id[sentences[chosen[-1][0]][chosen[-1][1]][1]][1],
        )
        replaces: dict[int, int] = {}
        new = self.reword(kind, language, sentences, passage, replaces)
        new_text, new_spans = render(language, new)
        present = {i for _, _, i in new_spans}
        surviving = passage & present
        # Words put in the passage's place count as its own only while some of it is left:
        # a comment on wholly new words is on other words.
        allowed = passage | {i for i, was in replaces.items() if was in passage and surviving}
        return Case(
            kind=kind,
            language=language.name,
            old=old_text,
            new=new_text,
            start=start,
            end=end,
            passage=passage,
            allowed=allowed,
            surviving=surviving,
            new_spans=new_spans,
        )

    def reword(self, kind, language, sentences, passage, replaces) -> list[list[Token]]:
        """Return a new wording of sentences made by one kind of rewording."""
        rng = self.rng
        new = [list(s) for s in sentences]
        if kind == "unchanged":
            return new
        ids = [i for s in new for _, i in s]
        first = ids.index(min(passage, key=ids.index))
        last = ids.index(max(passage, key=ids.index))
        near = set(ids[max(0, first - 1) : last + 2])

        def neighbours(sentence, n, gap=1):
            flat = [w for s in new for w, _ in s]
            at = sum(len(s) for s in new[: new.index(sentence)]) + n
            return tuple(flat[max(0, at - gap) : at] + flat[at + 1 : at + 1 + gap])

        def edit_word(ident, how):
            for sentence in new:
                for n, (word, i) in enumerate(sentence):
                    if i != ident:
                        continue
                    around = neighbours(sentence, n)
                    bare = word.rstrip(".,。，।،;").lower()
                    if how == "delete" and len(set(neighbours(sentence, n, 2)) | {bare}) < 3:
                        # Deleting one of "a b a" leaves "a a": which went is a guess.
                        how = "light"
                    if how == "light":
                        sentence[n] = (self.light(language, word), i)
                    elif how == "replace":
                        other = self.word(language, (*around, word))
                        fresh = self.new_id()
                        replaces[fresh] = i
                        sentence[n] = (other + word[len(word.rstrip(".,。，।،")) :], fresh)
                    elif how == "delete":
                        del sentence[n]
                    elif how == "insert":
                        other = self.word(language, (*neighbours(sentence, n, 2), word))
                        sentence.insert(n + rng.randrange(2), (other, self.new_id()))
                    elif how == "case":
                        flip = word.swapcase() if language.cased else word
                        sentence[n] = (flip if rng.random() < 0.5 else word + ";", i)
                    return

        def noise(away_from: set[int]):
            for ident in ids:
                if ident in away_from or rng.random() >= self.noise:
                    continue
                edit_word(ident, rng.choice(["light", "replace", "delete", "insert"]))

        inside = [i for i in ids if i in passage]
        if kind in ("light edits inside", "non-ASCII"):
            n_replace = len(inside) // 3 if rng.random() < 0.5 else 0
            for ident in rng.sample(inside, n_replace):
                edit_word(ident, "replace")
            for ident in rng.sample(inside, max(1, len(inside) // 4)):
                if ident not in replaces.values():
                    edit_word(ident, "light")
            noise(near)
        elif kind == "edits just outside":
            for ident in (ids[first - 1] if first else None, ids[last + 1 : last + 2]):
                if isinstance(ident, list):
                    ident = ident[0] if ident else None
                if ident is not None:
                    edit_word(ident, rng.choice(["replace", "delete", "insert", "light"]))
            noise(near)
        elif kind == "inserted/deleted around":
            for ident in ids:
                if ident not in passage and rng.random() < 0.2:
                    edit_word(ident, rng.choice(["delete", "insert"]))
        elif kind == "sentence moved":
            s = next(n for n, sentence in enumerate(new) if any(i in passage for _, i in sentence))
            moved = new.pop(s)
            choices = [n for n in range(len(new) + 1) if n != s] or [s]
            new.insert(rng.choice(choices), moved)
            noise(passage)
        elif kind == "punctuation/case only":
            for ident in ids:
                if ident in near and rng.random() < 0.4:
                    edit_word(ident, "case")
        elif kind == "repeated phrases":
            roll = rng.random()
            if roll < 0.3:
                for ident in inside:
                    edit_word(ident, "delete")
            elif roll < 0.6:
                noise(near)
            else:
                for ident in rng.sample(ids, len(ids) // 6):
                    if ident not in passage:
                        edit_word(ident, "delete")
        elif kind == "passage deleted":
            for ident in inside:
                edit_word(ident, "delete")
            noise(near)
        elif kind == "wholly rewritten":
            for ident in inside:
                edit_word(ident, "replace")
            noise(near)
        return [s for s in new if s]


def corpus(seed: int, style: str, per_kind: int) -> list[Case]:
    """Return per_kind cases of every kind, generated from seed in the given style."""
    generator = Generator(seed, style)
    return [generator.case(kind) for kind in KINDS for _ in range(per_kind)]


# Real rewordings, written by hand: (old, quote, new, the words it should land on or None).
HAND_WRITTEN = [
    (
        "Each department shall keep a log of every request it receives.",
        "keep a log of",
        "Each department shall keep a budget of every request it receives.",
        "keep a budget of",
    ),
    (
        "Personal data may be shared with a contractor only with a written agreement.",
        "with a written agreement",
        "Personal data may be shared with a contractor or with a supplier, "
        "only with a signed written agreement.",
        "with a signed written agreement",
    ),
    (
        "The council shall publish its audits. Residents may ask for a review.",
        "Residents may ask for a review.",
        "Residents may ask for a review. The council shall publish every audit.",
        "Residents may ask for a review.",
    ),
    (
        "Data is kept for five years and then deleted.",
        "five years",
        "Data is kept for as long as the law requires.",
        None,
    ),
    (
        "The committee meets in public. Its minutes are published within a week.",
        "minutes are published within a week",
        "The committee meets in public. Its minutes are published within ten days.",
        "minutes are published within ten days",
    ),
    (
        "Le comité d'éthique protège les données à caractère personnel.",
        "données à caractère personnel",
        "Désormais, le comité d'éthique protège toutes les données à caractère personnel.",
        "données à caractère personnel",
    ),
    (
        "市议会应当公开其持有的全部数据。个人数据只能在书面协议下共享。",
        "个人数据只能在书面协议下共享",
        "个人数据只能在书面协议下共享。市议会必须公开其持有的全部数据。",
        "个人数据只能在书面协议下共享",
    ),
    (
        "नगर परिषद हर वर्ष डेटा की समीक्षा करेगी।",
        "डेटा की समीक्षा",
        "नगर परिषद हर छह महीने डेटा की समीक्षा करेगी।",
        "डेटा की समीक्षा",
    ),
    (
        "يجب على المجلس نشر البيانات كل سنة.",
        "نشر البيانات",
        "يجب على المجلس البلدي نشر البيانات المفتوحة كل سنة.",
        "نشر البيانات",
    ),
    (
        "הַוַּעֲדָה חַיֶּבֶת לְפַרְסֵם אֶת כָּל הַהַחְלָטוֹת שֶׁל הָעִירִיָּה.",
        "לְפַרְסֵם אֶת כָּל הַהַחְלָטוֹת",
        "הַוַּעֲדָה חַיֶּבֶת תָּמִיד לְפַרְסֵם אֶת כָּל הַהַחְלָטוֹת שֶׁל הָעִירִיָּה.",
        "לְפַרְסֵם אֶת כָּל הַהַחְלָטוֹת",
    ),
    (
        "Members vote with a show of hands. Guests speak with the chair's consent.",
        "with",
        "Members vote by a show of hands. Guests speak with the chair's consent.",
        None,
    ),
    (
        "Members vote with a show of hands. Guests speak with the chair's consent.",
        "with the chair's",
        "Members vote with a show of hands, and guests speak with the chair's consent.",
        "with the chair's",
    ),
    (
        "The data protection officer reviews every contract.",
        "data protection officer",
        "The Data Protection Officer reviews every contract.",
        "Data Protection Officer",
    ),
    (
        "Records of consent are kept in the register.",
        "Records of consent",
        "Consent is recorded in the register.",
        None,
    ),
    (
        "The snake_case field user_id is never published.",
        "user_id",
        "The snake_case field user_name is never published.",
        None,
    ),
]
