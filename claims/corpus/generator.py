"""The corpus generator: outlets, experts, topics and treaties, then articles quoting claims,
drawn from a seeded random generator so the same options give the same corpus."""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

from django.db import reset_queries, transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Outlet
from claims.models import (
    QUOTE_CONTEXT_LENGTH,
    Claim,
    ClaimProvision,
    Provision,
    SearchEntry,
    Stance,
    Topic,
    Treaty,
)
from claims.search import index
from core.models import PUBLIC_STATUSES, DatePrecision, PublicationStatus
from experts.models import Affiliation, Expert, NameVariant, Organization
from experts.names import name_key

from .text import (
    ADVERBIAL_BANK,
    OBJECT_BANK,
    SUBJECT_BANK,
    VERB_BANK,
    Bank,
    Idea,
    capitalized,
    distinct,
    name_makers,
)
from .words import (
    BYLINES,
    CLOSE_QUOTE,
    EN,
    HEADLINE_FRAMES,
    MONTHS,
    NARRATIVE_FRAMES,
    OPEN_QUOTE,
    ORGANIZATIONS,
    OUTLETS,
    PROVISION_HEADINGS,
    QUOTE_FRAMES,
    RARE_ADVERBIALS,
    RARE_CHANCE,
    ROLES,
    SAID,
    TOPICS,
    TREATIES,
)
from .writer import PREFIX, BatchWriter, speaker_texts

# More quoted claims than this in one article would make bodies no newsroom writes.
MAX_CLAIMS_PER_ARTICLE = 200
# Expert entries are rebuilt this many at a time at the end: a prolific expert has many claims.
EXPERT_REFRESH_CHUNK = 50


@dataclass
class Batch:
    """Rows to write together, as dicts by attname (see writer.RowWriter)."""

    articles: list = field(default_factory=list)
    article_topics: list = field(default_factory=list)
    claims: list = field(default_factory=list)
    claim_topics: list = field(default_factory=list)
    claim_provisions: list = field(default_factory=list)
    quotes: list = field(default_factory=list)
    requoted: list = field(default_factory=list)  # claims quoted again in this batch


@dataclass
class Setup:
    outlets: list
    topics: Bank
    provisions: list
    experts: Bank  # of (expert id, Person)
    speaker_texts: dict  # expert id → the speaker text of their claims' search entries


class Generator:
    """Draws the records from a seeded random generator and hands them to the writer in
    batches."""

    def __init__(self, *, seed, batch_size):
        self.rng = random.Random(seed)
        self.batch_size = batch_size
        self.now = timezone.now()
        self.counts = Counter()
        self.writer = BatchWriter(self.counts)

    def run(self, *, articles, claims, experts, progress):
        with transaction.atomic():
            setup = self.write_setup(experts)
        outlet_weights = [share for *_, share in OUTLETS]
        batch = Batch()
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
                written_articles, written_claims = self.writer.write(batch, setup.speaker_texts)
                # With DEBUG on, Django keeps every statement's text: the batch's bodies.
                reset_queries()
                done_articles += written_articles
                done_claims += written_claims
                if progress:
                    progress(done_articles, done_claims)
                batch = Batch()
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
        return Setup(
            outlets=outlets,
            topics=Bank(topics),
            provisions=provisions,
            experts=Bank([(expert.pk, person) for expert, person in experts], 0.8),
            speaker_texts=speaker_texts([expert.pk for expert, _ in experts]),
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
                    text=capitalized(f"the parties agree that {idea.core(EN)}."),
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
                            text=capitalized(f"{self.idea().core(EN)}."),
                            order=order,
                        )
                    )
        return self.create(Provision, articles) + self.create(Provision, paragraphs)

    def write_experts(self, count, organizations):
        rng = self.rng
        makers = name_makers()
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
        organization_bank = Bank(organizations, 0.7)
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
        return Idea(SUBJECT_BANK.draw(rng), VERB_BANK.draw(rng), OBJECT_BANK.draw(rng), adverbial)

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
        headline = capitalized(
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
        for topic in distinct(setup.topics.draw(rng) for _ in range(rng.randint(1, 2))):
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
        for topic in distinct(setup.topics.draw(rng) for _ in range(rng.randint(1, 3))):
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
            for provision in distinct(cited):
                batch.claim_provisions.append(
                    self.row(
                        claim_id=claim,
                        provision_id=provision.pk,
                        relation=rng.choice(ClaimProvision.Relation.values),
                    )
                )
        text = rng.choice(QUOTE_FRAMES[language]).format(core=idea.core(language))
        return claim, capitalized(text), person
