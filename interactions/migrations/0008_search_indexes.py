"""Indexes for search.rank() on a large site (100,000 articles).

- search_term_by_weight: each word's rows by weight, heaviest first. A
  search scores only each word's heaviest pages (search.best_pages()); this
  index lists them without reading the word's other rows (a common word has
  a row on most pages). It is what models.Index(fields=["term", "-weight",
  "page"], name="search_term_by_weight") on SearchTerm would create.
- article_drug_by_drug: the articles naming a drug, read from the index
  alone (the drug's ForeignKey index would read a table row per article).
  It is what models.Index(fields=["drug", "article"],
  name="article_drug_by_drug") on ArticleDrug would create.

They are added with SQL only, outside the migration state, so the models'
Meta need not change with them; the same statements work on SQLite and
PostgreSQL.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("interactions", "0007_feedback"),
    ]

    operations = [
        migrations.RunSQL(
            'CREATE INDEX "search_term_by_weight" '
            'ON "interactions_searchterm" ("term", "weight" DESC, "page_id")',
            'DROP INDEX "search_term_by_weight"',
        ),
        migrations.RunSQL(
            'CREATE INDEX "article_drug_by_drug" '
            'ON "interactions_articledrug" ("drug_id", "article_id")',
            'DROP INDEX "article_drug_by_drug"',
        ),
    ]
