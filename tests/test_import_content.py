import filecmp
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from interactions.content_files import ContentError, import_directory
from interactions.models import Article, Drug, Page, PublishedVersion, Status
from tests.factories import hub_body

pytestmark = pytest.mark.django_db

CONTENT = Path(__file__).resolve().parent.parent / "content"

REVIEWERS = """\
a-reviewer:
  name: Dr A Reviewer
  role: Pharmacist
  clinical: true
"""


def drug_file(name, brand, extra="", status="published"):
    return f"""---
name: {name}
brand_names:
- {brand}
drug_class: Example class
summary: {name} is an example medicine.
status: {status}
last_reviewed: 2026-11-01
reviewed_by: a-reviewer
references:
- title: A source
  url: https://example.org/{brand.lower().replace(" ", "-")}
---
{hub_body(name, extra)}
"""


ARTICLE = """---
title: Can you take alpha with beta?
kind: interaction
drugs:
- alpha
- beta
severity: moderate
summary: Usually yes, with care.
see_also:
- alpha
populations: []
status: published
last_reviewed: 2026-11-01
reviewed_by: a-reviewer
references:
- title: A source
  url: https://example.org/source
---
See [[beta]].

## When to get urgent help

!!! emergency "Call 999 now if:"
    - you cannot be woken
"""


def write(directory, kind, slug, text):
    path = directory / kind / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


@pytest.fixture
def content(tmp_path):
    directory = tmp_path / "content"
    directory.mkdir()
    (directory / "reviewers.yaml").write_text(REVIEWERS)
    write(directory, "drugs", "alpha", drug_file("Alpha", "Alphex"))
    write(directory, "drugs", "beta", drug_file("Beta", "Betanol"))
    write(directory, "articles", "alpha-and-beta", ARTICLE)
    return directory


def problems(directory):
    with pytest.raises(ContentError) as excinfo:
        import_directory(directory)
    return [str(problem) for problem in excinfo.value.problems]


def test_import_creates_pages_with_relations(content):
    report = import_directory(content)
    assert sorted(report.created) == ["alpha", "alpha-and-beta", "beta"]
    article = Article.objects.get(slug="alpha-and-beta")
    assert [d.slug for d in article.drug_list] == ["alpha", "beta"]
    assert article.severity == "moderate"
    assert [r.url for r in article.references.all()] == ["https://example.org/source"]
    assert [link.target.slug for link in article.see_also_links.all()] == ["alpha"]
    assert 'href="/drugs/beta/"' in article.body_html
    assert Drug.objects.get(slug="alpha").brand_name_list == ["Alphex"]


def test_import_is_idempotent(content):
    import_directory(content)
    report = import_directory(content)
    assert report.created == [] and report.updated == []
    assert sorted(report.unchanged) == ["alpha", "alpha-and-beta", "beta"]


def test_import_updates_changed_files_only(content):
    import_directory(content)
    write(content, "drugs", "beta", drug_file("Beta", "Betanol Retard"))
    report = import_directory(content)
    assert report.updated == ["beta"]
    assert Drug.objects.get(slug="beta").brand_name_list == ["Betanol Retard"]


def test_renamed_drug_title_refreshes_linking_article(content):
    import_directory(content)
    write(content, "drugs", "beta", drug_file("Beta (new name)", "Betanol"))
    import_directory(content)
    assert ">Beta (new name)</a>" in Article.objects.get(slug="alpha-and-beta").body_html


def test_links_resolve_against_the_database_too(content, tmp_path):
    import_directory(content)
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "reviewers.yaml").write_text(REVIEWERS)
    write(extra, "drugs", "gamma", drug_file("Gamma", "G", extra="See [[alpha]]."))
    assert import_directory(extra).created == ["gamma"]


