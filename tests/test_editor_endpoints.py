"""The Markdown editor's preview and upload endpoints: staff only, safe input."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from interactions.models import Page
from tests import editors

pytestmark = pytest.mark.django_db

PREVIEW = reverse("markdownx_markdownify")
UPLOAD = reverse("markdownx_upload")
SAMPLE = (
    "## What happens\n\nSee [[diazepam]] and [[diazepam|this medicine]].\n\n"
    "| Medicine | Effect |\n| --- | --- |\n| Diazepam | Sleepy |\n\n"
    '!!! emergency "Call 999 now if:"\n    - you cannot breathe\n\n'
    "<script>alert(1)</script> [x](javascript:alert(1))\n"
)


@pytest.fixture
def staff(client):
    client.force_login(editors.editor())
    return client


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _image(fmt="PNG", name="picture.png", size=(8, 8), content_type="image/png"):
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def test_editor_urls_are_where_markdownx_posts():
    from markdownx import settings as markdownx_settings

    assert PREVIEW == markdownx_settings.MARKDOWNX_URLS_PATH
    assert UPLOAD == markdownx_settings.MARKDOWNX_UPLOAD_URLS_PATH


@pytest.mark.parametrize("url", [PREVIEW, UPLOAD])
def test_anonymous_users_are_sent_to_log_in(client, url, media):
    response = client.post(url, {"content": "Hello", "image": _image()})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert not any(media.rglob("*.png"))


@pytest.mark.parametrize("url", [PREVIEW, UPLOAD])
def test_logged_in_non_staff_users_are_refused(client, url, media):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("patient", password="x"))
    response = client.post(url, {"content": "Hello", "image": _image()})
    assert response.status_code == 302
    assert not any(media.rglob("*.png"))


def test_preview_is_exactly_the_public_rendering(staff, make):
    make.drug("Diazepam")
    article = make.article("Sample", body=SAMPLE, drugs=[Page.objects.get().drug])
    response = staff.post(PREVIEW, {"content": SAMPLE})
    assert response.status_code == 200
    html = response.content.decode()
    assert html == article.body_html
    public = staff.get(article.get_absolute_url()).content.decode()
    assert html in public
    assert "<table>" in html and 'class="wikilink"' in html and ">this medicine</a>" in html
    assert "<script" not in html and "javascript:" not in html


def test_preview_names_problems_above_the_rendering(staff):
    response = staff.post(PREVIEW, {"content": "See [[nowhere]].\n\n!!! shout\n    Hi"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div class="callout callout-urgent preview-problems" role="alert">')
    assert "[[nowhere]] does not match any drug or article." in html
    assert "Unknown callout" in html


def test_preview_without_content_is_a_400(staff):
    response = staff.post(PREVIEW, {})
    assert response.status_code == 400
    assert "content" in response.content.decode()


def test_preview_refuses_get(staff):
    assert staff.get(PREVIEW).status_code == 405


@pytest.mark.parametrize(
    ("fmt", "name", "content_type"),
    [("PNG", "a.png", "image/png"), ("JPEG", "b.jpg", "image/jpeg"), ("WEBP", "c", "")],
)
def test_upload_stores_real_images_under_random_names(staff, media, fmt, name, content_type):
    response = staff.post(UPLOAD, {"image": _image(fmt, name, content_type=content_type)})
    assert response.status_code == 200
    code = response.json()["image_code"]
    match = re.fullmatch(r"!\[Describe this image\]\(/media/images/([0-9a-f]{32})\.(\w+)\)", code)
    assert match, code
    assert match.group(2) == {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}[fmt]
    stored = Path(media, "images", f"{match.group(1)}.{match.group(2)}")
    with Image.open(stored) as image:
        assert image.format == fmt


def test_upload_uses_the_alt_text_given(staff, media):
    response = staff.post(UPLOAD, {"image": _image(), "alt": "A [blue] pill"})
    assert response.json()["image_code"].startswith("![A (blue) pill](/media/images/")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("x.png", b"<svg onload=alert(1)>", "image/png"),
            "not a readable image",
        ),
        (SimpleUploadedFile("x.html", b"<script>alert(1)</script>", "text/html"), "not a readable"),
        (SimpleUploadedFile("x.png", _image().read()[:40], "image/png"), "not a readable image"),
        (_image("GIF", "x.gif", content_type="image/gif"), "GIF images are not accepted"),
        (_image("BMP", "x.png"), "BMP images are not accepted"),
    ],
)
def test_upload_refuses_anything_but_a_real_jpeg_png_or_webp(staff, media, upload, message):
    response = staff.post(UPLOAD, {"image": upload})
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not any(path.is_file() for path in media.rglob("*"))


def test_upload_refuses_oversize_files(staff, media, settings):
    settings.MARKDOWNX_UPLOAD_MAX_SIZE = 1024
    response = staff.post(UPLOAD, {"image": _image("BMP", "big.png", size=(64, 64))})
    assert response.status_code == 400
    assert "the limit is 1.0\xa0KB" in response.json()["error"]
    assert not any(path.is_file() for path in media.rglob("*"))


def test_upload_without_a_file_is_a_400(staff, media):
    response = staff.post(UPLOAD, {})
    assert response.status_code == 400
    assert "Choose an image to upload" in response.json()["error"]


def test_upload_needs_permission_to_edit_pages(client, media):
    client.force_login(editors.staff_user("helper"))
    response = client.post(UPLOAD, {"image": _image()})
    assert response.status_code == 403
    assert not any(media.rglob("*.png"))


def test_preview_styles_are_the_patient_pages_own(staff):
    """The admin preview and the public pages load the same content stylesheet."""
    admin_html = staff.get(reverse("admin:interactions_article_add")).content.decode()
    public_html = staff.get(reverse("interactions:home")).content.decode()
    assert "/static/css/content.css" in admin_html
    assert "/static/css/content.css" in public_html
    content_css = Path(settings.BASE_DIR, "static", "css", "content.css").read_text()
    for rule in (
        ".callout-emergency",
        ".callout-key-facts",
        ":is(.prose, .markdownx-preview) table",
    ):
        assert rule in content_css


def test_upload_limit_is_two_megabytes(staff, media):
    assert settings.MARKDOWNX_UPLOAD_MAX_SIZE == 2 * 1024 * 1024
    huge = SimpleUploadedFile("huge.png", b"\0" * (2 * 1024 * 1024 + 1), "image/png")
    response = staff.post(UPLOAD, {"image": huge})
    assert response.status_code == 400
    assert "the limit is 2.0\xa0MB" in response.json()["error"]
