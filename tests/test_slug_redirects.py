"""Old addresses keep working after a slug changes; drafts are staff-only."""

import pytest
from django.contrib.auth.models import User

from interactions import workflow
from interactions.models import SlugRedirect, Status
from tests import editors

pytestmark = pytest.mark.django_db


def test_renamed_drug_and_article_redirect_permanently(client, make):
    drug = make.drug("Diazepam")
    article = make.article("Diazepam side effects", drugs=[drug])
    old_drug_url, old_article_url = drug.get_absolute_url(), article.get_absolute_url()
    drug.slug = "diazepam-tablets"
    workflow.save_page(drug)
    article.slug = "side-effects-of-diazepam"
    workflow.save_page(article)
    for old, page in ((old_drug_url, drug), (old_article_url, article)):
        response = client.get(old)
        assert response.status_code == 301
        assert response["Location"] == page.get_absolute_url()
    assert client.get(drug.get_absolute_url()).status_code == 200


def test_renaming_twice_still_reaches_the_page_and_reused_slugs_stop_redirecting(client, make):
    drug = make.drug("Diazepam")
    for slug in ("diazepam-2", "diazepam-3"):
        drug.slug = slug
        workflow.save_page(drug)
    assert client.get("/drugs/diazepam/")["Location"] == "/drugs/diazepam-3/"
    assert client.get("/drugs/diazepam-2/")["Location"] == "/drugs/diazepam-3/"
    make.drug("Diazepam (new)", slug="diazepam-2")
    assert client.get("/drugs/diazepam-2/").status_code == 200
    assert not SlugRedirect.objects.filter(old_slug="diazepam-2").exists()


def test_slug_changed_in_the_admin_redirects_once_published(client, make):
    drug = make.drug("Diazepam")
    client.force_login(editors.reviewer())
    pending = editors.start_editing(client, drug)
    data = editors.drug_data(pending, slug="valium", status="review")
    assert client.post(editors.change_url(pending), data).status_code == 302
    assert client.get("/drugs/diazepam/").status_code == 200  # still live while in review
    pending.refresh_from_db()
    data = editors.drug_data(pending, status="published")
    response = client.post(editors.change_url(pending), data, follow=True)
    assert "Published; the old address /diazepam/ now redirects." in response.content.decode()
    client.logout()
    response = client.get("/drugs/diazepam/")
    assert (response.status_code, response["Location"]) == (301, "/drugs/valium/")


def test_unknown_slugs_are_still_404(client, db):
    assert client.get("/drugs/nothing/").status_code == 404
    assert client.get("/articles/nothing/").status_code == 404


@pytest.fixture
def draft(make):
    return make.article("Draft article", drugs=[make.drug("Diazepam")], status=Status.REVIEW)


def test_staff_preview_a_draft_at_its_public_address_with_a_banner(client, draft):
    client.force_login(editors.editor())
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Draft — not published" in html and "Status: In review." in html
    assert html.index("Draft — not published") < html.index("<h1>Draft article</h1>")
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"]


def test_the_public_and_non_staff_still_get_404_for_drafts(client, draft):
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(User.objects.create_user("patient", password="x"))
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_published_articles_have_no_banner(client, make):
    article = make.article("Published", drugs=[make.drug("Diazepam")])
    client.force_login(editors.editor())
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Draft — not published" not in html
