"""Load the demo knowledge base from `demo/knowledge.toml` and the seed pages beside it.

Every record is matched on its natural key (a slug; a claim on speaker + summary; a quote on
claim + article + text; a link on its two ends) and saved only when a value differs, so a
second run writes nothing: no new rows, no new history entries, no changed `updated` stamps.
Nothing is deleted; a record dropped from the data file stays until an editor removes it.
"""

import re
import tomllib
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from articles.imports.items import parse_partial_date
from articles.imports.text import clean_page
from articles.models import Article, Outlet
from articles.services import article_import, article_update_body
from claims.models import Claim, ClaimProvision, ClaimTopic, Provision, Quote, Topic, Treaty
from claims.services import claim_create, quote_create
from core.models import PublicationStatus
from core.services import save_stamped
from experts.models import Affiliation, Expert, NameVariant, Organization

DATA_FILE = "knowledge.toml"

# Report order; models not listed here are never written by the loader.
REPORTED_MODELS = [
    Outlet,
    Topic,
    Organization,
    Expert,
    NameVariant,
    Affiliation,
    Treaty,
    Provision,
    Article,
    Claim,
    ClaimTopic,
    ClaimProvision,
    Quote,
]


class DemoDataError(Exception):
    """The data files are incomplete or inconsistent; the message says where."""


def demo_directory():
    """The project's `demo/` folder (data file and seed pages)."""
    return Path(settings.BASE_DIR) / "demo"


@transaction.atomic
def load_demo(*, directory=None):
    """Create or update the demo records; returns {model: Counter(created/updated/unchanged)}.

    Raises DemoDataError, leaving the database as it was, when the data does not fit.
    """
    from claims.search import index

    loader = _Loader(Path(directory) if directory else demo_directory())
    # Index each record once at the end rather than at each of its parts' saves.
    with index.deferred():
        loader.run()
    return loader.counts