@pytest.mark.parametrize(
    ("kind", "slug", "text", "expected"),
    [
        ("drugs", "bad-yaml", "---\nname: [unclosed\n---\n", "front matter: invalid YAML"),
        ("drugs", "no-front", "Just text\n", "must start with '---'"),
        ("drugs", "no-name", "---\nsummary: x\n---\n", "bad-no-name.md: name: is required"),
        ("drugs", "Bad_Slug", "---\nname: X\n---\n", "slug: file name 'Bad_Slug'"),
        ("drugs", "typo", "---\nname: X\nbrandnames: []\n---\n", "brandnames: unknown field"),
        ("drugs", "latin1", b"---\nname: Caf\xe9\n---\n", "is not UTF-8 text"),
        (
            "articles",
            "bad-kind",
            ARTICLE.replace("kind: interaction", "kind: gossip"),
            "kind: 'gossip' is not one of",
        ),
        (
            "articles",
            "bad-drug",
            ARTICLE.replace("- beta\nseverity", "- nosuchdrug\nseverity"),
            "drugs: 'nosuchdrug' is not a drug",
        ),
        (
            "articles",
            "bad-see-also",
            ARTICLE.replace("see_also:\n- alpha", "see_also:\n- missing-page"),
            "see_also: 'missing-page' does not match any drug or article",
        ),
        (
            "articles",
            "bad-date",
            ARTICLE.replace("2026-11-01", "'1 November'"),
            "last_reviewed: '1 November' is not a date",
        ),
        (
            "articles",
            "bad-link",
            ARTICLE.replace("See [[beta]]", "See [[gone]]"),
            "body: [[gone]] does not match any drug or article.",
        ),
        (
            "articles",
            "bad-severity",
            ARTICLE.replace("kind: interaction", "kind: risks"),
            "severity: Only interaction articles have a severity.",
        ),
        (
            "articles",
            "one-drug",
            ARTICLE.replace("- alpha\n- beta\n", "- alpha\n"),
            "drugs: An interaction must name at least two drugs.",
        ),
        (
            "articles",
            "bad-url",
            ARTICLE.replace("https://example.org/source", "not a url"),
            "references[1]: 'not a url' is not an https:// URL",
        ),
        (
            "articles",
            "long-title-ref",
            ARTICLE.replace("title: A source", "title: " + "x" * 301),
            "references[1]: title is longer than 300 characters",
        ),
        ("drugs", "a" * 121, "---\nname: X\n---\n", "file name is longer than 120 characters"),
        (
            "drugs",
            "list-not-text",
            "---\nname: X\nbrand_names: Valium\n---\n",
            "brand_names: must be a list of text items",
        ),
        ("drugs", "number-name", "---\nname: 42\n---\n", "name: must be text"),
        (
            "articles",
            "bad-population",
            ARTICLE.replace("kind: interaction", "kind: special-populations")
            .replace("severity: moderate\n", "")
            .replace("populations: []", "populations:\n- astronauts"),
            "populations: 'astronauts' is not one of",
        ),
    ],
)
def test_each_bad_file_is_reported_and_nothing_is_written(content, kind, slug, text, expected):
    write(content, kind, f"bad-{slug}" if kind == "drugs" and slug == "no-name" else slug, text)
    found = problems(content)
    assert any(expected in problem for problem in found), found
    assert Page.objects.count() == 0


def test_every_problem_is_listed_with_file_and_field(content):
    write(content, "drugs", "broken", "---\nname: [\n---\n")
    write(content, "articles", "bad-kind", ARTICLE.replace("kind: interaction", "kind: x"))
    found = problems(content)
    assert any(p.startswith("content/drugs/broken.md: front matter:") for p in found)
    assert any(p.startswith("content/articles/bad-kind.md: kind:") for p in found)


def test_duplicate_slug_across_drugs_and_articles(content):
    write(content, "articles", "alpha", ARTICLE)
    assert any("duplicate slug" in p for p in problems(content))


def test_slug_already_used_by_other_type_in_database(content, tmp_path):
    import_directory(content)
    other = tmp_path / "other"
    other.mkdir()
    (other / "reviewers.yaml").write_text(REVIEWERS)
    write(
        other, "articles", "beta", ARTICLE.replace("- beta\nseverity", "- alpha\n- alpha\nseverity")
    )
    assert any("'beta' is already a drug" in p for p in problems(other))


