"""Admin forms: the model rules as field errors, and who may publish.

The rules live on the models (`validation_errors`, `clean_relations`); these
forms only put their messages next to the right field. Rules about related
rows need the drugs, see-also links and references the editor has just
typed into the inlines, so ArticleAdmin leaves the bound inline formsets on
the form's instance (`_inline_formsets`) before the form is validated.
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError

from . import workflow
from .images import check_image
from .models import Article, Status

# clean_relations() key -> prefix of the admin inline that holds those rows.
RELATION_INLINES = {
    "drugs": "drug_links",
    "see_also": "see_also_links",
    "references": "references",
}


def _label(instance, field):
    try:
        return str(instance._meta.get_field(field).verbose_name).capitalize()
    except FieldDoesNotExist:
        return field.replace("_", " ").capitalize()


class ModelRulesFormMixin:
    """Errors for fields the form does not show become form-wide errors.

    Django raises ValueError when a model rule names a field missing from the
    form (a read-only field, or a list edit of one column); here the message
    is kept and prefixed with the field's name instead.
    """

    def _update_errors(self, errors):
        if hasattr(errors, "error_dict"):
            kept = {}
            for field, messages in errors.error_dict.items():
                if field == NON_FIELD_ERRORS or field in self.fields:
                    kept.setdefault(field, []).extend(messages)
                    continue
                label = _label(self.instance, field)
                kept.setdefault(NON_FIELD_ERRORS, []).extend(
                    ValidationError(f"{label}: {message}")
                    for error in messages
                    for message in error.messages
                )
            errors = ValidationError(kept)
        super()._update_errors(errors)


class PublishRightsMixin:
    """Refuses status "published" from anyone who may not publish."""

    user = None  # set per request by ArticleAdmin
    # True when the form saves an old version (history "revert" or "recover"):
    # the database already holds that version, so nothing looks changed.
    reverting = False

    def check_publish_rights(self, related_changed=False):
        if self.instance.status != Status.PUBLISHED or "status" not in self.fields:
            return
        if workflow.can_publish(self.user):
            return
        was_published = self.initial.get("status") == Status.PUBLISHED
        if self.reverting:
            self.add_error("status", workflow.NOT_ALLOWED_TO_RESTORE_PUBLISHED)
        elif not was_published:
            self.add_error("status", workflow.NOT_ALLOWED_TO_PUBLISH)
        elif self.has_changed() or related_changed:
            self.add_error("status", workflow.NOT_ALLOWED_TO_CHANGE_PUBLISHED)


class ArticleAdminForm(ModelRulesFormMixin, PublishRightsMixin, forms.ModelForm):
    mark_reviewed = forms.BooleanField(
        required=False,
        label="Mark reviewed",
        help_text="Sets “Last reviewed” to today and “Reviewed by” to your name. "
        "The next review is then due in 12 months.",
    )

    class Meta:
        model = Article
        fields = (
            "title",
            "slug",
            "kind",
            "severity",
            "populations",
            "summary",
            "body",
            "status",
            "last_reviewed",
            "reviewed_by",
        )

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("mark_reviewed"):
            if not workflow.can_mark_reviewed(self.user):
                self.add_error("mark_reviewed", "Only a medical reviewer can mark it reviewed.")
            else:
                for name, value in workflow.review_fields(self.user).items():
                    if name in self.fields:
                        cleaned_data[name] = value
                    else:
                        setattr(self.instance, name, value)
        return cleaned_data

    def _post_clean(self):
        super()._post_clean()
        bound = getattr(self.instance, "_inline_formsets", None) or ()
        formsets = {formset.prefix: formset for formset in bound}
        self.check_publish_rights(any(formset.has_changed() for formset in formsets.values()))
        if formsets and all(formset.is_valid() for formset in formsets.values()):
            self._check_relations(formsets)

    def _check_relations(self, formsets):
        def rows(prefix):
            formset = formsets.get(prefix)
            forms_ = formset.forms if formset is not None else []
            kept = [f.cleaned_data for f in forms_ if f.cleaned_data]
            kept = [row for row in kept if not row.get("DELETE")]
            return sorted(kept, key=lambda row: row.get("position") or 0)

        try:
            self.instance.clean_relations(
                drugs=[row["drug"] for row in rows("drug_links")],
                populations=list(self.cleaned_data.get("populations") or []),
                see_also=[row["target"].slug for row in rows("see_also_links")],
                references=[(row["title"], row["url"]) for row in rows("references")],
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                formset = formsets.get(RELATION_INLINES.get(field))
                if formset is not None:
                    formset.non_form_errors().extend(messages)
                elif field in self.fields:
                    self.add_error(field, messages)
                else:
                    self.add_error(None, messages)


class ArticleListEditForm(ModelRulesFormMixin, PublishRightsMixin, forms.ModelForm):
    """One row of the article list's editable status column."""

    class Meta:
        model = Article
        fields = ("status",)

    def _post_clean(self):
        super()._post_clean()
        self.check_publish_rights()
        publishing = self.instance.status == Status.PUBLISHED and "status" in self.changed_data
        if publishing and not self.has_error("status"):
            for messages in workflow.publish_errors(self.instance).values():
                self.add_error(None, messages)


class ImageUploadForm(forms.Form):
    """What the editor's image upload must send: one real, small image."""

    image = forms.FileField(
        error_messages={
            "required": "Choose an image to upload (JPEG, PNG or WebP).",
            "empty": "The image file is empty.",
        }
    )
    alt = forms.CharField(required=False, max_length=300)

    def clean_image(self):
        image = self.cleaned_data["image"]
        self.cleaned_data["format"] = check_image(image)
        return image
