"""The corpus's bulk writer: rows as dicts straight to the tables, each batch with its search
entries, and the set-based SQL that clears a corpus."""

from django.db import IntegrityError, connection, transaction
from django.db.models import Prefetch

from articles.models import Article, Outlet
from claims.models import (
    Claim,
    ClaimProvision,
    ClaimTopic,
    Provision,
    Quote,
    SearchEntry,
    Topic,
    Treaty,
)
from claims.search import documents, index
from core.models import PUBLIC_STATUSES
from experts.models import Affiliation, Expert, NameVariant, Organization

# Every generated record's slug, or the slug of the record it belongs to, starts with this.
PREFIX = "corpus-"
Kind = SearchEntry.Kind


class CorpusError(Exception):
    """The corpus cannot be generated or cleared as asked; the message says why."""


class BatchWriter:
    """Writes the generator's batches and counts the rows written per model in `counts`."""

    def __init__(self, counts):
        self.counts = counts
        self.rows = RowWriter()

    def write(self, batch, speaker_texts):
        """Write one batch and its search entries in one transaction; returns (articles,
        claims) written."""
        writer = self.rows
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
            self.write_claim_entries(batch, speaker_texts)
        return len(batch.articles), len(batch.claims)

    def write_claim_entries(self, batch, speaker_texts):
        """The claims' search entries, built by claims.search.documents.claim_fields.

        documents.claims() reads every claim back through the ORM, which costs more than
        writing the claim; here the entry of a claim quoted once is made from the rows just
        written. A claim quoted in two articles, or one quoted again from an earlier batch, goes
        through index.refresh, which orders its quotes as the database does.
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
            quote = quote_of.get(id(claim))
            article = articles[id(quote["article_id"])] if quote else None
            # Its one quote, when a reader may see it: the claim and the article are public.
            shown = (
                [(quote["text"], article["language"], article["outlet_id"])]
                if quote
                and claim["status"] in PUBLIC_STATUSES
                and article["status"] in PUBLIC_STATUSES
                else []
            )
            fields = documents.claim_fields(
                status=claim["status"],
                summary=claim["summary"],
                made_on=claim["made_on"],
                speaker=speaker_texts[claim["speaker_id"]],
                quotes=shown,
                topics=sorted(topics.get(id(claim), ())),
            )
            topic_ids = fields.pop("topics")
            entry = {"id": None, "kind": Kind.CLAIM.value, "object_id": claim["id"], **fields}
            entries.append(entry)
            # The entry dict stands for its id until assign_ids gives it one.
            entry_topics.extend({"searchentry_id": entry, "topic_id": t} for t in topic_ids)
        self.rows.assign_ids(SearchEntry, entries)
        self.rows.insert(SearchEntry, entries)
        self.rows.insert(SearchEntry.topics.through, entry_topics)
        index.refresh(Kind.CLAIM, refreshed)


def speaker_texts(expert_ids):
    """{expert id: what a claim's search entry says of its speaker} (documents.speaker_text,
    the variants in the database's order)."""
    variants = NameVariant.objects.only("expert_id", "name", "name_key")
    experts = Expert.objects.filter(pk__in=expert_ids).prefetch_related(
        Prefetch("name_variants", queryset=variants)
    )
    return {expert.pk: documents.speaker_text(expert) for expert in experts}


def vacuum(models):
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


def purge_public_caches(reason):
    from core.cache import schedule_public_purge

    with transaction.atomic():
        schedule_public_purge(reason)


class RowWriter:
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
    purge_public_caches("corpus cleared")
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
