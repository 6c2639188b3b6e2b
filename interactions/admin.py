"""The editors' side of MedInfo.

Drugs and articles are written with django-markdownx (live preview through
the public pipeline), every change is kept by django-reversion with a
word-level diff of the body and a revert, and the review workflow
(interactions/workflow.py) decides who may publish. The model rules show up
as field errors through interactions/forms.py.
"""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.urls import reverse
from django.utils import dateformat
from django.utils.html import format_html, format_html_join
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget
from reversion_compare.admin import CompareVersionAdmin

from . import workflow
from .forms import ArticleAdminForm, ArticleListEditForm
from .history import word_diff
from .models import Article, ArticleDrug, Drug, Page, Population, Reference, SeeAlso, Status
from .readability import TARGET_GRADE, describe_grade, reading_grade


def admin_change_url(page):
    return reverse(f"admin:interactions_{page._meta.model_name}_change", args=[page.pk])


class ArticleDrugInline(admin.TabularInline):
    model = ArticleDrug
    extra = 2
    fields = ("position", "drug")
    autocomplete_fields = ("drug",)


class ReferenceInline(admin.TabularInline):
    model = Reference
    extra = 1
    fields = ("position", "title", "url")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class SeeAlsoInline(admin.TabularInline):
    model = SeeAlso
    fk_name = "article"
    extra = 1
    fields = ("position", "target")
    autocomplete_fields = ("target",)


class ReviewOverdueFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return (("overdue", "Review overdue"),)

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.review_overdue()
        return queryset


