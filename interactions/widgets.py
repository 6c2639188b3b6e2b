"""The Markdown editor the admin uses for page bodies.

django-markdownx's own script ignores the HTTP status of its requests:
every failed upload inserts the words "Invalid response" into the body,
the server's message ("not a readable image", "the limit is 2 MB") is
only logged to the console, the preview cannot send the article's kind,
and Tab is captured inside the text box, trapping keyboard users. So this
widget keeps markdownx's field, attributes and endpoints but loads
static/js/markdown-editor.js instead, and adds a visible "Add image" file
button (keyboard and tablet friendly) beside the text. The preview sits
beside the editor on wide screens and uses the patient pages' stylesheet.
"""

from django.forms.widgets import Textarea
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from markdownx.widgets import AdminMarkdownxWidget

from .images import IMAGE_FORMATS, max_upload_size


class MarkdownEditorWidget(AdminMarkdownxWidget):
    # Only the text box comes from a template; render() adds the rest.
    template_name = Textarea.template_name

    class Media:
        extend = False  # not markdownx's script and admin CSS (see above)
        css = {"all": ("css/content.css", "css/admin-preview.css")}
        js = ("js/markdown-editor.js",)

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**(attrs or {})}
        text_box = super().render(name, value, attrs, renderer)
        field_id = attrs.get("id") or f"id_{name}"
        accept = ",".join(f"image/{image_format.lower()}" for image_format in IMAGE_FORMATS)
        return format_html(
            '<div class="markdown-editor" data-markdown-editor>'
            '<div class="markdown-editor-write">{text_box}'
            '<div class="markdown-editor-image">'
            '<label for="{field_id}_image">Add image</label> '
            '<input type="file" id="{field_id}_image" accept="{accept}" '
            'aria-describedby="{field_id}_image_hint" data-markdown-editor-file>'
            '<p class="markdown-editor-hint" id="{field_id}_image_hint">JPEG, PNG or WebP, up '
            "to {limit}. It goes in on its own line where the cursor is; you can also drag or "
            "paste an image into the text.</p>"
            '<p class="markdown-editor-status" role="status" data-markdown-editor-status></p>'
            '<p class="markdown-editor-error" role="alert" data-markdown-editor-error></p>'
            "</div></div>"
            '<div class="markdownx-preview" role="region" aria-label="Preview: the page as '
            'patients will see it" data-markdown-editor-preview></div>'
            "</div>",
            text_box=text_box,
            field_id=field_id,
            accept=accept,
            limit=filesizeformat(max_upload_size()),
        )
