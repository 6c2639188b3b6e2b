"""The whole-page cache for anonymous readers (interactions/page_cache.py)."""

import logging
import uuid

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, override_settings
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers

import medinfo.urls
from interactions import page_cache, workflow
from interactions.models import Drug, Status
from tests.servers import forget_redis_keys

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def healthy_cache(monkeypatch):
    """No test inherits another's simulated Redis outage."""
    monkeypatch.setattr(page_cache, "_cache_down_until", 0.0)
    monkeypatch.setattr(page_cache, "_bump_pending", False)


@pytest.fixture
def diazepam(make):
    drug = make.drug("Diazepam", brand_names="Valium")
    make.article("Diazepam side effects", slug="diazepam-side-effects", drugs=[drug])
    return drug


def _url(drug):
    return reverse("interactions:drug_detail", args=[drug.slug])


def test_an_anonymous_page_is_stored_then_served_without_queries(
    client, diazepam, django_assert_num_queries
):
    first = client.get(_url(diazepam))
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(_url(diazepam))
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Content-Type"] == first["Content-Type"]
    assert "Content-Security-Policy" in second


def test_stored_pages_tell_browsers_and_cdns_to_revalidate_shortly(client, diazepam):
    response = client.get(_url(diazepam))
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=60", "stale-while-revalidate=60"} <= cache_control
    assert response["ETag"].startswith('"') and response["Last-Modified"].endswith("GMT")


@pytest.mark.parametrize("hit", [False, True])
def test_a_conditional_get_answers_304(client, diazepam, hit):
    response = client.get(_url(diazepam))
    if hit:
        client.get(_url(diazepam))
    by_etag = client.get(_url(diazepam), headers={"If-None-Match": response["ETag"]})
    assert by_etag.status_code == 304 and by_etag.content == b""
    by_date = client.get(_url(diazepam), headers={"If-Modified-Since": response["Last-Modified"]})
    assert by_date.status_code == 304
    stale = client.get(_url(diazepam), headers={"If-None-Match": '"0-old"'})
    assert stale.status_code == 200


def test_saving_content_is_seen_at_once(client, diazepam):
    before = client.get(_url(diazepam))
    diazepam.summary = "A changed summary."
    workflow.save_page(diazepam)
    after = client.get(_url(diazepam))
    assert after["X-Page-Cache"] == "miss"
    assert "A changed summary." in after.content.decode()
    assert after["ETag"] != before["ETag"]


def test_related_rows_invalidate_too(client, diazepam, make):
    client.get(_url(diazepam))
    make.article("Diazepam in pregnancy", drugs=[diazepam])  # only an ArticleDrug row names it
    assert "Diazepam in pregnancy" in client.get(_url(diazepam)).content.decode()
    Drug.objects.filter(pk=diazepam.pk)  # a read changes nothing
    assert client.get(_url(diazepam))["X-Page-Cache"] == "hit"


def test_content_changed_moves_every_page_to_a_new_generation(client, diazepam):
    home = reverse("interactions:home")
    client.get(home)
    client.get(_url(diazepam))
    before = page_cache.current_generation()
    page_cache.content_changed()
    assert page_cache.current_generation() == before + 1
    assert client.get(home)["X-Page-Cache"] == "miss"
    assert client.get(_url(diazepam))["X-Page-Cache"] == "miss"


def test_the_generation_starts_again_above_old_numbers_when_lost(diazepam):
    old = page_cache.current_generation()
    cache.delete(page_cache.GENERATION_KEY)
    page_cache.content_changed()
    assert page_cache.current_generation() > old


def test_head_is_answered_from_the_same_cache(client, diazepam):
    get = client.get(_url(diazepam))
    head = client.head(_url(diazepam))
    assert head.status_code == 200 and head["X-Page-Cache"] == "hit"
    assert head["ETag"] == get["ETag"] and head.content == b""


