"""The Markdown editor's two endpoints: live preview and image upload.

django-markdownx ships views for these that anyone may call and that give a
500 on bad input, so MedInfo mounts its own under the same URL names
(`markdownx_markdownify`, `markdownx_upload`) and paths the editor's
JavaScript posts to. Both answer staff only; anonymous users are sent to the
admin login. The preview renders with the public pipeline, so it is exactly
what patients will see; bad input gets a 400 with a message.
"""

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from .forms import ImageUploadForm
from .images import image_markdown, store_image
from .models import resolve_slug
from .rendering import render_markdown

EDIT_PERMISSIONS = (
    "interactions.add_article",
    "interactions.change_article",
    "interactions.add_drug",
    "interactions.change_drug",
)


def _problems_box(messages):
    items = format_html_join("", "<li>{}</li>", ((message,) for message in messages))
    return format_html(
        '<div class="callout callout-urgent preview-problems" role="alert">'
        '<p class="callout-title"><strong>Fix before saving:</strong></p><ul>{}</ul></div>',
        items,
    )


@staff_member_required
@require_POST
def markdownify(request):
    """Rendered HTML for the Markdown in `content`, with any problems on top."""
    content = request.POST.get("content")
    if content is None:
        return HttpResponseBadRequest(
            "Send the Markdown to preview in a field named “content”.",
            content_type="text/plain; charset=utf-8",
        )
    rendered = render_markdown(content, resolve_slug)
    # Show what patients would see, and what must be fixed before saving.
    problems = rendered.problems
    return HttpResponse((_problems_box(problems) if problems else "") + rendered.html)


@staff_member_required
@require_POST
def upload(request):
    """Store a dropped image; answer with the Markdown that shows it."""
    if not any(request.user.has_perm(perm) for perm in EDIT_PERMISSIONS):
        return JsonResponse({"error": "You do not have permission to add images."}, status=403)
    form = ImageUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        message = " ".join(message for messages in form.errors.values() for message in messages)
        return JsonResponse({"error": message, "errors": form.errors}, status=400)
    url = store_image(form.cleaned_data["image"], form.cleaned_data["format"])
    return JsonResponse({"image_code": image_markdown(url, form.cleaned_data["alt"])})
