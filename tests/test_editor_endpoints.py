"""The Markdown editor's preview and upload endpoints: staff only, safe input."""

import io
import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.urls import reverse
from PIL import Image

from interactions.models import Page
from tests import editors, factories

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


# Who may preview ------------------------------------------------------------


def test_preview_needs_permission_to_edit_pages(client):
    client.force_login(editors.staff_user("helper"))
    response = client.post(PREVIEW, {"content": "Hello"})
    assert response.status_code == 403
    assert "You do not have permission to edit pages" in response.content.decode()


@pytest.mark.parametrize("url", [PREVIEW, UPLOAD])
def test_editor_endpoints_still_check_the_csrf_token(url, media):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editors.editor())
    refused = client.post(url, {"content": "Hello", "image": _image()})
    assert refused.status_code == 403
    assert "CSRF" in refused.content.decode()
    token = client.get(reverse("admin:interactions_article_add")).cookies["csrftoken"].value
    accepted = client.post(
        url, {"content": "Hello", "image": _image()}, headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 200


# What the preview says ------------------------------------------------------

PATHOLOGICAL = {
    "10,000 [": ("[" * 10_000, "“[” or “(” that are never closed"),
    "500 nested lists": ("- " * 500, "nested more than 20 levels deep"),
    "5,000 nested quotes": ("> " * 5_000, "nested more than 20 levels deep"),
    "over 200 KB": ("a" * (200 * 1024 + 1), "a page can be at most 200.0\xa0KB"),
}


@pytest.mark.parametrize(("text", "message"), PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_preview_shows_why_pathological_text_is_refused(staff, text, message):
    started = time.perf_counter()
    response = staff.post(PREVIEW, {"content": text})
    assert time.perf_counter() - started < 2
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div class="callout callout-urgent preview-problems" role="alert">')
    assert message in html


def test_preview_over_the_request_limit_is_a_413_with_a_message(staff, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = staff.post(PREVIEW, {"content": "a" * 2000})
    assert response.status_code == 413
    assert "too long to preview (over 1.0\xa0KB)" in response.content.decode()


def test_request_limit_is_three_megabytes():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 3 * 1024 * 1024
    # Files that pass the size check are kept in memory, never spooled to disk.
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE >= settings.DATA_UPLOAD_MAX_MEMORY_SIZE


@pytest.mark.parametrize(
    ("kind", "body", "problem"),
    [
        ("interaction", "Some text.", True),
        ("risks", "## When to get urgent help\n\nCall 999.", True),
        ("interaction", "Text.\n\n" + factories.URGENT_HELP, False),
        ("side-effects", "Some text.", False),
        ("medicine", "Some text.", False),  # a drug form's type: no article rule
        ("", "Some text.", False),
    ],
)
def test_preview_runs_the_article_kinds_own_rule(staff, kind, body, problem):
    response = staff.post(PREVIEW, {"content": body, "kind": kind})
    assert response.status_code == 200
    html = response.content.decode()
    assert ("When to get urgent help&#x27; section" in html) is problem
    assert ("preview-problems" in html) is problem
    assert "<p>" in html  # and the rendering itself, below any problems


# Uploads: the request, and what is stored ----------------------------------


class RecordingUploadHandler(FileUploadHandler):
    """Django's own upload-handler hook: notes every file the parser starts."""

    files = []

    def new_file(self, field_name, file_name, *args, **kwargs):
        self.files.append(file_name)
        super().new_file(field_name, file_name, *args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None


@pytest.fixture
def recorded_files(settings):
    settings.FILE_UPLOAD_HANDLERS = [
        "tests.test_editor_endpoints.RecordingUploadHandler",
        *settings.FILE_UPLOAD_HANDLERS,
    ]
    RecordingUploadHandler.files = []
    return RecordingUploadHandler.files


def test_upload_over_the_request_limit_is_refused_before_it_is_read(staff, media, recorded_files):
    staff.post(UPLOAD, {"image": _image(name="small.png")})
    assert recorded_files == ["small.png"]  # the hook sees files that are read

    big = SimpleUploadedFile("big.png", b"\0" * (3 * 1024 * 1024 + 1), "image/png")
    response = staff.post(UPLOAD, {"image": big})
    assert response.status_code == 413
    assert response.json()["error"].startswith("The upload is 3.0\xa0MB; the limit is 2.0\xa0MB.")
    assert recorded_files == ["small.png"]
    assert len([path for path in media.rglob("*") if path.is_file()]) == 1


def _stored(media, response):
    match = re.search(r"/media/images/(\w+\.\w+)\)$", response.json()["image_code"])
    return Path(media, "images", match.group(1))


def _photo_with_gps(size=(40, 20), orientation=6):
    """A JPEG as a phone makes it: GPS position, rotation flag, and here
    some bytes hidden after the end of the image data."""
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation: rotate 90° clockwise to show
    exif[0x010F] = "PhoneMaker"
    gps = {2: (51.0, 30.0, 0.0), 1: "N", 4: (0.0, 7.0, 0.0), 3: "W"}
    exif[0x8825] = gps
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "JPEG", exif=exif, comment=b"secret note")
    return buffer.getvalue() + b"<script>alert(1)</script>HIDDEN"


def test_upload_keeps_the_pixels_but_not_gps_exif_or_hidden_bytes(staff, media):
    original = _photo_with_gps()
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get_ifd(0x8825)  # the test photo does carry GPS
    response = staff.post(UPLOAD, {"image": SimpleUploadedFile("p.jpg", original, "image/jpeg")})
    assert response.status_code == 200
    stored = _stored(media, response).read_bytes()
    assert b"HIDDEN" not in stored and b"PhoneMaker" not in stored and b"secret" not in stored
    assert stored.endswith(b"\xff\xd9")
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert image.size == (20, 40)  # turned upright, as the phone meant it


@pytest.mark.parametrize(
    ("fmt", "mode"), [("PNG", "RGBA"), ("PNG", "P"), ("WEBP", "RGB"), ("JPEG", "RGB")]
)
def test_upload_is_scaled_to_2000_pixels_on_the_long_side(staff, media, fmt, mode):
    buffer = io.BytesIO()
    Image.new(mode, (3000, 1200), "teal").save(buffer, fmt)
    upload = SimpleUploadedFile(f"wide.{fmt.lower()}", buffer.getvalue())
    response = staff.post(UPLOAD, {"image": upload})
    assert response.status_code == 200
    with Image.open(_stored(media, response)) as image:
        assert image.format == fmt
        assert image.size == (2000, 800)
        assert image.mode == mode


def test_transparent_palette_png_stays_transparent(staff, media):
    image = Image.new("P", (3000, 10), 0)
    image.putpalette([0, 128, 128, 255, 255, 255])
    buffer = io.BytesIO()
    image.save(buffer, "PNG", transparency=0)
    response = staff.post(UPLOAD, {"image": SimpleUploadedFile("t.png", buffer.getvalue())})
    with Image.open(_stored(media, response)) as stored:
        assert stored.size == (2000, 7)
        assert stored.convert("RGBA").getpixel((0, 0))[3] == 0


def test_upload_refuses_images_with_too_many_pixels(staff, media):
    buffer = io.BytesIO()
    Image.new("1", (9000, 5000)).save(buffer, "PNG")  # tiny file, 45 million pixels
    response = staff.post(UPLOAD, {"image": SimpleUploadedFile("x.png", buffer.getvalue())})
    assert response.status_code == 400
    assert "the limit is 40 million" in response.json()["error"]
    assert not any(path.is_file() for path in media.rglob("*"))


# Serving uploads, in production too ----------------------------------------


@pytest.mark.parametrize("debug", [False, True])
def test_uploaded_images_are_served_with_and_without_debug(staff, client, media, settings, debug):
    settings.DEBUG = debug
    code = staff.post(UPLOAD, {"image": _image("WEBP", "c.webp")}).json()["image_code"]
    url = re.search(r"\((/media/images/[^)]+)\)", code).group(1)
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["X-Content-Type-Options"] == "nosniff"
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
        assert image.format == "WEBP"
    assert client.head(url).status_code == 200  # proxies and link checkers ask first


@pytest.mark.parametrize(
    "url",
    [
        "/media/images/missing.png",
        "/media/secret.png",
        "/media/images/notes.txt",
        "/media/images/../secret.png",
        "/media/images/%2e%2e/secret.png",
        "/media/images/sub/a.png",
        "/media/images/",
    ],
)
def test_nothing_but_uploaded_images_is_served(client, media, settings, url):
    settings.DEBUG = False
    (media / "images" / "sub").mkdir(parents=True)
    for name in ("secret.png", "images/notes.txt", "images/sub/a.png"):
        (media / name).write_bytes(b"private")
    response = client.get(url)
    assert response.status_code == 404
    assert b"private" not in response.content


# The editor widget -----------------------------------------------------------


def test_editor_widget_has_a_labelled_image_button_and_its_own_script():
    from interactions.widgets import MarkdownEditorWidget

    widget = MarkdownEditorWidget()
    html = widget.render("body", "Some *text*", {"id": "id_body"})
    assert '<label for="id_body_image">Add image</label>' in html
    assert (
        '<input type="file" id="id_body_image" accept="image/jpeg,image/png,image/webp" '
        'aria-describedby="id_body_image_hint" data-markdown-editor-file>'
    ) in html
    assert "up to 2.0\xa0MB" in html
    assert 'role="alert" data-markdown-editor-error' in html
    assert f'data-markdownx-urls-path="{PREVIEW}"' in html
    assert f'data-markdownx-upload-urls-path="{UPLOAD}"' in html
    assert '<textarea name="body" cols="40" rows="10"' in html and "Some *text*</textarea>" in html
    assert 'class="markdownx-preview"' in html
    media = str(widget.media)
    assert "/static/js/markdown-editor.js" in media and "/static/css/content.css" in media
    # markdownx's own script would insert "Invalid response" into the text.
    assert "markdownx.js" not in media and "markdownx.min.js" not in media
