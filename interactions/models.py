"""Drugs and articles, and the rules that keep them right.

Drug and Article share one Page table (multi-table inheritance), so a slug
is unique across both and `[[slug]]` can never be ambiguous. Each page stores
its Markdown beside the rendered HTML; pages are rendered on save, never on
a request.
"""

import datetime
from itertools import groupby

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField

from .images import images_missing_alt
from .rendering import (
    CALLOUT_TYPES,
    LinkTarget,
    linked_slugs,
    render_markdown,
    replace_wikilink_slug,
)


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


# Kinds whose pages must tell a patient when to get urgent help.
URGENT_HELP_KINDS = {Kind.INTERACTION, Kind.RISKS}


def body_problems(rendered):
    """What must be fixed in a rendered body before it can be saved."""
    problems = [
        f"[[{slug}]] does not match any drug or article." for slug in rendered.missing_slugs
    ]
    allowed = ", ".join(CALLOUT_TYPES)
    problems.extend(
        f'Unknown callout "!!! {name}": use one of {allowed}.' for name in rendered.unknown_callouts
    )
    problems.extend(
        f"The image {src} needs alt text: describe it in the square brackets of ![…]({src})."
        for src in images_missing_alt(rendered.html)
    )
    return problems


def resolve_slug(slug):
    """LinkTarget for a drug or article slug in the database, or None."""
    page = Page.objects.filter(slug=slug).select_related("drug", "article").first()
    return page.link_target() if page else None


