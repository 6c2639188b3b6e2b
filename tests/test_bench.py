"""The benchmark script keeps working (its timings are not tested here)."""

import random
import re

import pytest

from bench.search_bench import generate, measure, queries_for, summary
from interactions.models import Article, SearchTerm

pytestmark = pytest.mark.django_db


def test_benchmark_generates_content_and_measures_every_query(client):
    drugs = generate(articles=24, drugs=6)
    assert Article.objects.count() == 24
    assert Article.objects.published().count() == 22  # every tenth is a draft
    assert SearchTerm.objects.filter(page__status="draft").count() == 0
    queries = queries_for(drugs, random.Random(2))
    timings, best, failures = measure(client, queries, repeat=2)
    assert failures == 0
    assert len(timings) == 2 * len(queries)
    assert len(best) == len(set(queries))
    figures = summary(timings)
    assert figures["requests"] == 2 * len(queries)
    assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["max_ms"]


def test_generated_phrase_queries_find_the_interaction_first(client):
    generate(articles=60, drugs=6)
    interaction = Article.objects.published().filter(kind="interaction").with_drugs().first()
    first, second = interaction.drug_list
    response = client.get("/search/", {"q": f"can I take {first.title} with {second.title}"})
    html = response.content.decode()
    results = html[html.index('class="search-results"') :]
    slug = re.search(r'<h2><a href="/articles/([^/]+)/">', results).group(1)
    top = Article.objects.with_drugs().get(slug=slug)
    assert top.kind == "interaction"
    assert {first, second} <= set(top.drug_list)


@pytest.mark.parametrize("runner", ["run_threads", "run_wrk"])
def test_the_serving_load_generators_count_answers_and_failures(live_server, runner):
    import shutil
    from urllib.parse import urlsplit

    from bench import serving_bench

    if runner == "run_wrk" and not shutil.which("wrk"):
        pytest.skip("wrk is not installed")
    port = urlsplit(live_server.url).port
    done, failures = getattr(serving_bench, runner)(port, [("/robots.txt", None)], 1, 2)
    assert done > 0 and failures == 0
    done, failures = getattr(serving_bench, runner)(port, [("/no-such-page/", "a=b")], 1, 2)
    assert done > 0 and failures == done


@pytest.mark.urls("bench.serving_urls")
def test_the_one_query_floor_is_one_query_and_the_base_template(
    client, make, django_assert_num_queries
):
    article = make.article("Diazepam side effects", body="You may feel *sleepy*.")
    with django_assert_num_queries(1):
        response = client.get(f"/bench/one-query/{article.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Diazepam side effects</h1>" in html and "<em>sleepy</em>" in html
    assert 'class="site-header"' in html  # the site's own base template
