"""Admin forms: the model rules as field errors, who may publish, lost updates.

The rules live on the models (`validation_errors` through full_clean(), and
the `*_errors` methods for related rows); the page forms and the inline
formsets below only call them, from their public clean() methods.
"""

from django import forms
from django.contrib.admin.utils import display_for_value
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from . import workflow
from .history import word_diff
from .images import check_image
from .models import Article, Drug, Page, Status

# Fields whose value when the form was opened is sent back with it, so a
# refused save can say what someone else changed meanwhile.
WATCHED_FIELDS = ("title", "slug", "kind", "severity", "summary", "body", "status")


class PageAdminForm(forms.ModelForm):
    """Shared by the drug and article forms. `user` is set per request."""

    user = None
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        for name in WATCHED_FIELDS:
            if name in self.fields:
                self.fields[name].show_hidden_initial = True
        if "status" in self.fields:
            allowed = [Status.DRAFT, Status.REVIEW]
            if workflow.can_publish(self.user):
                allowed.append(Status.PUBLISHED)
            self.fields["status"].choices = [
                (value, label) for value, label in Status.choices if value in allowed
            ]
            self.fields["status"].help_text = (
                "Patients see the live page until a medical reviewer publishes this version."
                if self.instance.is_pending
                else "Drafts and pages in review are never shown to patients."
            )

    def clean(self):
        cleaned_data = super().clean()
        self.check_not_stale()
        if cleaned_data.get("status") == Status.PUBLISHED:
            reviewer = workflow.reviewer_for(self.user)
            if not workflow.can_publish(self.user):
                self.add_error("status", workflow.NOT_ALLOWED_TO_PUBLISH)
            elif reviewer is None:
                self.add_error("status", workflow.NO_REVIEWER_PROFILE)
            else:
                # Publishing records who reviewed it, from the account, today.
                self.instance.reviewed_by = reviewer
                self.instance.last_reviewed = timezone.localdate()
        return cleaned_data

    def check_not_stale(self):
        """Refuse a form opened before someone else saved the same page."""
        if not self.instance.pk:
            return
        current = Page.objects.filter(pk=self.instance.pk).select_related("updated_by").first()
        if current is None or self.cleaned_data.get("version") in (None, current.version):
            return
        who = current.updated_by.get_full_name() or current.updated_by.get_username()
        when = timezone.localtime(current.updated).strftime("%-d %B %Y at %H:%M")
        changes = []
        for name in WATCHED_FIELDS:
            if name not in self.fields:
                continue
            opened = self.fields[name].widget.value_from_datadict(
                self.data, self.files, self.add_initial_prefix(name)
            )
            saved = getattr(current.specific, name)
            if str(opened or "").replace("\r\n", "\n") == str(saved or "").replace("\r\n", "\n"):
                continue
            label = self.fields[name].label or name
            if name == "body":
                changes.append(format_html("{}: {}", label, word_diff(opened, saved)))
            else:
                changes.append(format_html("{}: now “{}”", label, display_for_value(saved, "")))
        listed = format_html_join("", "<li>{}</li>", ((change,) for change in changes))
        raise forms.ValidationError(
            format_html(
                "This page was changed by {} on {} after you opened it, so your changes were "
                "not saved. Copy anything you need, reload the page and make your changes "
                "again. What they changed:<ul>{}</ul>",
                who,
                when,
                listed or format_html("<li>{}</li>", "related rows (drugs, sources, see also)"),
            ),
            code="stale",
        )


class DrugAdminForm(PageAdminForm):
    effects = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=Drug._meta.get_field("effects").help_text and [],
    )

    class Meta:
        model = Drug
        fields = (
            "title",
            "slug",
            "kind",
            "brand_names",
            "drug_class",
            "effects",
            "summary",
            "body",
            "status",
        )

    def __init__(self, *args, **kwargs):
        from .models import Effect

        super().__init__(*args, **kwargs)
        self.fields["effects"].choices = Effect.choices
        self.fields["effects"].help_text = Drug._meta.get_field("effects").help_text


class ArticleAdminForm(PageAdminForm):
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
        )

    def clean(self):
        cleaned_data = super().clean()
        kind = cleaned_data.get("kind")
        if kind and "populations" in self.fields:
            self.instance.kind = kind
            populations = list(cleaned_data.get("populations") or [])
            for field, message in self.instance.population_errors(populations).items():
                self.add_error(field, message)
        return cleaned_data


class RelationRuleFormSet(BaseInlineFormSet):
    """An inline whose rows the page's rules check as a whole."""

    def kept_rows(self):
        rows = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        return sorted(rows, key=lambda row: row.get("position") or 0)

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        for message in self.rule_errors(self.instance, self.kept_rows()).values():
            raise forms.ValidationError(message)

    def rule_errors(self, page, rows):
        raise NotImplementedError


class ArticleDrugFormSet(RelationRuleFormSet):
    def rule_errors(self, page, rows):
        return page.drug_errors([row["drug"] for row in rows])


class SeeAlsoFormSet(RelationRuleFormSet):
    def rule_errors(self, page, rows):
        return page.see_also_errors([row["target"].slug for row in rows])


class ReferenceFormSet(RelationRuleFormSet):
    def rule_errors(self, page, rows):
        return page.reference_errors([(row["title"], row["url"]) for row in rows])


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