class Page(models.Model):
    """What drugs and articles share: a slug, a title and a Markdown body."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=120,
        unique=True,
        help_text="The page's address. Unique across drugs and articles; "
        "other pages link here with [[slug]].",
        error_messages={"unique": "This slug is already used by another drug or article."},
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
    toc = models.JSONField(default=list, blank=True, editable=False)
    links = models.ManyToManyField(
        "self", symmetrical=False, related_name="linked_from", blank=True, editable=False
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def save(self, *args, render=True, **kwargs):
        """Render, save, record outgoing links, refresh pages that link here.

        `render=False` is for the importer's first pass, when the pages a
        body links to may not exist yet.
        """
        previous = None
        if self.pk:
            previous = Page.objects.filter(pk=self.pk).values("title", "slug").first()
        if render:
            self.render()
        with transaction.atomic():
            super().save(*args, **kwargs)
            if previous is None or previous["slug"] != self.slug:
                self.record_slug_change(previous["slug"] if previous else None)
            if render:
                self.links.set(Page.objects.filter(slug__in=linked_slugs(self.body)))
                if previous and (previous["title"], previous["slug"]) != (self.title, self.slug):
                    self.refresh_linking_pages(old_slug=previous["slug"])

    @property
    def specific(self):
        """The Drug or Article this page is."""
        for name in ("drug", "article"):
            try:
                return getattr(self, name)
            except Page.DoesNotExist:
                continue
        return self

    def link_target(self):
        specific = self.specific
        return LinkTarget(slug=self.slug, title=self.title, url=specific.get_absolute_url())

    def render(self, resolve=resolve_slug):
        """Render the body, refusing links to pages that do not exist."""
        result = render_markdown(self.body, resolve)
        errors = body_problems(result)
        if errors:
            raise ValidationError({"body": errors})
        self.body_html = result.html
        self.toc = result.toc
        return result

    def validation_errors(self, resolve=resolve_slug):
        """Field name -> messages for every rule this page breaks."""
        try:
            self.render(resolve)
        except ValidationError as error:
            return error.message_dict
        return {}

    def clean(self):
        super().clean()
        errors = self.validation_errors()
        if errors:
            raise ValidationError(errors)

    def record_slug_change(self, old_slug):
        """Keep the old address working; a slug in use again stops redirecting."""
        SlugRedirect.objects.filter(old_slug=self.slug).delete()
        if old_slug:
            SlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"page": self})

    def inbound_links(self):
        """(page, how) for every other page pointing here, by title.

        `how` is "[[slug]] link" for links in the body and "see also" for
        curated see-also rows. Deleting or unpublishing this page breaks them.
        """
        found = {}
        for page in self.linked_from.exclude(pk=self.pk).select_related("drug", "article"):
            found.setdefault(page, []).append(f"[[{self.slug}]] link")
        see_also = self.see_also_from.exclude(article_id=self.pk).select_related(
            "article__page_ptr"
        )
        for link in see_also:
            found.setdefault(link.article.page_ptr, []).append("see also")
        pages = sorted(found, key=lambda page: page.title.lower())
        return [(page.specific, ", ".join(found[page])) for page in pages]

    def refresh_linking_pages(self, old_slug=None):
        """Re-render pages whose stored HTML shows this page's title or URL.

        After a slug change their Markdown is rewritten to the new slug, so
        the source stays valid and exports show the change. A full save keeps
        everything derived from the body (links, search index) in step.
        """
        for page in self.linked_from.select_related("drug", "article"):
            specific = page.specific
            if old_slug and old_slug != self.slug:
                specific.body = replace_wikilink_slug(specific.body, old_slug, self.slug)
            specific.save()


class Drug(Page):
    brand_names = models.TextField(
        blank=True, help_text="One brand name per line, for example Valium."
    )
    drug_class = models.CharField(
        "drug class", max_length=120, blank=True, help_text="For example: Benzodiazepine."
    )

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


class Population(models.Model):
    """A group of people whose medicine advice differs, e.g. pregnancy."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def for_drug(self, drug):
        return self.filter(drugs=drug)

    def of_kind(self, kind):
        return self.filter(kind=kind)

    def with_drugs(self):
        """Prefetch each article's drugs, in order, for `drug_list`."""
        return self.prefetch_related(
            models.Prefetch("drug_links", queryset=ArticleDrug.objects.select_related("drug"))
        )

    def recently_reviewed(self):
        return self.published().order_by("-last_reviewed", "title")

    def review_overdue(self, today=None):
        """Never reviewed, or last reviewed more than 12 months ago."""
        today = today or timezone.localdate()
        try:
            cutoff = today.replace(year=today.year - 1)
        except ValueError:  # 29 February
            cutoff = today - datetime.timedelta(days=365)
        return self.filter(
            models.Q(last_reviewed__isnull=True) | models.Q(last_reviewed__lt=cutoff)
        )


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
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    last_reviewed = models.DateField("last reviewed", null=True, blank=True)
    reviewed_by = models.CharField("reviewed by", max_length=200, blank=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        permissions = [
            ("publish_article", "Can publish articles"),
            ("review_article", "Can mark articles as medically reviewed"),
        ]

    def get_absolute_url(self):
        return reverse("interactions:article_detail", args=[self.slug])

    @property
    def drug_list(self):
        """The article's drugs in the editor's order (prefetch with with_drugs())."""
        return [link.drug for link in self.drug_links.all()]

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

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
        if needs_urgent_help and "callout-emergency" not in self.body_html:
            errors["body"] = [
                "Interaction and risks articles need a 'When to get urgent help' "
                'section with an !!! emergency "…" callout.'
            ]
        if self.status == Status.PUBLISHED:
            if not self.summary.strip():
                errors["summary"] = "A published article needs a summary."
            if not self.last_reviewed:
                errors["last_reviewed"] = "A published article needs a last-reviewed date."
            if not self.reviewed_by.strip():
                errors["reviewed_by"] = "A published article needs a reviewer."
        return errors

    def clean_relations(self, drugs, populations, see_also, references):
        """Rules that involve related rows, checked before they are saved.

        Shared by the admin form and the importer: `drugs` and `populations`
        are lists of objects (or slugs), `see_also` a list of slugs and
        `references` a list of (title, url) pairs.
        """
        errors = {}
        if self.kind == Kind.INTERACTION and len(drugs) < 2:
            errors["drugs"] = "An interaction must name at least two drugs."
        elif not drugs:
            errors["drugs"] = "Choose at least one drug."
        if self.kind == Kind.SPECIAL_POPULATIONS and not populations:
            errors["populations"] = "Choose at least one population (for example pregnancy)."
        if self.kind != Kind.SPECIAL_POPULATIONS and populations:
            errors["populations"] = "Only special-populations articles have populations."
        if self.slug and self.slug in see_also:
            errors["see_also"] = "An article cannot list itself under 'See also'."
        elif len(set(see_also)) != len(see_also):
            errors["see_also"] = "'See also' lists the same page twice."
        if self.status == Status.PUBLISHED and not references:
            errors["references"] = "A published article needs at least one source."
        if errors:
            raise ValidationError(errors)

    # Navigation ---------------------------------------------------------

    def see_also_targets(self):
        """Curated see-also pages in order, dropping unpublished articles."""
        links = self.see_also_links.select_related("target__drug", "target__article")
        targets = []
        for link in links:
            specific = link.target.specific
            if isinstance(specific, Article) and not specific.is_published:
                continue
            targets.append(specific)
        return targets

    def related_by_kind(self, exclude=()):
        """Published articles sharing a drug, grouped by kind, never itself."""
        excluded = {self.pk, *exclude}
        related = (
            Article.objects.published()
            .filter(drugs__in=self.drugs.all())
            .exclude(pk__in=excluded)
            .distinct()
            .order_by("kind", "title")
            .with_drugs()
        )
        labels = dict(Kind.choices)
        return [
            (labels[kind], list(articles))
            for kind, articles in groupby(
                sorted(related, key=lambda a: (list(labels).index(a.kind), a.title)),
                key=lambda a: a.kind,
            )
        ]

    @property
    def next_review_due(self):
        if not self.last_reviewed:
            return None
        try:
            return self.last_reviewed.replace(year=self.last_reviewed.year + 1)
        except ValueError:  # 29 February
            return self.last_reviewed + datetime.timedelta(days=365)

    @property
    def review_overdue(self):
        due = self.next_review_due
        return due is not None and due < timezone.localdate()


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

    def __str__(self):
        return str(self.drug)


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
        return f"{self.article} → {self.target}"

    def clean(self):
        if self.article_id and self.target_id == self.article_id:
            raise ValidationError({"target": "An article cannot list itself under 'See also'."})


class Reference(models.Model):
    """A source an article is based on, listed at its foot."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="references")
    title = models.CharField(max_length=300)
    url = models.URLField("URL", max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


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

    interactions.search keeps these rows in step with each save: drugs and
    published articles only, so drafts can never be found.
    """

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="search_terms")
    term = models.CharField(max_length=40)
    weight = models.PositiveIntegerField()

    class Meta:
        # One index holds everything a search reads, so neither database
        # has to visit the table itself ("covering" index).
        indexes = [models.Index(fields=["term", "page", "weight"], name="search_term_lookup")]

    def __str__(self):
        return f"{self.term} ({self.weight})"