class _Loader:
    def __init__(self, directory):
        self.directory = directory
        self.counts = {model: Counter() for model in REPORTED_MODELS}
        self.outlets = {}
        self.topics = {}
        self.organizations = {}
        self.experts = {}
        self.treaties = {}
        self.provisions = {}
        self.articles = {}

    def run(self):
        try:
            data = tomllib.loads(self._read(DATA_FILE))
        except tomllib.TOMLDecodeError as error:
            raise DemoDataError(f"{DATA_FILE} is not valid TOML: {error}") from error
        for entry in data.get("outlets", []):
            self.load_outlet(_Entry(entry, "outlets"))
        for entry in data.get("topics", []):
            self.load_topic(_Entry(entry, "topics"))
        for entry in data.get("organizations", []):
            self.load_organization(_Entry(entry, "organizations"))
        for entry in data.get("experts", []):
            self.load_expert(_Entry(entry, "experts"))
        for entry in data.get("treaties", []):
            self.load_treaty(_Entry(entry, "treaties"))
        for entry in data.get("articles", []):
            self.load_article(_Entry(entry, "articles"))
        for entry in data.get("claims", []):
            self.load_claim(_Entry(entry, "claims"))

    def load_outlet(self, entry):
        slug = entry["slug"]
        self.outlets[slug] = self.sync(
            Outlet,
            {"slug": slug},
            {
                "name": entry["name"],
                "home_url": entry.get("home_url", ""),
                "country": entry.get("country", ""),
                "language": entry["language"],
            },
        )

    def load_topic(self, entry):
        slug = entry["slug"]
        parent = entry.get("parent")
        self.topics[slug] = self.sync(
            Topic,
            {"slug": slug},
            {
                "title": entry["title"],
                "question": entry["question"],
                "description": entry.get("description", ""),
                "parent": self.lookup(self.topics, parent, entry) if parent else None,
            },
        )

    def load_organization(self, entry):
        slug = entry["slug"]
        self.organizations[slug] = self.sync(
            Organization,
            {"slug": slug},
            {"name": entry["name"], "kind": entry["kind"], "country": entry.get("country", "")},
        )

    def load_expert(self, entry):
        slug = entry["slug"]
        expert = self.sync(
            Expert,
            {"slug": slug},
            {
                "display_name": entry["display_name"],
                "bio": entry.get("bio", "").strip(),
                "country": entry.get("country", ""),
                "wikidata_id": entry.get("wikidata_id", ""),
            },
        )
        self.experts[slug] = expert
        for name in entry.get("name_variants", []):
            self.sync(NameVariant, {"expert": expert, "name": name.strip()}, {})
        for affiliation in entry.get("affiliations", []):
            affiliation = _Entry(affiliation, f"affiliations of {slug}")
            self.sync(
                Affiliation,
                {
                    "expert": expert,
                    "organization": self.lookup(
                        self.organizations, affiliation["organization"], affiliation
                    ),
                    "role_title": affiliation["role_title"],
                },
                {
                    "start_date": affiliation.get("start_date"),
                    "end_date": affiliation.get("end_date"),
                },
            )

    def load_treaty(self, entry):
        slug = entry["slug"]
        treaty = self.sync(
            Treaty,
            {"slug": slug},
            {
                "title": entry["title"],
                "short_name": entry["short_name"],
                "parties": "\n".join(entry["parties"]),
                "signed_on": entry.get("signed_on"),
                "in_force_on": entry.get("in_force_on"),
                "source_url": entry.get("source_url", ""),
            },
        )
        self.treaties[slug] = treaty
        for address, values in _provision_rows(entry):
            self.provisions[slug, address] = self.sync(
                Provision, {"treaty": treaty, "address": address}, values
            )

    def load_article(self, entry):
        slug = entry["slug"]
        page = clean_page(self._read(entry["source"]))
        try:
            published_on, precision = parse_partial_date(entry["published"])
        except ValueError as error:
            raise DemoDataError(f"{entry.where}: {error}") from error
        outlet = self.lookup(self.outlets, entry["outlet"], entry)
        byline = entry.get("byline", page.byline)
        values = {
            "title": entry.get("title", page.title),
            "outlet": outlet,
            "byline": byline,
            "source_url": entry.get("source_url", ""),
            "published_on": published_on,
            "published_precision": precision,
            "language": entry["language"],
            "body": page.body,
            "status": PublicationStatus.PUBLISHED,
        }
        article = self.sync(
            Article,
            {"slug": slug},
            values,
            create=lambda: article_import(
                page=page,
                outlet=outlet,
                language=values["language"],
                published_on=published_on,
                published_precision=precision,
                byline=byline,
                slug=slug,
                source_url=values["source_url"],
                title=values["title"],
                status=PublicationStatus.PUBLISHED,
            ),
        )
        topics = {self.lookup(self.topics, topic, entry) for topic in entry.get("topics", [])}
        if set(article.topics.all()) != topics:
            article.topics.set(topics)
        self.articles[slug] = article

    def load_claim(self, entry):
        speaker = self.lookup(self.experts, entry["speaker"], entry)
        article = self.lookup(self.articles, entry["article"], entry)
        summary = entry["summary"].strip()
        topics = [
            (self.lookup(self.topics, slug, entry), stance)
            for slug, stance in entry.get("topics", [])
        ]
        provisions = [
            (self.lookup(self.provisions, (treaty, address), entry), relation, note)
            for treaty, address, relation, note in entry.get("provisions", [])
        ]
        quotes = [text.strip() for text in entry["quotes"]]
        values = {
            "kind": entry["kind"],
            "made_on": article.published_on,
            "made_precision": article.published_precision,
            "status": PublicationStatus.PUBLISHED,
        }
        if values["kind"] != Claim.Kind.PREDICTION:
            values |= {"due_on": None, "outcome": ""}

        claim = Claim.objects.filter(speaker=speaker, summary=summary).order_by("pk").first()
        if claim is None:
            with _reporting(entry.where):
                claim_create(
                    speaker=speaker,
                    summary=summary,
                    topics=topics,
                    provisions=provisions,
                    quotes=[(article, text) for text in quotes],
                    **values,
                )
            self.counts[Claim]["created"] += 1
            self.counts[ClaimTopic]["created"] += len(topics)
            self.counts[ClaimProvision]["created"] += len(provisions)
            self.counts[Quote]["created"] += len(quotes)
            return

        self.sync(Claim, {"pk": claim.pk}, values)
        for topic, stance in topics:
            self.sync(ClaimTopic, {"claim": claim, "topic": topic}, {"stance": stance})
        for provision, relation, note in provisions:
            self.sync(
                ClaimProvision,
                {"claim": claim, "provision": provision},
                {"relation": relation, "note": note},
            )
        for text in quotes:
            if Quote.objects.filter(claim=claim, article=article, text=text).exists():
                self.counts[Quote]["unchanged"] += 1
                continue
            with _reporting(entry.where):
                quote_create(claim=claim, article=article, text=text)
            self.counts[Quote]["created"] += 1

    def sync(self, model, key, values, *, create=None):
        """The record matching `key`, created or brought up to `values`; saved only if changed."""
        record = model.objects.filter(**key).order_by("pk").first()
        with _reporting(f"{model._meta.verbose_name} {_describe_key(key)}"):
            if record is None:
                record = create() if create else save_stamped(model(**key, **values))
                self.counts[model]["created"] += 1
                return record
            changed = {
                name: value for name, value in values.items() if getattr(record, name) != value
            }
            if not changed:
                self.counts[model]["unchanged"] += 1
                return record
            for name, value in changed.items():
                setattr(record, name, value)
            if isinstance(record, Article) and "body" in changed:
                # A new body re-anchors the article's quotes (saving the other changes too).
                article_update_body(article=record, body=record.body)
            else:
                save_stamped(record)
            self.counts[model]["updated"] += 1
            return record

    def lookup(self, loaded, key, entry):
        try:
            return loaded[key]
        except KeyError:
            raise DemoDataError(
                f"{entry.where}: “{key}” is not defined earlier in the data."
            ) from None

    def _read(self, relative):
        path = (self.directory / relative).resolve()
        # The demo must load from the project alone, never from files beside it.
        if not path.is_relative_to(self.directory.resolve()):
            raise DemoDataError(f"{relative} is outside {self.directory}.")
        try:
            return path.read_text(encoding="utf-8")
        except OSError as error:
            raise DemoDataError(f"Cannot read {path}: {error}") from error


