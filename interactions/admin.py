"""The editors' side of MedInfo.

Drugs and articles are written with django-markdownx (live preview through
the public pipeline); every change is kept by django-reversion with a
word-level diff of the body. A live page is shown read-only with an "Edit"
button that opens its pending version; patients keep seeing the live page
until a medical reviewer publishes the pending one (interactions/workflow.py).
Only reviewers take a page offline, after a confirmation page that lists
what will break, and they can put the previous live version back in one step.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import dateformat
from django.utils.html import format_html, format_html_join
from markdownx.models import MarkdownxField
from reversion_compare.admin import CompareVersionAdmin

from . import workflow
from .documents import document
from .forms import (
    ArticleAdminForm,
    ArticleDrugFormSet,
    DrugAdminForm,
    ReferenceFormSet,
    SeeAlsoFormSet,
)
from .history import changed_fields, word_diff
from .models import (
    Article,
    ArticleDrug,
    Drug,
    Feedback,
    Kind,
    Page,
    Population,
    Reference,
    Reviewer,
    SeeAlso,
    Status,
)
from .readability import TARGET_GRADE, describe_grade, reading_grade, text_grade
from .widgets import MarkdownEditorWidget

DERIVED_FIELDS = ("body_html", "body_text", "toc", "links")


def medicine_names():
    """Every drug and brand name, which the reading grade counts as one short word."""
    names = []
    for title, brands in Drug.objects.main().values_list("title", "brand_names"):
        names.extend([title, *brands.splitlines()])
    return names


def page_grades(page):
    """Reading grades of the summary and the body, as the content test measures them."""
    names = medicine_names()
    return {
        "Summary": text_grade(page.summary, names),
        "Body": reading_grade(page.body_html, names),
    }


def admin_change_url(page):
    return reverse(f"admin:interactions_{page._meta.model_name}_change", args=[page.pk])


class ArticleDrugInline(admin.TabularInline):
    model = ArticleDrug
    formset = ArticleDrugFormSet
    verbose_name_plural = "drugs (position 0 is the main drug)"
    extra = 2
    fields = ("position", "drug")
    autocomplete_fields = ("drug",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("drug")


class ReferenceInline(admin.TabularInline):
    model = Reference
    formset = ReferenceFormSet
    extra = 1
    fields = ("position", "title", "url")
    verbose_name_plural = "sources"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class SeeAlsoInline(admin.TabularInline):
    model = SeeAlso
    formset = SeeAlsoFormSet
    fk_name = "article"
    extra = 1
    fields = ("position", "target")
    autocomplete_fields = ("target",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("target")


class ReviewOverdueFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return (("overdue", "Review overdue"), ("waiting", "Waiting for review"))

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.review_overdue()
        if self.value() == "waiting":
            return queryset.filter(
                models.Q(status=Status.REVIEW) | models.Q(pending_version__status=Status.REVIEW)
            )
        return queryset


class MainRowsChangeList(ChangeList):
    """The lists show each page once; its pending version opens from its row."""

    def get_queryset(self, request, exclude_parameters=None):
        return super().get_queryset(request, exclude_parameters).filter(pending_for__isnull=True)


class PageAdmin(CompareVersionAdmin):
    """The workflow the drug and article admins share."""

    formfield_overrides = {MarkdownxField: {"widget": MarkdownEditorWidget}}
    history_latest_first = True
    checks_fields = ("reading_grade", "what_links_here")
    review_fields = ("review_state", "last_reviewed", "reviewed_by", "review_due")
    readonly_fields = (*review_fields, *checks_fields)
    change_form_template = "admin/interactions/page_change_form.html"
    actions = ("send_for_review", "publish", "mark_reviewed")

    class Media:
        css = {"all": ("css/content.css", "css/admin-preview.css")}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewed_by", "pending_version")

    def reversion_register(self, model, **options):
        # History keeps what editors write; what is derived from it (HTML,
        # contents, links, counters) is rebuilt on every save.
        if model is Page:
            options["exclude"] = DERIVED_FIELDS
        super().reversion_register(model, **options)

    def get_changelist(self, request, **kwargs):
        return MainRowsChangeList

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        own = [
            path(
                "<int:pk>/edit/",
                self.admin_site.admin_view(self.edit_view),
                name=f"{prefix}_edit",
            ),
            path(
                "<int:pk>/unpublish/",
                self.admin_site.admin_view(self.unpublish_view),
                name=f"{prefix}_unpublish",
            ),
            path(
                "<int:pk>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name=f"{prefix}_restore",
            ),
        ]
        return own + super().get_urls()

    # Permissions -----------------------------------------------------------

    def has_change_permission(self, request, obj=None):
        # A live page is never edited in place: "Edit" opens its pending version.
        if obj is not None and obj.is_live:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_live:
            return False
        if obj is not None and obj.is_pending:
            return super().has_change_permission(request, obj)
        return super().has_delete_permission(request, obj)

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def has_review_permission(self, request):
        return workflow.can_mark_reviewed(request.user)

    # Views -------------------------------------------------------------------

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "drugs_inline_first": self.model is Article}
        return super().add_view(request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        pending = getattr(obj, "pending_version", None) if obj else None
        if pending is not None:
            # Everyone works on the pending version; the live page stays up.
            return HttpResponseRedirect(admin_change_url(pending.specific))
        extra_context = {**(extra_context or {}), **self.workflow_context(request, obj)}
        return super().change_view(request, object_id, form_url, extra_context)

    def workflow_context(self, request, obj):
        if obj is None:
            return {}
        live = obj.main_page
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        changes = None
        if obj.is_pending:
            live_meta, live_body = document(live)
            meta, body = document(obj)
            changes = {
                "fields": changed_fields(live_meta, meta),
                "body": word_diff(live_body, body) if body != live_body else None,
            }
        return {
            "page": obj,
            "drugs_inline_first": isinstance(obj, Article),
            "changes": changes,
            "live_page": live if live.is_live else None,
            "can_edit": obj.is_live and super().has_change_permission(request, obj),
            "can_publish": workflow.can_publish(request.user),
            "can_restore": workflow.can_publish(request.user)
            and workflow.previous_live_version(live) is not None,
            "edit_url": reverse(f"admin:{prefix}_edit", args=[obj.pk]),
            "unpublish_url": reverse(f"admin:{prefix}_unpublish", args=[live.pk]),
            "restore_url": reverse(f"admin:{prefix}_restore", args=[live.pk]),
            "live_url": admin_change_url(live),
            "preview_url": reverse("interactions:preview", args=[obj.pk]),
        }

    def edit_view(self, request, pk):
        """POST: open (making it if needed) the pending version of a live page."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        page = get_object_or_404(self.get_queryset(request), pk=pk)
        if not super().has_change_permission(request, page):
            raise PermissionDenied
        if not page.is_live:
            return HttpResponseRedirect(admin_change_url(page))
        pending = workflow.start_editing(page, request.user)
        self.message_user(
            request,
            f"You are editing a pending version of “{page}”. Patients keep seeing the live "
            "page until a medical reviewer publishes your changes.",
            messages.INFO,
        )
        return HttpResponseRedirect(admin_change_url(pending))

    def unpublish_view(self, request, pk):
        """Confirm, then take a live page off the site (reviewers only)."""
        page = get_object_or_404(self.get_queryset(request), pk=pk).specific
        if not workflow.can_publish(request.user):
            raise PermissionDenied
        if not page.is_live:
            self.message_user(request, f"“{page}” is not live.", messages.WARNING)
            return HttpResponseRedirect(admin_change_url(page))
        if request.method == "POST":
            workflow.unpublish(page, request.user)
            self.log_change(request, page, "Taken offline.")
            self.message_user(
                request,
                f"“{page}” is offline. Its address now answers “page not found”. "
                "“Restore the previous live version” puts it back.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(admin_change_url(page))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "page": page,
            "title": f"Take “{page}” offline?",
            "inbound": page.inbound_links(),
            "losses": self.offline_losses(page),
        }
        return TemplateResponse(request, "admin/interactions/unpublish_confirm.html", context)

    def offline_losses(self, page):
        """What patients lose: checker pairs and search (one line each)."""
        losses = ["It drops out of search, the A–Z, the sitemap and the feed."]
        if isinstance(page, Article) and page.kind == Kind.INTERACTION:
            names = " + ".join(drug.title for drug in page.drug_list)
            losses.append(
                f"The interaction checker will say “We have no information on this pair” "
                f"for {names}, unless another published article covers it."
            )
        if isinstance(page, Drug):
            losses.append(
                "The checker and search will no longer recognise "
                f"{', '.join([page.title, *page.brand_name_list])}."
            )
        return losses

    def restore_view(self, request, pk):
        """POST: put the previous live version back on the site (reviewers only)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        page = get_object_or_404(self.get_queryset(request), pk=pk).specific
        try:
            workflow.restore_previous(page, request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.log_change(request, page, "Restored the previous live version.")
            self.message_user(
                request,
                f"The previous live version of “{page}” is back on the site.",
                messages.SUCCESS,
            )
        return HttpResponseRedirect(admin_change_url(page))

    def recover_view(self, request, version_id, extra_context=None):
        # A deleted pending version is not brought back: its live page may have
        # a newer one, and discarding it was the point.
        from reversion.models import Version

        version = get_object_or_404(Version, pk=version_id)
        if version.field_dict.get("pending_for"):
            self.message_user(
                request, "A discarded pending version cannot be recovered.", messages.ERROR
            )
            return HttpResponseRedirect(
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
            )
        return super().recover_view(request, version_id, extra_context)

    # Saving ------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        previous = workflow.before(obj)
        request.publishing = obj.status == Status.PUBLISHED and not obj.is_live
        if request.publishing:
            # Published in save_related(), once the inline rows are saved too.
            obj.status = Status.REVIEW
        if obj.status == Status.REVIEW and form.initial.get("status") != Status.REVIEW:
            obj.submitted_by = request.user
            from django.utils import timezone

            obj.submitted_at = timezone.now()
        workflow.save_page(obj, request.user, previous)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if getattr(request, "publishing", False):
            previous_slug = form.instance.main_page.slug
            try:
                live = workflow.publish(form.instance, request.user)
            except (ValidationError, PermissionDenied) as error:
                # Rules about other pages (links, drugs, the slug) are checked
                # here; the changes themselves are kept, in review.
                reason = workflow.describe_refusal(error)
                request.publishing = False
                messages.error(
                    request, f"Not published: {reason} Your changes are saved, in review."
                )
            else:
                request.published = live
                note = "Published."
                if previous_slug != live.slug:
                    note = f"Published; the old address /{previous_slug}/ now redirects."
                messages.success(request, f"“{live}”: {note}")
        if not getattr(request, "publishing", False):
            messages.info(request, self.saved_message(form.instance))
        for part, grade in page_grades(form.instance).items():
            if grade is not None and grade > TARGET_GRADE:
                messages.warning(request, f"“{form.instance}”, {part}: {describe_grade(grade)}")

    def saved_message(self, page):
        """What a save meant for patients, in a sentence."""
        where = "Patients still see the live page" if page.is_pending else "It is not on the site"
        if page.status == Status.REVIEW:
            return f"Sent for review. {where} until a medical reviewer publishes it."
        return f"Saved as a draft. {where}."

    def response_change(self, request, obj):
        live = getattr(request, "published", None)
        if live is not None:
            return HttpResponseRedirect(admin_change_url(live))
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        live = getattr(request, "published", None)
        if live is not None:
            return HttpResponseRedirect(admin_change_url(live))
        return super().response_add(request, obj, post_url_continue)

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        status = dict(Status.choices)[form.instance.status]
        if getattr(request, "publishing", False):
            status = "Published"
        return [*message, {"changed": {"fields": [f"status now {status}"]}}] if message else message

    # Read-only columns and checks -------------------------------------------

    @admin.display(description="Status")
    def review_state(self, obj):
        if obj is None or not obj.pk:
            return "New"
        if obj.is_pending:
            return f"Pending version ({obj.get_status_display()}) of a live page"
        pending = getattr(obj, "pending_version", None)
        if obj.is_live and pending is not None:
            return f"Live · pending change {pending.get_status_display().lower()}"
        if obj.is_live:
            return "Live"
        if obj.published_versions.exists():
            return f"Offline ({obj.get_status_display()})"
        return obj.get_status_display()

    @admin.display(description="Next review due", ordering="last_reviewed")
    def review_due(self, obj):
        due = obj.next_review_due if obj else None
        if due is None:
            return "Not reviewed yet"
        shown = dateformat.format(due, "j M Y")
        return f"{shown} (overdue)" if obj.review_overdue else shown

    @admin.display(description="Reading grade")
    def reading_grade(self, obj):
        if obj is None or not obj.pk:
            return "Shown after you save."
        grades = page_grades(obj)
        return format_html_join(
            "", "<p>{}: {}</p>", ((part, describe_grade(grade)) for part, grade in grades.items())
        )

    @admin.display(description="What links here")
    def what_links_here(self, obj):
        links = obj.main_page.inbound_links() if obj is not None and obj.pk else []
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

    def get_deleted_objects(self, objs, request):
        """Refuse to delete a page other pages link to, and say which."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        deleting = {obj.pk for obj in objs}
        refusals, protected = [], list(protected)
        for obj in objs:
            if obj.is_pending:
                continue  # discarding a pending version breaks nothing
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
                if "see also" not in how
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

    # List actions --------------------------------------------------------------

    def _targets(self, queryset):
        """Each listed page, or its pending version when it has one."""
        for page in queryset.select_related("pending_version"):
            pending = getattr(page, "pending_version", None)
            yield (pending or page).specific

    @admin.action(description="Send selected pages for review", permissions=["change"])
    def send_for_review(self, request, queryset):
        sent = 0
        for page in self._targets(queryset):
            if page.status == Status.DRAFT:
                workflow.send_for_review(page, request.user)
                self.log_change(request, page, "Sent for review.")
                sent += 1
        self.message_user(request, f"{sent} page(s) sent for review.", messages.SUCCESS)

    @admin.action(description="Publish selected pages", permissions=["publish"])
    def publish(self, request, queryset):
        published = 0
        for page in self._targets(queryset):
            if page.is_live:
                continue
            try:
                live = workflow.publish(page, request.user)
            except (ValidationError, PermissionDenied) as error:
                reason = workflow.describe_refusal(error)
                self.message_user(request, f"“{page}” was not published: {reason}", messages.ERROR)
                continue
            self.log_change(request, live, "Published.")
            published += 1
        self.message_user(request, f"{published} page(s) published.", messages.SUCCESS)

    @admin.action(description="Mark selected live pages reviewed today", permissions=["review"])
    def mark_reviewed(self, request, queryset):
        marked = 0
        for page in queryset.filter(status=Status.PUBLISHED, pending_for__isnull=True):
            try:
                workflow.mark_reviewed(page, request.user)
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
                return
            self.log_change(request, page, "Marked reviewed.")
            marked += 1
        self.message_user(request, f"{marked} page(s) marked reviewed today.", messages.SUCCESS)


