"""The Markdown editor's two endpoints: live preview and image upload.

django-markdownx ships views for these that anyone may call and that give a
500 on bad input, so MedInfo mounts its own under the same URL names
(`markdownx_markdownify`, `markdownx_upload`) and paths the editor's
JavaScript (static/js/markdown-editor.js) posts to. Both answer only staff
who may edit pages; anonymous users are sent to the admin login. The preview
renders with the public pipeline, so it is exactly what patients will see,
with the problems a save would refuse listed above it; bad input gets a 4xx
with a message, never a 500.
"""

from functools import wraps

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html, format_html_join
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .forms import ImageUploadForm
from .images import image_markdown, max_upload_size, store_image
from .models import Article, Kind, resolve_slug
from .rendering import render_markdown

EDIT_PERMISSIONS = (
    "interactions.add_article",
    "interactions.change_article",
    "interactions.add_drug",
    "interactions.change_drug",
)
PREVIEW_PERMISSIONS = ("interactions.change_article", "interactions.change_drug")


def _problems_box(messages):
    items = format_html_join("", "<li>{}</li>", ((message,) for message in messages))
    return format_html(
        '<div class="callout callout-urgent preview-problems" role="alert">'
        '<p class="callout-title"><strong>Fix before saving:</strong></p><ul>{}</ul></div>',
        items,
    )


def _declared_size(request):
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def refuse_large_bodies(too_large):
    """Answer too_large(request, size) when the body is over the upload limit.

    CsrfViewMiddleware reads request.POST before any view runs, which parses
    a multipart body of any size and spools its files to disk. These views
    are therefore exempt from the middleware, look at the declared size
    first, and only then run exactly the middleware's CSRF check themselves.
    """

    def decorator(view):
        @csrf_exempt
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            size = _declared_size(request)
            if size > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                return too_large(request, size)
            refused = CsrfViewMiddleware(view).process_view(request, view, args, kwargs)
            if refused is not None:
                return refused
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _preview_too_large(request, size):
    limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    return HttpResponse(
        _problems_box([f"The text is {filesizeformat(size)}: too long to preview (over {limit})."]),
        status=413,
    )


def _upload_too_large(request, size):
    message = (
        f"The upload is {filesizeformat(size)}; the limit is {filesizeformat(max_upload_size())}. "
        "Make the image smaller (for example save it at a lower resolution) and try again."
    )
    return JsonResponse({"error": message}, status=413)


def _body_problems(content, kind):
    """(Rendered, problems): the body's own rules, and the article kind's if given.

    With the kind of article being written, the preview also runs the
    model's own rule for it (an interaction needs a "When to get urgent
    help" section), so editors see it as they type rather than on saving.
    """
    if kind in Kind.values:
        article = Article(kind=kind, body=content)
        problems = article.validation_errors().get("body", [])
        if isinstance(problems, str):
            problems = [problems]
        return article.rendered, problems
    rendered = render_markdown(content, resolve_slug)
    return rendered, rendered.problems


@staff_member_required
@require_POST
@refuse_large_bodies(_preview_too_large)
def markdownify(request):
    """Rendered HTML for the Markdown in `content`, with any problems on top.

    An optional `kind` (the article form's kind) adds that kind's rules.
    """
    if not any(request.user.has_perm(perm) for perm in PREVIEW_PERMISSIONS):
        return HttpResponse(
            _problems_box(["You do not have permission to edit pages, so there is no preview."]),
            status=403,
        )
    content = request.POST.get("content")
    if content is None:
        return HttpResponse(
            _problems_box(["Send the Markdown to preview in a field named “content”."]),
            status=400,
        )
    rendered, problems = _body_problems(content, request.POST.get("kind", ""))
    # Show what patients would see, and what must be fixed before saving.
    return HttpResponse((_problems_box(problems) if problems else "") + rendered.html)


@staff_member_required
@require_POST
@refuse_large_bodies(_upload_too_large)
def upload(request):
    """Store an image from the editor; answer with the Markdown that shows it.

    The answer is JSON: `image_code` on success, otherwise `error`, a
    message for the editor that the page's script shows beside the button.
    """
    if not any(request.user.has_perm(perm) for perm in EDIT_PERMISSIONS):
        return JsonResponse({"error": "You do not have permission to add images."}, status=403)
    form = ImageUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        message = " ".join(message for messages in form.errors.values() for message in messages)
        return JsonResponse({"error": message, "errors": form.errors}, status=400)
    url = store_image(form.cleaned_data["image"], form.cleaned_data["format"])
    return JsonResponse({"image_code": image_markdown(url, form.cleaned_data["alt"])})
