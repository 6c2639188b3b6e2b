"""Images in page bodies: what an upload must be, and alt text on every image.

Uploads come through the editor ("Add image", or drag an image into the
Markdown box). Only real JPEG, PNG and WebP files are kept, checked by
decoding them with Pillow rather than by trusting the browser's content type
or the file name. What is stored is a fresh encoding of the pixels, turned
upright and at most MAX_DIMENSION pixels on its long side: EXIF (camera, GPS
position), comments and anything appended after the image data are dropped.
Files get random names, so an upload can never replace another file or choose
its own extension, and serve_image() serves nothing but those files.

The editor inserts `![Describe this image](/media/images/...)`; a body whose
image has no alt text, or still has that placeholder, is refused with a
message naming the image, so every picture reaches patients with a
description. A body may show only images uploaded here (foreign_images()).
"""

import io
import re
import uuid
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.views.decorators.http import require_safe
from django.views.static import serve
from PIL import Image, ImageOps, UnidentifiedImageError

ALT_PLACEHOLDER = "Describe this image"
# Pillow format name -> file extension of the stored copy.
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Wide enough for any screen at twice its pixel density in a 46rem column.
MAX_DIMENSION = 2000
# Decoding allocates width × height × 4 bytes: a small file of one colour can
# claim 20,000 × 20,000 pixels (1.6 GB). A 40-megapixel photo is refused.
MAX_SOURCE_PIXELS = 40_000_000
# Names serve_image() answers and bodies may use: what store_image() makes
# (and hand-named files placed there by an administrator), never a path.
IMAGE_NAME = r"[A-Za-z0-9_-]+\.(?:jpg|png|webp)"


def max_upload_size():
    return settings.MARKDOWNX_UPLOAD_MAX_SIZE


def check_image(upload):
    """The Pillow format of an uploaded file, or ValidationError saying why not."""
    limit = max_upload_size()
    if upload.size > limit:
        raise ValidationError(
            f"The image is {filesizeformat(upload.size)}; the limit is {filesizeformat(limit)}. "
            "Make it smaller (for example save it at a lower resolution) and try again."
        )
    allowed = "JPEG, PNG or WebP"
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            found = image.format
            pixels = image.width * image.height
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            f"“{upload.name}” is not a readable image. Upload a {allowed} file."
        ) from None
    finally:
        upload.seek(0)
    if pixels > MAX_SOURCE_PIXELS:
        raise ValidationError(
            f"The image has {pixels / 1_000_000:.0f} million pixels; the limit is "
            f"{MAX_SOURCE_PIXELS // 1_000_000} million. Save it at a lower resolution and "
            "try again."
        )
    if found not in IMAGE_FORMATS:
        raise ValidationError(
            f"{found or 'This'} images are not accepted. Upload a {allowed} file."
        )
    return found


def reencode(upload, image_format):
    """The image's pixels, upright, capped in size, as a new file's bytes.

    Saving only the decoded pixels leaves behind EXIF and GPS data, comments
    and any bytes appended after the image; the ICC colour profile is kept so
    colours stay right. Animated images keep their first frame.
    """
    upload.seek(0)
    with Image.open(upload) as source:
        if image_format == "JPEG":
            # Decode large JPEGs at a reduced scale straight away (cheaper).
            source.draft("RGB", (MAX_DIMENSION, MAX_DIMENSION))
        icc_profile = source.info.get("icc_profile")
        image = ImageOps.exif_transpose(source)
        image.thumbnail((MAX_DIMENSION, MAX_DIMENSION), Image.Resampling.LANCZOS)
    # Pillow writes some metadata it read (a JPEG comment, for one) back out;
    # only a palette image's transparent colour is part of the picture.
    image.info = {key: value for key, value in image.info.items() if key == "transparency"}
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif image_format == "WEBP" and image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    options = {"JPEG": {"quality": 85}, "WEBP": {"quality": 85}, "PNG": {}}[image_format]
    if icc_profile:
        options["icc_profile"] = icc_profile
    output = io.BytesIO()
    image.save(output, image_format, **options)
    return output.getvalue()


def store_image(upload, image_format):
    """Save a clean copy of the upload under a random name; return its public URL."""
    name = f"{uuid.uuid4().hex}.{IMAGE_FORMATS[image_format]}"
    path = str(PurePosixPath(settings.MARKDOWNX_MEDIA_PATH) / name)
    saved = default_storage.save(path, ContentFile(reencode(upload, image_format)))
    return default_storage.url(saved)


def uploaded_image_url_re():
    """Matches the src of an image uploaded here: MEDIA_URL + images/<name>."""
    prefix = settings.MEDIA_URL + settings.MARKDOWNX_MEDIA_PATH
    return re.compile(re.escape(prefix) + IMAGE_NAME)


# Uploaded files never change (each has a new random name), so browsers and
# proxies may keep them for a year without asking again.
IMAGE_CACHE_CONTROL = "public, max-age=31536000, immutable"


@require_safe
def serve_image(request, name):
    """One uploaded image from MEDIA_ROOT/images/, in production as with DEBUG.

    The URL pattern admits only IMAGE_NAME (no slashes, no dots but the
    extension's), and serve() joins it safely to the fixed images folder, so
    nothing else under MEDIA_ROOT or beyond can be reached.
    """
    folder = Path(settings.MEDIA_ROOT) / settings.MARKDOWNX_MEDIA_PATH
    response = serve(request, name, document_root=folder)
    response["Cache-Control"] = IMAGE_CACHE_CONTROL
    return response


def image_markdown(url, alt=""):
    alt = " ".join(alt.replace("[", "(").replace("]", ")").split()) or ALT_PLACEHOLDER
    return f"![{alt}]({url})"


class _ImageCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            values = dict(attrs)
            self.images.append((values.get("src") or "", (values.get("alt") or "").strip()))


def _images(html):
    collector = _ImageCollector()
    collector.feed(html)
    return collector.images


def images_missing_alt(html):
    """The src of every image in rendered HTML without a real description."""
    return [src for src, alt in _images(html) if not alt or alt == ALT_PLACEHOLDER]


def foreign_images(html):
    """The src of every image in rendered HTML that was not uploaded here.

    Patients' browsers must never fetch from elsewhere (tracking, images
    that change after review), and only uploads are checked and cleaned.
    """
    uploaded = uploaded_image_url_re()
    return list(dict.fromkeys(src for src, _ in _images(html) if not uploaded.fullmatch(src)))