class PageAdmin(CompareVersionAdmin):
    """What the drug and article admins share."""

    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
    history_latest_first = True
    checks_fields = ("reading_grade", "what_links_here")

    class Media:
        css = {"all": ("css/content.css", "css/admin-preview.css")}

    @admin.display(description="Reading grade")
    def reading_grade(self, obj):
        if obj is None or not obj.pk:
            return "Shown after you save."
        return describe_grade(reading_grade(obj.body_html))

    @admin.display(description="What links here")
    def what_links_here(self, obj):
        links = obj.inbound_links() if obj is not None and obj.pk else []
        if not links:
            return "No other page links here."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({})</li>',
                ((admin_change_url(page), page.title, how) for page, how in links),
            ),
        )

    def compare_body(self, obj_compare):
        return word_diff(obj_compare.value1, obj_compare.value2)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        grade = reading_grade(obj.body_html) if "body" in form.fields else None
        if grade is not None and grade > TARGET_GRADE:
            messages.warning(request, f"“{obj}”: {describe_grade(grade)}")

    def get_deleted_objects(self, objs, request):
        """Refuse to delete a page other pages link to, and say which."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        deleting = {obj.pk for obj in objs}
        refusals, protected = [], list(protected)
        for obj in objs:
            links = [(page, how) for page, how in obj.inbound_links() if page.pk not in deleting]
            if not links:
                continue
            listed = ", ".join(f"“{page.title}” ({how})" for page, how in links)
            refusals.append(f"“{obj}” is linked from {listed}.")
            protected.extend(
                format_html(
                    '{}: <a href="{}">{}</a> links here ({})',
                    page._meta.verbose_name.capitalize(),
                    admin_change_url(page),
                    page.title,
                    how,
                )
                for page, how in links
                if "see also" not in how  # Django already lists see-also rows
            )
        if refusals:
            messages.error(
                request,
                "This cannot be deleted while other pages link to it: "
                + " ".join(refusals)
                + " Remove or change those links first.",
            )
            if not protected:
                protected = refusals
        return deleted, counts, perms_needed, protected


@admin.register(Drug)
class DrugAdmin(PageAdmin):
    list_display = ("title", "slug", "drug_class", "updated")
    search_fields = ("title", "slug", "brand_names")
    prepopulated_fields = {"slug": ("title",)}
    fieldsets = (
        (None, {"fields": ("title", "slug", "brand_names", "drug_class", "summary", "body")}),
        ("Checks", {"fields": PageAdmin.checks_fields}),
    )
    readonly_fields = PageAdmin.checks_fields


@admin.register(Article)
class ArticleAdmin(PageAdmin):
    form = ArticleAdminForm
    list_display = (
        "title",
        "kind",
        "drug_names",
        "severity",
        "status",
        "last_reviewed",
        "review_due",
    )
    list_editable = ("status",)
    list_filter = (
        "kind",
        "status",
        ("drugs", admin.RelatedOnlyFieldListFilter),
        "severity",
        ReviewOverdueFilter,
    )
    search_fields = ("title", "slug", "drugs__title", "drugs__brand_names")
    prepopulated_fields = {"slug": ("title",)}
    inlines = (ArticleDrugInline, ReferenceInline, SeeAlsoInline)
    actions = ("send_for_review", "publish", "mark_reviewed", "return_to_draft")

    def get_queryset(self, request):
        return super().get_queryset(request).with_drugs()

    def get_fieldsets(self, request, obj=None):
        review = ["status", "last_reviewed", "reviewed_by", "review_due"]
        if workflow.can_mark_reviewed(request.user):
            review.insert(1, "mark_reviewed")
        return (
            (
                None,
                {
                    "fields": (
                        "title",
                        "slug",
                        "kind",
                        "severity",
                        "populations",
                        "summary",
                        "body",
                    )
                },
            ),
            (
                "Review and publishing",
                {
                    "fields": review,
                    "description": "Editors send an article for review; a medical reviewer "
                    "checks it, marks it reviewed and publishes it.",
                },
            ),
            ("Checks", {"fields": self.checks_fields}),
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = ("review_due", *self.checks_fields)
        if not workflow.can_mark_reviewed(request.user):
            readonly += ("last_reviewed", "reviewed_by")
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        form.reverting = getattr(request, "reverting_to_version", False)
        if not workflow.can_mark_reviewed(request.user):
            form.base_fields.pop("mark_reviewed", None)
        return form

    def revision_view(self, request, object_id, version_id, extra_context=None):
        request.reverting_to_version = True
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        request.reverting_to_version = True
        return super().recover_view(request, version_id, extra_context)

    def get_changelist_form(self, request, **kwargs):
        return type("ArticleListEditForm", (ArticleListEditForm,), {"user": request.user})

    def _create_formsets(self, request, obj, change):
        # The relation rules need the inline rows being submitted; the form
        # finds them on its instance (see ArticleAdminForm._post_clean).
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        obj._inline_formsets = formsets
        return formsets, inline_instances

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "populations":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        was_published = change and form.initial.get("status") == Status.PUBLISHED
        super().save_model(request, obj, form, change)
        if was_published and not obj.is_published:
            self._warn_unpublished(request, obj)

    # List columns --------------------------------------------------------

    @admin.display(description="Drugs")
    def drug_names(self, obj):
        return ", ".join(drug.title for drug in obj.drug_list)

    @admin.display(description="Next review due", ordering="last_reviewed")
    def review_due(self, obj):
        due = obj.next_review_due
        if due is None:
            return "Not reviewed yet"
        shown = dateformat.format(due, "j M Y")
        return f"{shown} (overdue)" if obj.review_overdue else shown

    # Workflow ------------------------------------------------------------

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def has_review_permission(self, request):
        return workflow.can_mark_reviewed(request.user)

    def _warn_unpublished(self, request, article):
        linked = workflow.describe_inbound_links(article)
        if linked:
            messages.warning(
                request,
                f"“{article}” is no longer published, but these pages still link to it: "
                f"{linked}. Patients following those links will find nothing.",
            )

    def _save_with_log(self, request, article, message):
        article.save()
        self.log_change(request, article, message)

    @admin.action(description="Send selected articles for review", permissions=["change"])
    def send_for_review(self, request, queryset):
        sent = 0
        for article in queryset.filter(status=Status.DRAFT):
            article.status = Status.REVIEW
            self._save_with_log(request, article, "Sent for review.")
            sent += 1
        self.message_user(request, f"{sent} article(s) sent for review.", messages.SUCCESS)

    @admin.action(description="Publish selected articles", permissions=["publish"])
    def publish(self, request, queryset):
        published = 0
        for article in queryset.exclude(status=Status.PUBLISHED):
            errors = workflow.publish_errors(article)
            if errors:
                self.message_user(
                    request,
                    f"“{article}” was not published: {workflow.describe_errors(errors)}",
                    messages.ERROR,
                )
                continue
            article.status = Status.PUBLISHED
            self._save_with_log(request, article, "Published.")
            published += 1
        self.message_user(request, f"{published} article(s) published.", messages.SUCCESS)

    @admin.action(description="Mark selected articles reviewed today", permissions=["review"])
    def mark_reviewed(self, request, queryset):
        fields = workflow.review_fields(request.user)
        for article in queryset:
            for name, value in fields.items():
                setattr(article, name, value)
            self._save_with_log(request, article, "Marked reviewed.")
        self.message_user(
            request,
            f"{len(queryset)} article(s) marked reviewed by {fields['reviewed_by']}.",
            messages.SUCCESS,
        )

    @admin.action(description="Return selected articles to draft", permissions=["change"])
    def return_to_draft(self, request, queryset):
        for article in queryset.exclude(status=Status.DRAFT):
            was_published = article.is_published
            article.status = Status.DRAFT
            self._save_with_log(request, article, "Returned to draft.")
            if was_published:
                self._warn_unpublished(request, article)
        self.message_user(request, "Returned to draft.", messages.SUCCESS)


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position")


# See-also targets are chosen by autocomplete over every drug and article.
@admin.register(Page)
class PageSearchAdmin(admin.ModelAdmin):
    search_fields = ("title", "slug")

    def has_module_permission(self, request):
        return False
