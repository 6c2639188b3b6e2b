"""“Was this page helpful?”: the form without JavaScript, CSRF, the rate
limit, the length limit, privacy and the admin."""

import re

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from interactions import feedback, workflow
from interactions.models import Feedback, Status

pytestmark = pytest.mark.django_db

IP = "203.0.113.7"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def article(make):
    diazepam = make.drug("Diazepam")
    return make.article("Side effects of diazepam", drugs=[diazepam])


def form_url(page):
    return reverse("interactions:feedback", args=[page.pk])


def post(client, page, **data):
    return client.post(form_url(page), {"helpful": "yes", **data}, REMOTE_ADDR=IP)


def test_the_page_links_to_a_form_that_remembers_yes_or_no(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    link = re.search(r'href="([^"]+\?helpful=no)"', html).group(1)
    response = client.get(link)
    assert response.status_code == 200
    form = response.content.decode()
    assert f'<form class="feedback-form" action="{form_url(article)}" method="post">' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert re.search(r'<input type="radio" name="helpful" value="no"[^>]*checked', form)
    assert not re.search(r'<input type="radio" name="helpful" value="yes"[^>]*checked', form)
    assert 'maxlength="500"' in form
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in form
    assert "<script" not in form
    # Nothing is stored by following the link: only sending the form counts.
    assert not Feedback.objects.exists()


def test_sending_the_form_stores_the_answer_with_the_live_version(client, article):
    response = post(client, article, helpful="no", comment="  Too long and hard to follow.  ")
    thanks = reverse("interactions:feedback_thanks", args=[article.pk])
    assert response.status_code == 302 and response["Location"] == thanks
    saved = Feedback.objects.get()
    assert saved.page_id == article.pk
    assert saved.page_version == article.version > 0
    assert saved.helpful is False
    assert saved.comment == "Too long and hard to follow."
    assert saved.dealt_with is False
    html = client.get(thanks).content.decode()
    assert "Thank you for your feedback" in html
    assert f'href="{article.get_absolute_url()}"' in html


def test_the_version_follows_the_live_page(client, article):
    article.summary = "A clearer summary."
    workflow.save_page(article)
    post(client, article)
    assert Feedback.objects.get().page_version == article.version


def test_the_comment_is_optional_and_never_published(client, article):
    assert post(client, article).status_code == 302
    assert Feedback.objects.get().comment == ""
    post(client, article, comment="Secret remark about zebrafish")
    assert "zebrafish" not in client.get(article.get_absolute_url()).content.decode()
    found = client.get(reverse("interactions:search"), {"q": "zebrafish"}).content.decode()
    assert "We found nothing for “zebrafish”." in found


def test_comments_are_limited_to_500_characters(client, article):
    response = post(client, article, comment="x" * 501)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please keep your comment to 500 characters or fewer (you wrote 501)." in html
    assert 'aria-invalid="true"' in html
    assert "x" * 501 in html  # what was typed is kept, to shorten
    assert not Feedback.objects.exists()
    assert post(client, article, comment="x" * 500).status_code == 302


def test_yes_or_no_is_required(client, article):
    response = client.post(form_url(article), {"helpful": "maybe", "comment": "Hi"})
    assert response.status_code == 400
    assert not Feedback.objects.exists()
    response = client.post(form_url(article), {"comment": "Hi"})
    assert "Choose yes or no." in response.content.decode()


def test_the_form_is_csrf_protected(article):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(form_url(article), {"helpful": "yes"}).status_code == 403
    assert not Feedback.objects.exists()
    html = strict.get(form_url(article)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = strict.post(form_url(article), {"helpful": "yes", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Feedback.objects.count() == 1


def test_each_client_may_send_ten_answers_an_hour(client, article):
    for _ in range(feedback.RATE_LIMIT):
        assert post(client, article).status_code == 302
    refused = post(client, article)
    assert refused.status_code == 429
    assert "try again later" in refused.content.decode()
    assert Feedback.objects.count() == feedback.RATE_LIMIT
    other = client.post(form_url(article), {"helpful": "no"}, REMOTE_ADDR="198.51.100.9")
    assert other.status_code == 302
    # The window ends: the count lives in the cache with an expiry.
    cache.delete(feedback.client_key(RequestFactory().get("/", REMOTE_ADDR=IP)))
    assert post(client, article).status_code == 302


def test_only_a_salted_hash_of_the_address_is_kept(client, article):
    post(client, article, comment="Helpful, thanks")
    key = feedback.client_key(RequestFactory().get("/", REMOTE_ADDR=IP))
    assert IP not in key and IP.replace(".", "") not in key
    assert cache.get(key) == 1
    for row in Feedback.objects.values():
        assert IP not in " ".join(str(value) for value in row.values())
    assert {field.name for field in Feedback._meta.fields} == {
        "id",
        "page",
        "page_version",
        "helpful",
        "comment",
        "created",
        "dealt_with",
    }


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVIEW])
def test_only_live_pages_take_feedback(client, make, status):
    hidden = make.article("Hidden", drugs=[make.drug()], status=status)
    assert client.get(form_url(hidden)).status_code == 404
    assert client.post(form_url(hidden), {"helpful": "yes"}).status_code == 404
    assert client.get("/feedback/999999/").status_code == 404
    assert client.get("/feedback/abc/").status_code == 404


def test_drug_pages_take_feedback_too(client, make):
    drug = make.drug("Codeine")
    assert post(client, drug).status_code == 302
    assert Feedback.objects.get().page_id == drug.pk


def test_strange_input_never_breaks_the_form(client, article):
    for data in (
        {"helpful": ["yes", "no"]},
        {"helpful": "\x00"},
        {"helpful": "yes", "comment": "\x00\x01<script>alert(1)</script>"},
    ):
        response = client.post(form_url(article), data)
        assert response.status_code in (302, 400)
    assert client.get(form_url(article), {"helpful": "<b>"}).status_code == 200
    assert client.put(form_url(article)).status_code == 405


def test_feedback_pages_use_few_queries(client, article, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get(form_url(article)).status_code == 200
    with django_assert_num_queries(2):
        assert post(client, article).status_code == 302
    with django_assert_num_queries(1):
        client.get(reverse("interactions:feedback_thanks", args=[article.pk]))


# The admin ---------------------------------------------------------------------


@pytest.fixture
def answers(client, make, article):
    other = make.article("Diazepam and alcohol", drugs=[article.drug_list[0]])
    post(client, article, helpful="no", comment="Too much jargon")
    post(client, article, helpful="no")
    post(client, article, helpful="yes", comment="Clear, thank you")
    post(client, other, helpful="yes")
    return article, other


def test_editors_see_counts_per_page_and_comments(editor_client, answers):
    article, other = answers
    response = editor_client.get(reverse("admin:interactions_feedback_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    table = html[html.index('class="feedback-per-page"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr><th scope=\"row\"><a [^>]+>([^<]+)</a></th>(.*?)</tr>", table)
    counts = {title: re.findall(r"<td>(\d+)</td>", cells) for title, cells in rows}
    assert counts == {article.title: ["1", "2", "2"], other.title: ["1", "0", "0"]}
    assert list(counts) == [article.title, other.title]  # most "no" answers first
    assert "Too much jargon" in html and "Clear, thank you" in html
    assert "(no comment)" in html


def test_comments_can_be_marked_dealt_with(reviewer_client, answers):
    url = reverse("admin:interactions_feedback_changelist")
    jargon = Feedback.objects.get(comment="Too much jargon")
    response = reviewer_client.post(
        url, {"action": "mark_dealt_with", "_selected_action": [jargon.pk]}, follow=True
    )
    assert response.status_code == 200
    assert "Marked 1 as dealt with." in response.content.decode()
    jargon.refresh_from_db()
    assert jargon.dealt_with
    assert Feedback.objects.filter(dealt_with=True).count() == 1
    filtered = reviewer_client.get(url, {"dealt_with__exact": "0"}).content.decode()
    assert "Too much jargon" not in filtered and "Clear, thank you" in filtered


def test_feedback_cannot_be_added_or_rewritten_in_the_admin(reviewer_client, answers):
    assert reviewer_client.get(reverse("admin:interactions_feedback_add")).status_code == 403
    jargon = Feedback.objects.get(comment="Too much jargon")
    change = reverse("admin:interactions_feedback_change", args=[jargon.pk])
    html = reviewer_client.get(change).content.decode()
    assert 'name="dealt_with"' in html
    assert 'name="comment"' not in html and 'name="helpful"' not in html


def test_patients_cannot_open_the_feedback_admin(client, answers):
    response = client.get(reverse("admin:interactions_feedback_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