def test_import_is_atomic_when_a_write_fails_late(content, monkeypatch):
    """A failure after some rows are written leaves the database untouched."""
    import_directory(content)
    write(content, "drugs", "alpha", drug_file("Alpha changed", "A"))
    write(content, "drugs", "delta", drug_file("Delta", "D"))

    from interactions import content_files

    def fail(page, meta, *args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(content_files, "set_relations", fail)
    write(content, "articles", "alpha-and-beta", ARTICLE.replace("Usually yes", "Often"))
    with pytest.raises(RuntimeError):
        import_directory(content)
    assert Drug.objects.get(slug="alpha").title == "Alpha"
    assert not Drug.objects.filter(slug="delta").exists()


def test_command_reports_counts(content):
    from io import StringIO

    out = StringIO()
    call_command("import_content", str(content), stdout=out)
    assert out.getvalue().strip() == "3 created, 0 updated, 0 pending versions, 0 unchanged."


def test_command_dry_run_writes_nothing(content):
    from io import StringIO

    out = StringIO()
    call_command("import_content", str(content), "--dry-run", stdout=out)
    assert "Dry run, nothing written: 3 created" in out.getvalue()
    assert Page.objects.count() == 0


def test_command_fails_with_every_problem(content):
    write(content, "drugs", "broken", "---\nname: [\n---\n")
    with pytest.raises(CommandError, match=r"Nothing was imported: 1 problem\.\n.*broken\.md"):
        call_command("import_content", str(content), verbosity=0)


def test_export_import_export_is_identical(content, tmp_path):
    import_directory(content)
    first, second = tmp_path / "first", tmp_path / "second"
    call_command("export_content", str(first), verbosity=0)
    Article.objects.all().delete()
    Page.objects.all().delete()
    import_directory(first)
    call_command("export_content", str(second), verbosity=0)
    for sub in ("drugs", "articles"):
        names = sorted(p.name for p in (first / sub).iterdir())
        assert names == sorted(p.name for p in (second / sub).iterdir())
        match, mismatch, errors = filecmp.cmpfiles(first / sub, second / sub, names, shallow=False)
        assert mismatch == [] and errors == []


def test_seed_content_imports_and_round_trips_to_identical_files(tmp_path):
    """content/ is kept in the canonical export format."""
    import_directory(CONTENT)
    call_command("export_content", str(tmp_path), verbosity=0)
    for sub in ("drugs", "articles"):
        for path in (CONTENT / sub).glob("*.md"):
            assert (tmp_path / sub / path.name).read_text() == path.read_text(), path.name
    assert (tmp_path / "reviewers.yaml").read_text() == (CONTENT / "reviewers.yaml").read_text()


def test_directory_without_content_folders_is_refused(tmp_path):
    with pytest.raises(ContentError, match="has no drugs/ or articles/ folder"):
        import_directory(tmp_path)


def test_missing_directory_is_refused(tmp_path):
    with pytest.raises(CommandError, match="is not a directory"):
        call_command("import_content", str(tmp_path / "nope"), verbosity=0)


# Revisions ---------------------------------------------------------------


def test_draft_file_for_a_live_page_becomes_its_pending_version(content, client):
    import_directory(content)
    draft = ARTICLE.replace("Usually yes, with care.", "A new answer.").replace(
        "status: published", "status: review"
    )
    write(content, "articles", "alpha-and-beta", draft)
    report = import_directory(content)
    assert report.pending == ["alpha-and-beta"]
    live = Article.objects.get(slug="alpha-and-beta", pending_for__isnull=True)
    assert live.is_live and live.summary == "Usually yes, with care."
    pending = Article.objects.get(pending_for=live)
    assert (pending.status, pending.summary) == (Status.REVIEW, "A new answer.")
    page = client.get(live.get_absolute_url())
    assert page.status_code == 200
    assert b"Usually yes, with care." in page.content and b"A new answer." not in page.content


def test_every_import_leaves_a_history_entry_and_a_live_baseline(content):
    from reversion.models import Version

    import_directory(content)
    article = Article.objects.get(slug="alpha-and-beta")
    versions = Version.objects.get_for_object(article)
    assert versions.count() == 1
    assert versions[0].revision.comment == "Imported from content/"
    baseline = PublishedVersion.objects.get(page=article)
    assert baseline.note == "Imported from content/articles/alpha-and-beta.md"
    assert baseline.document["meta"]["summary"] == "Usually yes, with care."


def test_pending_versions_are_exported_and_come_back(content, tmp_path):
    import_directory(content)
    pending_file = ARTICLE.replace("Usually yes", "Pending words").replace(
        "status: published", "status: draft"
    )
    write(content / "pending", "articles", "alpha-and-beta", pending_file)
    assert import_directory(content).pending == ["alpha-and-beta"]
    first, second = tmp_path / "first", tmp_path / "second"
    call_command("export_content", str(first), verbosity=0)
    assert (first / "pending" / "articles" / "alpha-and-beta.md").read_text() == pending_file
    Article.objects.all().delete()
    Page.objects.all().delete()
    import_directory(first)
    call_command("export_content", str(second), verbosity=0)
    for path in first.rglob("*.*"):
        assert (second / path.relative_to(first)).read_text() == path.read_text(), path


def test_a_pending_version_changed_in_the_admin_is_not_overwritten(content, make):
    from interactions import workflow

    import_directory(content)
    live = Article.objects.get(slug="alpha-and-beta")
    pending = workflow.start_editing(live, None)
    pending.summary = "Typed in the admin."
    workflow.save_page(pending)
    draft = ARTICLE.replace("Usually yes", "From a file").replace(
        "status: published", "status: draft"
    )
    write(content, "articles", "alpha-and-beta", draft)
    found = problems(content)
    assert any("has a pending version" in p and "Export it first" in p for p in found), found
    assert Article.objects.get(pending_for=live).summary == "Typed in the admin."


def test_a_reviewer_key_must_be_defined(content):
    write(content, "articles", "alpha-and-beta", ARTICLE.replace("a-reviewer", "nobody"))
    assert any("'nobody' is not a reviewer" in p for p in problems(content))