class _Entry:
    """One table of the data file, naming itself in error messages."""

    def __init__(self, data, section):
        self.data = data
        label = next(
            (data[key] for key in ("slug", "address", "summary", "organization") if key in data),
            "",
        )
        self.where = f"[{section}] {label}".strip()

    def __getitem__(self, key):
        try:
            return self.data[key]
        except KeyError:
            raise DemoDataError(f"{self.where}: “{key}” is missing.") from None

    def get(self, key, default=None):
        return self.data.get(key, default)


@contextmanager
def _reporting(where):
    """Turn a ValidationError into a DemoDataError that says which record failed."""
    try:
        yield
    except ValidationError as error:
        raise DemoDataError(f"{where}: {'; '.join(error.messages)}") from error


def _provision_rows(entry):
    """(address, values) for each provision, in order.

    With `article_count`, Articles 1…N are all listed, those without a description under
    the heading "Article N" and no text; described provisions carry the desk's summary.
    """
    described = {}
    for position, provision in enumerate(entry.get("provisions", []), start=1):
        provision = _Entry(provision, f"provisions of {entry['slug']}")
        address = provision["address"]
        number = provision.get("number") or _number_from_address(address)
        described[address] = {
            "number": number,
            "heading": provision.get("heading", number),
            "text": provision.get("text", "").strip(),
            "text_is_official": provision.get("text_is_official", False),
            "order": provision.get("order") or _order_from_address(address, position),
            "parent": None,
        }
    rows = {}
    for n in range(1, entry.get("article_count", 0) + 1):
        rows[f"art_{n}"] = {
            "number": f"Article {n}",
            "heading": f"Article {n}",
            "text": "",
            "text_is_official": False,
            "order": n,
            "parent": None,
        }
    rows |= described
    return sorted(rows.items(), key=lambda row: row[1]["order"])


def _number_from_address(address):
    match = re.fullmatch(r"art_(\d+)", address)
    if not match:
        raise DemoDataError(f'Provision “{address}” needs a number, e.g. number = "Article 4".')
    return f"Article {match.group(1)}"


def _order_from_address(address, position):
    match = re.fullmatch(r"art_(\d+)", address)
    return int(match.group(1)) if match else position


def _describe_key(key):
    return ", ".join(f"{name}={value}" for name, value in key.items())
