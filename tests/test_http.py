"""HTTP behaviour of public pages: compression and HEAD."""

import gzip

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(make):
    drug = make.drug("Diazepam")
    return make.article("Diazepam side effects", drugs=[drug])


def test_html_is_gzipped_when_the_browser_accepts_it(client, article):
    url = article.get_absolute_url()
    zipped = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    plain = client.get(url)
    assert "Content-Encoding" not in plain
    assert gzip.decompress(zipped.content) == plain.content
    assert int(zipped["Content-Length"]) < len(plain.content) / 2


@pytest.mark.parametrize(
    "name,args",
    [
        ("interactions:home", []),
        ("interactions:drug_list", []),
        ("interactions:drug_detail", ["diazepam"]),
        ("interactions:article_detail", ["diazepam-side-effects"]),
        ("interactions:article_kind_list", ["side-effects"]),
        ("interactions:search", []),
        ("interactions:checker", []),
        ("interactions:severity_guide", []),
        ("robots_txt", []),
        ("sitemap", []),
        ("article_feed", []),
    ],
)
def test_head_answers_like_get_without_a_body(client, article, name, args):
    url = reverse(name, args=args)
    get = client.get(url)
    head = client.head(url)
    assert head.status_code == get.status_code == 200
    assert head["Content-Type"] == get["Content-Type"]
    assert head.content == b""