def test_gzip_and_plain_copies_are_kept_apart(client, diazepam):
    plain = client.get(_url(diazepam))
    zipped = client.get(_url(diazepam), headers={"Accept-Encoding": "gzip"})
    assert zipped["X-Page-Cache"] == "miss" and zipped["Content-Encoding"] == "gzip"
    again = client.get(_url(diazepam), headers={"Accept-Encoding": "gzip, br"})
    assert again["X-Page-Cache"] == "hit" and again["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in client.get(_url(diazepam))
    assert "Accept-Encoding" in plain["Vary"]


def test_each_host_has_its_own_copy(client, diazepam):
    # Pages print absolute URLs taken from the request.
    client.get(_url(diazepam), HTTP_HOST="localhost")
    response = client.get(_url(diazepam), HTTP_HOST="127.0.0.1")
    assert response["X-Page-Cache"] == "miss"
    assert "http://127.0.0.1/" in response.content.decode()


def test_logged_in_staff_are_never_served_or_stored(editor_client, diazepam):
    response = editor_client.get(_url(diazepam))
    assert "X-Page-Cache" not in response and "public" not in response.get("Cache-Control", "")
    anonymous = Client()
    assert anonymous.get(_url(diazepam))["X-Page-Cache"] == "miss"
    assert "X-Page-Cache" not in editor_client.get(_url(diazepam))


def test_a_draft_preview_is_never_stored(editor_client, make, diazepam):
    draft = make.article("Draft about diazepam", drugs=[diazepam], status=Status.DRAFT)
    url = draft.get_absolute_url()
    assert editor_client.get(url).status_code == 200
    assert "X-Page-Cache" not in editor_client.get(url)


def test_not_found_pages_and_redirects_are_not_stored(client, diazepam):
    missing = reverse("interactions:drug_detail", args=["no-such-drug"])
    assert client.get(missing).status_code == 404
    assert "X-Page-Cache" not in client.get(missing)
    assert client.get("/drugs").status_code == 301


def test_the_admin_is_never_stored(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200 and "X-Page-Cache" not in response
    assert "public" not in response.get("Cache-Control", "")


def _sets_cookie(request):
    response = HttpResponse("<p>Hello</p>")
    response.set_cookie("seen", "1")
    return response


def _has_csrf_token(request):
    return HttpResponse(f"<form>{get_token(request)}</form>")


def _private(request):
    response = HttpResponse("<p>Mine</p>")
    add_never_cache_headers(response)
    return response


urlpatterns = [
    path("t/cookie/", _sets_cookie),
    path("t/csrf/", _has_csrf_token),
    path("t/private/", _private),
    *medinfo.urls.urlpatterns,
]


@pytest.mark.urls("tests.test_page_cache")
@pytest.mark.parametrize("url", ["/t/cookie/", "/t/csrf/", "/t/private/"])
def test_personal_or_private_responses_are_never_stored(client, url):
    client.get(url)
    response = client.get(url)
    assert response.status_code == 200 and "X-Page-Cache" not in response


def test_post_is_never_answered_from_the_cache(client, diazepam):
    client.get(_url(diazepam))
    assert client.post(_url(diazepam)).status_code == 405


def _redis_cache(location):
    return {
        "default": {
            "BACKEND": "interactions.redis_cache.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def redis_cache():
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/5", socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    settings = _redis_cache("redis://127.0.0.1:6379/5")
    with override_settings(CACHES=settings):
        yield settings["default"]
    page_cache._watch.close()
    forget_redis_keys("redis://127.0.0.1:6379/5", settings["default"]["KEY_PREFIX"])


def _another_server(settings):
    """The same Redis and key prefix, as another app server's process has."""
    from interactions.redis_cache import RedisCache

    return RedisCache(settings["LOCATION"], settings)


def test_cache_hits_do_not_ask_redis_for_the_generation(client, diazepam, redis_cache, monkeypatch):
    monkeypatch.setattr(page_cache._GenerationWatch, "REREAD_SECONDS", 60)
    reads = []
    read = page_cache._read_generation
    monkeypatch.setattr(page_cache, "_read_generation", lambda: reads.append(1) or read())
    assert client.get(_url(diazepam))["X-Page-Cache"] == "miss"
    reads.clear()
    for _ in range(5):
        assert client.get(_url(diazepam))["X-Page-Cache"] == "hit"
    assert reads == []


def test_a_change_announced_by_another_server_is_served_at_once(
    client, diazepam, redis_cache, monkeypatch
):
    monkeypatch.setattr(page_cache._GenerationWatch, "REREAD_SECONDS", 60)
    assert client.get(_url(diazepam))["X-Page-Cache"] == "miss"
    assert client.get(_url(diazepam))["X-Page-Cache"] == "hit"
    other = _another_server(redis_cache)
    generation = other.incr(page_cache.GENERATION_KEY)
    other.publish(page_cache.GENERATION_KEY, generation)
    assert page_cache.current_generation() == generation
    assert client.get(_url(diazepam))["X-Page-Cache"] == "miss"


def test_a_lost_subscription_never_leaves_old_pages_served(
    client, diazepam, redis_cache, monkeypatch
):
    import redis

    monkeypatch.setattr(page_cache._GenerationWatch, "REREAD_SECONDS", 60)
    before = page_cache.current_generation()
    # Redis drops the subscription's connection (a restart, a network fault),
    # and a change is announced while nobody listens.
    redis.Redis.from_url(redis_cache["LOCATION"]).client_kill_filter(_type="pubsub")
    other = _another_server(redis_cache)
    generation = other.incr(page_cache.GENERATION_KEY)
    other.publish(page_cache.GENERATION_KEY, generation)
    assert generation > before
    assert page_cache.current_generation() == generation
    # Subscribed again: the next announcement is heard.
    generation = other.incr(page_cache.GENERATION_KEY)
    other.publish(page_cache.GENERATION_KEY, generation)
    assert page_cache.current_generation() == generation


def test_a_change_nobody_announced_is_seen_within_a_second(diazepam, redis_cache, monkeypatch):
    before = page_cache.current_generation()
    _another_server(redis_cache).incr(page_cache.GENERATION_KEY)
    monkeypatch.setattr(page_cache._GenerationWatch, "REREAD_SECONDS", 0)
    assert page_cache.current_generation() == before + 1


def test_pages_are_shared_through_redis(client, diazepam, redis_cache):
    assert client.get(_url(diazepam))["X-Page-Cache"] == "miss"
    assert client.get(_url(diazepam))["X-Page-Cache"] == "hit"
    diazepam.summary = "Changed in Redis."
    workflow.save_page(diazepam)
    response = client.get(_url(diazepam))
    assert response["X-Page-Cache"] == "miss" and "Changed in Redis." in response.content.decode()


@pytest.fixture
def redis_down(monkeypatch):
    # Nothing listens on port 1; the process forgets the outage afterwards.
    monkeypatch.setattr(page_cache, "_cache_down_until", 0.0)
    with override_settings(CACHES=_redis_cache("redis://127.0.0.1:1/0")):
        yield


def test_with_redis_down_pages_are_served_uncached_with_a_warning(
    client, diazepam, redis_down, caplog
):
    with caplog.at_level(logging.WARNING, logger="interactions.page_cache"):
        response = client.get(_url(diazepam))
        assert response.status_code == 200 and "Diazepam" in response.content.decode()
        diazepam.summary = "Saved while Redis is down."
        workflow.save_page(diazepam)
        assert "Saved while Redis is down." in client.get(_url(diazepam)).content.decode()
    assert "Page cache unavailable" in caplog.text


def test_a_page_stored_by_another_process_is_served_from_the_shared_cache(client, diazepam):
    stored = client.get(_url(diazepam))
    page_cache._local.clear()  # as in a process that has not served it yet
    response = client.get(_url(diazepam))
    assert response["X-Page-Cache"] == "hit" and response.content == stored.content


def test_the_page_cache_can_be_switched_off(client, diazepam, settings):
    settings.PAGE_CACHE = False  # read when this test's client loads the middleware
    client.get(_url(diazepam))
    response = client.get(_url(diazepam))
    assert response.status_code == 200 and "X-Page-Cache" not in response


def test_a_change_saved_while_redis_was_unreachable_still_invalidates(
    client, diazepam, redis_cache, monkeypatch
):
    assert client.get(_url(diazepam))["X-Page-Cache"] == "miss"
    with override_settings(CACHES=_redis_cache("redis://127.0.0.1:1/0")):
        diazepam.summary = "Saved while Redis was unreachable."
        workflow.save_page(diazepam)
    monkeypatch.setattr(page_cache, "_cache_down_until", 0.0)  # Redis is back
    response = client.get(_url(diazepam))
    assert response["X-Page-Cache"] == "miss"
    assert "Saved while Redis was unreachable." in response.content.decode()


def test_pending_work_keeps_the_cache_and_a_publish_clears_it(client, diazepam):
    from tests import editors

    client.get(_url(diazepam))
    generation = page_cache.current_generation()
    pending = workflow.start_editing(diazepam, None)
    pending.summary = "Pending words."
    workflow.save_page(pending)
    workflow.send_for_review(pending, None)
    assert page_cache.current_generation() == generation
    assert client.get(_url(diazepam))["X-Page-Cache"] == "hit"
    workflow.publish(pending, editors.reviewer())
    assert page_cache.current_generation() > generation
    response = client.get(_url(diazepam))
    assert response["X-Page-Cache"] == "miss"
    assert "Pending words." in response.content.decode()


def test_every_kind_of_change_reaches_every_page_that_shows_it(client, make):
    """Warm every public page in the cache, make one kind of change, and
    each page that shows the change serves it at once."""
    diazepam = make.drug("Diazepam")
    codeine = make.drug("Codeine")
    linking = make.article("Diazepam side effects", drugs=[diazepam], body="See [[codeine]].")
    pages = {
        "drug": _url(diazepam),
        "a_to_z": reverse("interactions:drug_list"),
        "kind_list": reverse("interactions:article_kind_list", args=["interaction"]),
        "search": reverse("interactions:search") + "?q=diazepam+codeine",
        "checker": reverse("interactions:checker") + "?drug=diazepam&drug=codeine",
        "sitemap": reverse("sitemap_section", args=["articles"]),
        "feed": reverse("article_feed"),
        "linking": linking.get_absolute_url(),
    }

    def warm():
        for url in pages.values():
            client.get(url)
            assert client.get(url)["X-Page-Cache"] == "hit", url

    def shown():
        return {name: client.get(url).content.decode() for name, url in pages.items()}

    # A publish: a new interaction for the drug's list, the lists, search,
    # the checker, the sitemap and the feed.
    warm()
    interaction = make.article(
        "Can you take diazepam with codeine?",
        slug="diazepam-and-codeine",
        kind="interaction",
        drugs=[diazepam, codeine],
        body="Read.\n\n" + make.URGENT_HELP,
    )
    now = shown()
    for name in ("drug", "kind_list", "search", "checker", "feed"):
        assert "Can you take diazepam with codeine?" in now[name], name
    assert "/articles/diazepam-and-codeine/" in now["sitemap"]

    # A slug change: every link and the sitemap follow it.
    warm()
    interaction.slug = "diazepam-with-codeine"
    workflow.save_page(interaction)
    now = shown()
    for name in ("drug", "kind_list", "search", "checker", "sitemap"):
        assert "/articles/diazepam-with-codeine/" in now[name], name
        assert "/articles/diazepam-and-codeine/" not in now[name], name

    # A linked page's title: the A–Z and the page that links to it.
    warm()
    codeine.title = "Codeine phosphate"
    workflow.save_page(codeine)
    now = shown()
    assert "Codeine phosphate" in now["a_to_z"]
    assert ">Codeine phosphate</a>" in now["linking"]

    # Taken offline: gone from every page that listed it.
    warm()
    from tests import editors

    workflow.unpublish(interaction, editors.reviewer())
    now = shown()
    for name in ("drug", "kind_list", "search", "sitemap", "feed"):
        assert "diazepam-with-codeine" not in now[name], name
    assert client.get("/articles/diazepam-with-codeine/").status_code == 404
