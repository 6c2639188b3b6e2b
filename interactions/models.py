"""Drugs and articles, their versions, and the rules that keep them right.

Drug and Article share one Page table (multi-table inheritance), so a slug
is unique across both and `[[slug]]` can never be ambiguous.

Every page has one main row, which is what patients see once it is
published (its "live" version). Changes to a live page are made on a second
row, its pending version (`pending_for` points at the live row), which
patients never see until a medical reviewer publishes it: the pending
row's fields and relations are then copied onto the live row
(interactions/workflow.py). A page that has never been published has only
its main row, in draft or in review.

save() renders the body once and stores everything derived from it (HTML,
contents, plain text); workflow.sync_page() then updates what depends on
other rows (links, old-slug redirects, search rows, pages that link here).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField

from .rendering import LinkTarget, render_markdown


class Kind(models.TextChoices):
    INTERACTION = "interaction", "Interactions"
    BENEFITS = "benefits", "Benefits"
    RISKS = "risks", "Risks"
    SIDE_EFFECTS = "side-effects", "Side effects"
    SPECIAL_POPULATIONS = "special-populations", "Special populations"
    QUESTIONS = "questions", "Common questions"


class Severity(models.TextChoices):
    MAJOR = "major", "Major"
    MODERATE = "moderate", "Moderate"
    MINOR = "minor", "Minor"
    UNKNOWN = "unknown", "Unknown"


SEVERITY_RANK = {Severity.MAJOR: 0, Severity.MODERATE: 1, Severity.MINOR: 2, Severity.UNKNOWN: 3}


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"


class DrugKind(models.TextChoices):
    MEDICINE = "medicine", "Medicine"
    SUBSTANCE = "substance", "Other substance (for example alcohol)"


class Effect(models.TextChoices):
    """Effects that add up when two medicines share them (the checker warns)."""

    DROWSINESS = "drowsiness", "Drowsiness"
    SLOWED_BREATHING = "slowed-breathing", "Slowed breathing"
    SEROTONIN = "serotonin", "Raises serotonin"
    BLEEDING = "bleeding", "Bleeding"
    HEART_RHYTHM = "heart-rhythm", "Heart rhythm"
    SEIZURES = "seizures", "Seizures (fits)"


# Kinds whose pages must tell a patient when to get urgent help.
URGENT_HELP_KINDS = {Kind.INTERACTION, Kind.RISKS}
# The rendered body and its source: large, and only a page's own view shows them.
BODY_FIELDS = ("body", "body_html", "body_text", "toc")
# Related articles an article page lists for each kind, under its curated links.
MAX_RELATED_PER_KIND = 4
# What a link to a page shows (title, address, an interaction's severity),
# what `is_live` needs, and a drug's key (enough for `specific`).
NAVIGATION_FIELDS = (
    *("title", "slug", "status", "pending_for"),
    *("drug__page_ptr", "article__kind", "article__severity"),
)

# The sections every medicine page has, in this order, as on NHS medicines
# pages ({name} is the medicine's name in lower case).
MEDICINE_SECTIONS = (
    "About {name}",
    "Key facts",
    "Who can and cannot take {name}",
    "How and when to take {name}",
    "If you miss a dose",
    "If you take too much",
    "Stopping {name}",
    "Side effects",
    "Pregnancy and breastfeeding",
    "Taking {name} with other medicines",
    "Common questions",
    "How to report a side effect",
)
SUBSTANCE_SECTIONS = (
    "About {name}",
    "Key facts",
    "What {name} does with medicines",
    "How much is too much",
    "If you have too much",
    "Taking medicines with {name}",
)


def review_due(last_reviewed):
    """Twelve months after a review (28 February after 29 February)."""
    if not last_reviewed:
        return None
    try:
        return last_reviewed.replace(year=last_reviewed.year + 1)
    except ValueError:
        return last_reviewed + datetime.timedelta(days=365)


def resolve_slug(slug):
    """LinkTarget for the main row of a drug or article, or None."""
    page = Page.objects.main().filter(slug=slug).select_related("drug", "article").first()
    return page.link_target() if page else None


class Reviewer(models.Model):
    """Someone who checks pages before they are published.

    A clinical reviewer is a named person with a profession; the editorial
    team's check against the sources is recorded as such (`clinical` off),
    so a page never suggests that a clinician reviewed it when none did.
    """

    key = models.SlugField(
        unique=True, help_text="Short name used in content files, for example jane-smith."
    )
    name = models.CharField("full name", max_length=200)
    role = models.CharField(
        "role or profession", max_length=200, help_text="For example: Pharmacist."
    )
    registration_body = models.CharField(
        max_length=200, blank=True, help_text="For example: General Pharmaceutical Council."
    )
    registration_number = models.CharField(max_length=50, blank=True)
    clinical = models.BooleanField(
        "clinical reviewer",
        default=True,
        help_text="Untick for an editorial check, which pages then show as such.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewer",
        help_text="The account this reviewer publishes with.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.role}" if self.role else self.name

    @property
    def registration(self):
        return " ".join(part for part in (self.registration_body, self.registration_number) if part)


class PageQuerySet(models.QuerySet):
    def main(self):
        """One row per page: never a pending version."""
        return self.filter(pending_for__isnull=True)

    def live(self):
        """What patients may see: published main rows."""
        return self.filter(status=Status.PUBLISHED, pending_for__isnull=True)

    def waiting_for_review(self):
        return self.filter(status=Status.REVIEW)

    def review_overdue(self, today=None):
        """Live pages never reviewed, or last reviewed more than 12 months ago."""
        today = today or timezone.localdate()
        try:
            cutoff = today.replace(year=today.year - 1)
        except ValueError:  # 29 February
            cutoff = today - datetime.timedelta(days=365)
        return self.live().filter(
            models.Q(last_reviewed__isnull=True) | models.Q(last_reviewed__lt=cutoff)
        )

    def review_due_within(self, days, today=None):
        """Live pages whose next review falls in the next `days` days."""
        today = today or timezone.localdate()
        pages = self.live().filter(last_reviewed__isnull=False)
        horizon = today + datetime.timedelta(days=days)
        return [page for page in pages if today <= review_due(page.last_reviewed) <= horizon]


class Page(models.Model):
    """What drugs and articles share: a slug, a title, a body and review data."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=120,
        help_text="The page's address. Unique across drugs and articles; "
        "other pages link here with [[slug]].",
    )
    summary = models.TextField(
        blank=True, help_text="One or two plain sentences shown at the top and in search results."
    )
    body = MarkdownxField(
        blank=True,
        help_text="Markdown. Link with [[slug]] or [[slug|text]]; "
        'callouts with !!! key-facts "Key facts".',
    )
    body_html = models.TextField(blank=True, editable=False)
    body_text = models.TextField(blank=True, editable=False)
    toc = models.JSONField(default=list, blank=True, editable=False)
    links = models.ManyToManyField(
        "self", symmetrical=False, related_name="linked_from", blank=True, editable=False
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    pending_for = models.OneToOneField(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="pending_version",
        help_text="Set on a pending version: the live page it will replace.",
    )
    last_reviewed = models.DateField("last reviewed", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        Reviewer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pages",
        verbose_name="reviewed by",
    )
    # Counts saves, so a form opened before someone else's save is refused.
    version = models.PositiveIntegerField(default=0, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(pending_for__isnull=True),
                name="unique_page_slug",
                violation_error_message="This slug is already used by another drug or article.",
            ),
        ]
        permissions = [
            ("publish_page", "Can publish, take offline and restore pages"),
            ("review_page", "Can mark pages as reviewed"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, resolve=None, rendered=None, **kwargs):
        """Render the body and store it with everything derived from it.

        `resolve` turns a [[slug]] into a LinkTarget; the importer passes one
        that knows the pages it is about to create, and `rendered`, the
        result of rendering this body when it checked the file.
        """
        if rendered is None:
            self.render(resolve or resolve_slug)
        else:
            self.store_rendered(rendered)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        was_live = self.is_live
        deleted = super().delete(*args, **kwargs)
        if was_live:
            # Imported here: workflow imports the models.
            from .workflow import announce_public_change

            announce_public_change()
        return deleted

    @property
    def specific(self):
        """The Drug or Article this page is."""
        if type(self) is not Page:
            return self
        for name in ("drug", "article"):
            try:
                return getattr(self, name)
            except Page.DoesNotExist:
                continue
        return self

    @property
    def is_live(self):
        return self.status == Status.PUBLISHED and self.pending_for_id is None

    @property
    def is_pending(self):
        return self.pending_for_id is not None

    @property
    def main_page(self):
        """The live row for a pending version, else this page."""
        return self.pending_for.specific if self.pending_for_id else self

    def link_target(self):
        return LinkTarget(slug=self.slug, title=self.title, url=self.specific.get_absolute_url())

    def render(self, resolve=resolve_slug):
        """Render the body into the stored columns; returns the Rendered result."""
        return self.store_rendered(render_markdown(self.body, resolve))

    def store_rendered(self, rendered):
        self.body_html = rendered.html
        self.body_text = rendered.text
        self.toc = rendered.toc
        self.rendered = rendered
        return rendered

    def validation_errors(self, resolve=resolve_slug):
        """Field name -> messages for every rule the fields break.

        Rules about related rows (drugs, sources, see also) are in the
        *_errors methods below, which the admin's formsets and the importer
        both call.
        """
        errors = {}
        rendered = render_markdown(self.body, resolve)
        if rendered.problems:
            errors["body"] = rendered.problems
        self.rendered = rendered
        if self.status == Status.PUBLISHED:
            if not self.summary.strip():
                errors["summary"] = "A published page needs a summary."
            if not self.last_reviewed:
                errors["last_reviewed"] = "A published page needs a last-reviewed date."
            if not self.has_reviewer:
                errors["reviewed_by"] = "A published page needs a reviewer."
        if self.last_reviewed and self.last_reviewed > timezone.localdate():
            errors["last_reviewed"] = "The review date cannot be in the future."
        return errors

    @property
    def has_reviewer(self):
        # The importer checks pages naming reviewers it has not saved yet.
        if self.reviewed_by_id is not None:
            return True
        return Page.reviewed_by.is_cached(self) and self.reviewed_by is not None

    def slug_errors(self):
        """The slug is free, or belongs to this page's own live version."""
        taken = Page.objects.main().filter(slug=self.slug)
        for pk in (self.pk, self.pending_for_id):
            if pk:
                taken = taken.exclude(pk=pk)
        if self.slug and taken.exists():
            return {"slug": "This slug is already used by another drug or article."}
        return {}

    def clean(self):
        super().clean()
        errors = {**self.slug_errors(), **self.validation_errors()}
        if errors:
            raise ValidationError(errors)

    def reference_errors(self, references, status=None):
        """references: (title, url) pairs. A published page needs one."""
        if (status or self.status) == Status.PUBLISHED and not references:
            return {"references": "A published page needs at least one source."}
        return {}

    def clean_relations(self, references, status=None):
        """Every rule about related rows at once; articles have more."""
        errors = self.reference_errors(references, status)
        if errors:
            raise ValidationError(errors)

    def inbound_links(self):
        """(page, how) for every other page pointing here, by title.

        `how` is "[[slug]] link" for links in the body and "see also" for
        curated see-also rows; either may be in a pending version. Deleting
        or unpublishing this page breaks them.
        """
        found = {}
        linking = self.linked_from.exclude(pk=self.pk).select_related("drug", "article")
        for page in linking:
            how = f"[[{self.slug}]] link" + (" in a pending version" if page.is_pending else "")
            found.setdefault(page, []).append(how)
        see_also = self.see_also_from.exclude(article_id=self.pk).select_related(
            "article__page_ptr"
        )
        for link in see_also:
            page = link.article.page_ptr
            how = "see also" + (" in a pending version" if page.is_pending else "")
            found.setdefault(page, []).append(how)
        pages = sorted(found, key=lambda page: page.title.lower())
        return [(page.specific, ", ".join(found[page])) for page in pages]

    @property
    def next_review_due(self):
        return review_due(self.last_reviewed)

    @property
    def review_overdue(self):
        due = self.next_review_due
        return due is not None and due < timezone.localdate()


class Drug(Page):
    kind = models.CharField(
        "type", max_length=10, choices=DrugKind.choices, default=DrugKind.MEDICINE
    )
    brand_names = models.TextField(
        blank=True, help_text="One brand name per line, for example Valium."
    )
    drug_class = models.CharField(
        "drug class", max_length=120, blank=True, help_text="For example: Benzodiazepine."
    )
    effects = models.JSONField(
        default=list,
        blank=True,
        help_text="Effects that add up with other medicines: "
        + ", ".join(Effect.values)
        + ". The checker warns when two chosen medicines share one.",
    )

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def get_absolute_url(self):
        return reverse("interactions:drug_detail", args=[self.slug])

    @property
    def name(self):
        return self.title

    @property
    def brand_name_list(self):
        return [line.strip() for line in self.brand_names.splitlines() if line.strip()]

    def required_sections(self):
        sections = SUBSTANCE_SECTIONS if self.kind == DrugKind.SUBSTANCE else MEDICINE_SECTIONS
        return [section.format(name=self.title.lower()) for section in sections]

    def validation_errors(self, resolve=resolve_slug):
        errors = super().validation_errors(resolve)
        unknown = [effect for effect in self.effects or [] if effect not in Effect.values]
        if unknown:
            errors["effects"] = (
                f"Unknown effect {', '.join(map(repr, unknown))}: use {', '.join(Effect.values)}."
            )
        missing = missing_sections(self.required_sections(), self.rendered.toc)
        if missing and "body" not in errors:
            errors["body"] = [
                "A drug page has these ## sections, in this order: "
                + "; ".join(self.required_sections())
                + f". Missing or out of order: {'; '.join(missing)}."
            ]
        return errors


def missing_sections(required, toc):
    """Required headings not found, in order, among the page's ## headings."""
    headings = iter(heading.strip().casefold() for _, heading in toc)
    return [section for section in required if section.casefold() not in headings]


class Population(models.Model):
    """A group of people whose medicine advice differs, e.g. pregnancy."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class ArticleQuerySet(PageQuerySet):
    def published(self):
        return self.live()

    def for_drug(self, drug):
        return self.filter(drugs=drug)

    def of_kind(self, kind):
        return self.filter(kind=kind)

    def with_drugs(self):
        """Prefetch each article's drugs, in order, for `drug_list` (without
        the drugs' bodies, which lists and links never show)."""
        links = ArticleDrug.objects.select_related("drug").defer(
            *(f"drug__{name}" for name in BODY_FIELDS)
        )
        return self.prefetch_related(models.Prefetch("drug_links", queryset=links))

    def for_article_page(self):
        """An article with what its page shows of its own rows: its reviewer,
        drugs and sources (three queries, whatever their number)."""
        return (
            self.with_drugs()
            .select_related("reviewed_by")
            .defer("body", "body_text")
            .prefetch_related("references")
        )

    def recently_reviewed(self):
        return self.published().order_by("-last_reviewed", "title")


class Article(Page):
    kind = models.CharField(max_length=30, choices=Kind.choices)
    drugs = models.ManyToManyField(
        Drug,
        through="ArticleDrug",
        related_name="articles",
        help_text="An interaction names at least two drugs. The first is the main one.",
    )
    severity = models.CharField(
        max_length=10,
        choices=Severity.choices,
        blank=True,
        help_text="Interactions only: how serious the interaction is.",
    )
    populations = models.ManyToManyField(
        Population,
        related_name="articles",
        blank=True,
        help_text="Special-populations articles only: who the advice is for.",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def get_absolute_url(self):
        return reverse("interactions:article_detail", args=[self.slug])

    @property
    def drug_list(self):
        """The article's drugs in the editor's order (prefetch with with_drugs())."""
        return [link.drug for link in self.drug_links.all()]

    @property
    def is_published(self):
        return self.is_live

    def population_list(self):
        """Who the article is for. Only special-populations articles have
        anyone, so the others skip the query."""
        if self.kind != Kind.SPECIAL_POPULATIONS:
            return []
        return list(self.populations.all())

    @property
    def severity_rank(self):
        return SEVERITY_RANK.get(self.severity, len(SEVERITY_RANK))

    def validation_errors(self, resolve=resolve_slug):
        errors = super().validation_errors(resolve)
        if self.kind == Kind.INTERACTION and not self.severity:
            errors["severity"] = (
                "An interaction needs a severity: major, moderate, minor or unknown."
            )
        if self.kind != Kind.INTERACTION and self.severity:
            errors["severity"] = "Only interaction articles have a severity."
        needs_urgent_help = self.kind in URGENT_HELP_KINDS and not errors.get("body")
        has_urgent_help = "when-to-get-urgent-help" in self.rendered.heading_ids
        if needs_urgent_help and not (
            has_urgent_help and "callout-emergency" in self.rendered.html
        ):
            errors["body"] = [
                "Interaction and risks articles need a '## When to get urgent help' "
                'section with an !!! emergency "…" callout.'
            ]
        return errors

    def drug_errors(self, drugs):
        if self.kind == Kind.INTERACTION and len(drugs) < 2:
            return {"drugs": "An interaction must name at least two drugs."}
        if not drugs:
            return {"drugs": "Choose at least one drug."}
        if len(set(drugs)) != len(drugs):
            return {"drugs": "The same drug is listed twice."}
        return {}

    def population_errors(self, populations):
        if self.kind == Kind.SPECIAL_POPULATIONS and not populations:
            return {"populations": "Choose at least one population (for example pregnancy)."}
        if self.kind != Kind.SPECIAL_POPULATIONS and populations:
            return {"populations": "Only special-populations articles have populations."}
        return {}

    def see_also_errors(self, slugs):
        if self.slug and self.slug in slugs:
            return {"see_also": "An article cannot list itself under 'See also'."}
        if len(set(slugs)) != len(slugs):
            return {"see_also": "'See also' lists the same page twice."}
        return {}

    def clean_relations(self, drugs, populations, see_also, references, status=None):
        """Every rule about related rows at once (the importer's check).

        `drugs` and `populations` are lists of objects or slugs, `see_also`
        a list of slugs and `references` a list of (title, url) pairs.
        """
        errors = {
            **self.drug_errors(drugs),
            **self.population_errors(populations),
            **self.see_also_errors(see_also),
            **self.reference_errors(references, status),
        }
        if errors:
            raise ValidationError(errors)

    # Navigation ---------------------------------------------------------

    def see_also_pages(self):
        """What its "See also" shows, in one query whatever the numbers:
        the editor's live links (`curated_position` set, in that order) and,
        for each kind, the first few live articles sharing one of its drugs
        (`rank` 1, 2, …; MAX_RELATED_PER_KIND + 1 rows at most, so the page
        knows there are more). Never itself. Drugs and articles come with
        their Drug or Article row, for `specific`."""
        curated = SeeAlso.objects.filter(article=self)
        same_drug = ArticleDrug.objects.filter(
            drug__in=ArticleDrug.objects.filter(article=self).values("drug")
        )
        position = curated.filter(target=models.OuterRef("pk")).values("position")[:1]
        # Each curated page is alone in its partition, so only the related
        # articles, grouped by kind, are ranked against each other.
        rank = models.Window(
            RowNumber(),
            partition_by=[models.F("article__kind"), models.F("curated_position")],
            order_by=[models.F("title").asc(), models.F("pk").asc()],
        )
        return (
            Page.objects.live()
            .filter(
                pk__in=curated.values("target")
                .order_by()
                .union(same_drug.values("article").order_by())
            )
            .exclude(pk=self.pk)
            .annotate(curated_position=models.Subquery(position))
            .annotate(rank=rank)
            .filter(
                models.Q(curated_position__isnull=False)
                | models.Q(rank__lte=MAX_RELATED_PER_KIND + 1)
            )
            .select_related("drug", "article")
            .only(*NAVIGATION_FIELDS)
        )


class ArticleDrug(models.Model):
    """A drug an article is about, in the order the editor gave."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="drug_links")
    drug = models.ForeignKey(Drug, on_delete=models.PROTECT, related_name="article_links")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "drug"
        constraints = [
            models.UniqueConstraint(fields=["article", "drug"], name="unique_article_drug"),
        ]
        # The articles naming a drug, from the index alone (search, See also).
        indexes = [models.Index(fields=["drug", "article"], name="article_drug_by_drug")]

    def __str__(self):
        # Named without a query when the drug is not loaded (history records many).
        if ArticleDrug.drug.is_cached(self):
            return str(self.drug)
        return f"drug {self.drug_id}"


class SeeAlso(models.Model):
    """A curated "See also" link from an article to a drug or article."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="see_also_links")
    target = models.ForeignKey(Page, on_delete=models.PROTECT, related_name="see_also_from")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "see-also link"
        constraints = [
            models.UniqueConstraint(fields=["article", "target"], name="unique_see_also_target"),
        ]

    def __str__(self):
        if SeeAlso.target.is_cached(self):
            return f"See also: {self.target}"
        return f"See also: page {self.target_id}"


class Reference(models.Model):
    """A source a page is based on, listed at its foot."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="references")
    title = models.CharField(max_length=300)
    url = models.URLField(
        "URL",
        max_length=500,
        validators=[URLValidator(schemes=["https"], message="Use the source's https:// address.")],
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class PublishedVersion(models.Model):
    """What a page looked like each time it went live, as its content file.

    A reviewer can put the previous one back in one step, and the importer
    and the admin history both leave one, so there is always a baseline.
    """

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="published_versions")
    document = models.JSONField(help_text="Front matter and body, as in a content file.")
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=300)

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = ["published_at", "pk"]

    def __str__(self):
        return f"{self.page} — {self.note}"


class SlugRedirect(models.Model):
    """A slug a drug or article used to have, so its old address still works."""

    old_slug = models.SlugField(max_length=120, unique=True)
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="old_slugs")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_slug"]
        verbose_name = "old slug"

    def __str__(self):
        return f"{self.old_slug} → {self.page.slug}"


class SearchTerm(models.Model):
    """One word of a public page and how much it counts in search.

    workflow.sync_page() keeps these rows in step with each write: live
    pages only, so drafts and pending versions can never be found.
    """

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="search_terms")
    term = models.CharField(max_length=40)
    weight = models.PositiveIntegerField()

    class Meta:
        # One index holds everything a search reads, so neither database
        # has to visit the table itself ("covering" index).
        indexes = [
            models.Index(fields=["term", "page", "weight"], name="search_term_lookup"),
            # Each word's heaviest pages first, for search.best_pages().
            models.Index(fields=["term", "-weight", "page"], name="search_term_by_weight"),
        ]

    def __str__(self):
        return f"{self.term} ({self.weight})"


class FeedbackQuerySet(models.QuerySet):
    def per_page(self):
        """One row per page: its title, yes and no counts and open comments."""
        return (
            self.values("page_id", "page__title", "page__slug")
            .annotate(
                yes=models.Count("pk", filter=models.Q(helpful=True)),
                no=models.Count("pk", filter=models.Q(helpful=False)),
                open_comments=models.Count(
                    "pk", filter=~models.Q(comment="") & models.Q(dealt_with=False)
                ),
            )
            .order_by("-no", "page__title", "page_id")
        )


class Feedback(models.Model):
    """A patient's answer to "Was this page helpful?", with an optional comment.

    Never published. Nothing about the person is kept: the rate limit works
    on a salted hash held briefly in the cache (interactions/feedback.py).
    """

    COMMENT_LENGTH = 500

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="feedback")
    page_version = models.PositiveIntegerField(
        "page version", help_text="The live page's version number when the answer was given."
    )
    helpful = models.BooleanField()
    comment = models.TextField(blank=True, max_length=COMMENT_LENGTH)
    created = models.DateTimeField(default=timezone.now, editable=False)
    dealt_with = models.BooleanField(
        "dealt with", default=False, help_text="Tick once someone has acted on the comment."
    )

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = "feedback"
        verbose_name_plural = "feedback"

    def __str__(self):
        return f"{'Yes' if self.helpful else 'No'} on {self.page}"