@admin.register(Drug)
class DrugAdmin(PageAdmin):
    form = DrugAdminForm
    list_display = ("title", "review_state", "drug_class", "last_reviewed", "review_due")
    list_filter = ("status", ReviewOverdueFilter)
    search_fields = ("title", "slug", "brand_names")
    prepopulated_fields = {"slug": ("title",)}
    inlines = (ReferenceInline,)

    def get_fieldsets(self, request, obj=None):
        return (
            (None, {"fields": ("title", "slug", "kind", "brand_names", "drug_class", "effects")}),
            (None, {"fields": ("summary", "body")}),
            ("Review and publishing", {"fields": ("status", *self.review_fields)}),
            ("Checks", {"fields": self.checks_fields}),
        )

    def get_search_results(self, request, queryset, search_term):
        # Autocomplete (an article's drugs) offers only main rows.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.filter(pending_for__isnull=True), may_have_duplicates


@admin.register(Article)
class ArticleAdmin(PageAdmin):
    form = ArticleAdminForm
    list_display = (
        "title",
        "kind",
        "drug_names",
        "severity",
        "review_state",
        "last_reviewed",
        "review_due",
    )
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

    def get_queryset(self, request):
        return super().get_queryset(request).with_drugs()

    def get_fieldsets(self, request, obj=None):
        about = ["title", "slug", "kind"]
        # Populations only where they mean something: special-populations
        # articles (and new articles, whose kind is not chosen yet).
        if obj is None or obj.kind == Kind.SPECIAL_POPULATIONS:
            about.append("populations")
        return (
            (None, {"fields": about}),
            (None, {"fields": ("severity", "summary", "body")}),
            ("Review and publishing", {"fields": ("status", *self.review_fields)}),
            ("Checks", {"fields": self.checks_fields}),
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "populations":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description="Drugs")
    def drug_names(self, obj):
        return ", ".join(drug.title for drug in obj.drug_list)


