"""Images in page bodies: what an upload must be, and alt text on every image.

Uploads come through the editor (drag an image into the Markdown box). Only
real JPEG, PNG and WebP files are kept, checked by decoding them with Pillow
rather than by trusting the browser's content type or the file name, and they
are stored under random names so an upload can never replace another file or
choose its own extension.

The editor inserts `![Describe this image](/media/...)`; a body whose image has
no alt text, or still has that placeholder, is refused with a message naming
the image, so every picture reaches patients with a description.
"""

import uuid
from html.parser import HTMLParser
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

ALT_PLACEHOLDER = "Describe this image"
# Pillow format name -> file extension of the stored copy.
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


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
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            f"“{upload.name}” is not a readable image. Upload a {allowed} file."
        ) from None
    finally:
        upload.seek(0)
    if found not in IMAGE_FORMATS:
        raise ValidationError(
            f"{found or 'This'} images are not accepted. Upload a {allowed} file."
        )
    return found


def store_image(upload, image_format):
    """Save the upload under a random name; return its public URL."""
    name = f"{uuid.uuid4().hex}.{IMAGE_FORMATS[image_format]}"
    path = str(PurePosixPath(settings.MARKDOWNX_MEDIA_PATH) / name)
    upload.seek(0)
    saved = default_storage.save(path, ContentFile(upload.read()))
    return default_storage.url(saved)


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


def images_missing_alt(html):
    """The src of every image in rendered HTML without a real description."""
    collector = _ImageCollector()
    collector.feed(html)
    return [src for src, alt in collector.images if not alt or alt == ALT_PLACEHOLDER]
