import pytest
from django.core.exceptions import ValidationError

from interactions import workflow
from interactions.models import Article, Drug, Kind, Status

pytestmark = pytest.mark.django_db


def errors_of(obj):
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    return excinfo.value.message_dict


def relation_errors(article, drugs=("a", "b"), populations=(), see_also=(), references=(1,)):
    with pytest.raises(ValidationError) as excinfo:
        article.clean_relations(list(drugs), list(populations), list(see_also), list(references))
    return excinfo.value.message_dict


def test_slug_is_unique_across_drugs_and_articles(make):
    make.drug("Diazepam")
    article = Article(title="Diazepam", slug="diazepam", kind=Kind.QUESTIONS)
    assert errors_of(article)["slug"] == ["This slug is already used by another drug or article."]
    drug = Drug(title="Other", slug="diazepam")
    assert "slug" in errors_of(drug)


def test_interaction_needs_severity():
    article = Article(title="A and B", slug="a-and-b", kind=Kind.INTERACTION)
    assert "severity" in errors_of(article)


def test_only_interactions_have_severity():
    article = Article(title="Side", slug="side", kind=Kind.SIDE_EFFECTS, severity="major")
    assert errors_of(article)["severity"] == ["Only interaction articles have a severity."]


def test_interaction_names_at_least_two_drugs():
    article = Article(title="A", slug="a", kind=Kind.INTERACTION, severity="major")
    errors = relation_errors(article, drugs=["diazepam"])
    assert errors["drugs"] == ["An interaction must name at least two drugs."]


def test_every_article_names_a_drug():
    article = Article(title="A", slug="a", kind=Kind.BENEFITS)
    assert "drugs" in relation_errors(article, drugs=[])


def test_special_populations_need_a_population():
    article = Article(title="A", slug="a", kind=Kind.SPECIAL_POPULATIONS)
    assert "populations" in relation_errors(article, drugs=["a"])


def test_populations_only_on_special_populations_articles():
    article = Article(title="A", slug="a", kind=Kind.RISKS)
    errors = relation_errors(article, drugs=["a"], populations=["pregnancy"])
    assert errors["populations"] == ["Only special-populations articles have populations."]


def test_see_also_cannot_list_itself():
    article = Article(title="A", slug="a", kind=Kind.BENEFITS)
    errors = relation_errors(article, drugs=["x"], see_also=["a"])
    assert errors["see_also"] == ["An article cannot list itself under 'See also'."]


def test_see_also_cannot_repeat_a_page():
    article = Article(title="A", slug="a", kind=Kind.BENEFITS)
    assert "see_also" in relation_errors(article, drugs=["x"], see_also=["b", "b"])


def test_published_article_needs_sources():
    article = Article(title="A", slug="a", kind=Kind.BENEFITS, status=Status.PUBLISHED)
    errors = relation_errors(article, drugs=["x"], references=[])
    assert errors["references"] == ["A published page needs at least one source."]


def test_draft_may_have_no_sources_yet():
    article = Article(title="A", slug="a", kind=Kind.BENEFITS, status=Status.DRAFT)
    article.clean_relations(["x"], [], [], [])


def test_published_article_needs_summary_review_date_and_reviewer():
    article = Article(title="A", slug="a", kind=Kind.BENEFITS, status=Status.PUBLISHED)
    errors = errors_of(article)
    assert errors["summary"] == ["A published page needs a summary."]
    assert "last_reviewed" in errors
    assert "reviewed_by" in errors


def test_unknown_wikilink_is_a_validation_error_naming_the_slug():
    drug = Drug(title="Diazepam", slug="diazepam", body="See [[no-such-drug]].")
    assert errors_of(drug)["body"] == ["[[no-such-drug]] does not match any drug or article."]


def test_unknown_callout_is_a_validation_error():
    drug = Drug(title="Diazepam", slug="diazepam", body='!!! warning "Careful"\n    text')
    assert "Unknown callout" in errors_of(drug)["body"][0]


def test_interaction_and_risk_pages_must_say_when_to_get_urgent_help():
    for kind, severity in ((Kind.INTERACTION, "major"), (Kind.RISKS, "")):
        article = Article(title="A", slug="a", kind=kind, severity=severity, body="Plain text.")
        assert "When to get urgent help" in errors_of(article)["body"][0]


def test_body_html_is_rendered_on_save(make):
    drug = make.drug("Diazepam", body="## Uses\n\nCalms **anxiety**.")
    assert "<strong>anxiety</strong>" in drug.body_html
    assert drug.toc == [["uses", "Uses"]]


def test_save_records_outgoing_links(make):
    diazepam = make.drug("Diazepam")
    mirtazapine = make.drug("Mirtazapine", body="Compare [[diazepam]].")
    assert list(mirtazapine.links.all()) == [diazepam.page_ptr]
    assert list(diazepam.linked_from.all()) == [mirtazapine.page_ptr]


def test_renaming_a_page_refreshes_pages_that_link_to_it(make):
    diazepam = make.drug("Diazepam")
    mirtazapine = make.drug("Mirtazapine", body="Compare [[diazepam]].")
    diazepam.title = "Diazepam (Valium)"
    workflow.save_page(diazepam)
    mirtazapine.refresh_from_db()
    assert ">Diazepam (Valium)</a>" in mirtazapine.body_html


def test_changing_a_slug_refreshes_link_urls(make):
    diazepam = make.drug("Diazepam")
    article = make.article("Diazepam questions", kind=Kind.QUESTIONS, drugs=[diazepam])
    mirtazapine = make.drug("Mirtazapine", body="Read [[diazepam-questions]].")
    article.slug = "questions-about-diazepam"
    workflow.save_page(article)
    mirtazapine.refresh_from_db()
    assert 'href="/articles/questions-about-diazepam/"' in mirtazapine.body_html


def test_published_queryset_excludes_drafts_and_reviews(make):
    drug = make.drug()
    published = make.article("Published", drugs=[drug])
    make.article("Draft", drugs=[drug], status=Status.DRAFT)
    make.article("Review", drugs=[drug], status=Status.REVIEW)
    assert list(Article.objects.published()) == [published]


def test_next_review_is_twelve_months_after_last_review(make):
    import datetime

    article = make.article(drugs=[make.drug()], last_reviewed=datetime.date(2024, 2, 29))
    assert article.next_review_due == datetime.date(2025, 2, 28)
    assert article.review_overdue