@admin.register(Reviewer)
class ReviewerAdmin(admin.ModelAdmin):
    list_display = ("name", "role", "clinical", "registration", "user")
    list_filter = ("clinical",)
    search_fields = ("name", "role", "key")
    prepopulated_fields = {"key": ("name",)}
    autocomplete_fields = ("user",)


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position")


# See-also targets are chosen by autocomplete over every main drug and article
# row. Pages are changed and deleted only through the drug and article admins,
# which apply the workflow and the "linked pages" rule, so this admin's own
# views refuse (its delete permission still counts when a drug or article,
# with its Page row, is deleted there).
@admin.register(Page)
class PageSearchAdmin(admin.ModelAdmin):
    search_fields = ("title", "slug")

    def changelist_view(self, request, extra_context=None):
        raise PermissionDenied

    def change_view(self, request, object_id, form_url="", extra_context=None):
        raise PermissionDenied

    def delete_view(self, request, object_id, extra_context=None):
        raise PermissionDenied

    def history_view(self, request, object_id, extra_context=None):
        raise PermissionDenied

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.filter(pending_for__isnull=True), may_have_duplicates

    def has_module_permission(self, request):
        return False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# Patient feedback ----------------------------------------------------------


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """Answers to "Was this page helpful?": read-only, except "dealt with".

    The list starts with the counts per page (most "no" answers first).
    """

    change_list_template = "admin/interactions/feedback/change_list.html"
    list_display = ("page", "helpful", "short_comment", "page_version", "created", "dealt_with")
    list_display_links = ("short_comment",)
    list_editable = ("dealt_with",)
    list_filter = ("helpful", "dealt_with", ("comment", admin.EmptyFieldListFilter))
    list_select_related = ("page",)
    search_fields = ("comment", "page__title")
    readonly_fields = ("page", "page_version", "helpful", "comment", "created")
    fields = ("page", "page_version", "helpful", "comment", "created", "dealt_with")
    actions = ("mark_dealt_with",)
    date_hierarchy = "created"

    def has_add_permission(self, request):
        return False

    @admin.display(description="Comment")
    def short_comment(self, obj):
        if not obj.comment:
            return "(no comment)"
        return obj.comment if len(obj.comment) <= 80 else obj.comment[:79] + "…"

    @admin.action(description="Mark selected comments as dealt with", permissions=("change",))
    def mark_dealt_with(self, request, queryset):
        count = queryset.update(dealt_with=True)
        self.message_user(request, f"Marked {count} as dealt with.", messages.SUCCESS)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "per_page": Feedback.objects.per_page()}
        return super().changelist_view(request, extra_context)
