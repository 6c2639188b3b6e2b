"""Patient pages. Views only fetch; the rules live on the models."""

from itertools import groupby

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET

from .models import Article, Drug, Kind


def _moved_or_404(model, slug):
    """A 301 to the page that used to have this slug, or a 404."""
    page = model.objects.filter(old_slugs__old_slug=slug).first()
    if page is None:
        raise Http404(f"No {model._meta.verbose_name} found")
    return redirect(page, permanent=True)


def _can_preview_drafts(user):
    return user.is_staff and user.has_perm("interactions.view_article")


def _drugs_by_letter(drugs):
    return [
        (letter, list(group)) for letter, group in groupby(drugs, key=lambda d: d.title[0].upper())
    ]


@require_GET
def home(request):
    drugs = Drug.objects.only("title", "slug", "summary")
    return render(
        request,
        "interactions/home.html",
        {
            "drugs_by_letter": _drugs_by_letter(drugs),
            "kinds": Kind.choices,
            "recent_articles": Article.objects.recently_reviewed().with_drugs()[:6],
        },
    )


@require_GET
def drug_list(request):
    drugs = Drug.objects.only("title", "slug", "summary", "brand_names", "drug_class")
    return render(
        request, "interactions/drug_list.html", {"drugs_by_letter": _drugs_by_letter(drugs)}
    )


@require_GET
def drug_detail(request, slug):
    drug = Drug.objects.filter(slug=slug).first()
    if drug is None:
        return _moved_or_404(Drug, slug)
    articles = list(Article.objects.published().for_drug(drug).with_drugs().order_by("title"))
    interactions = sorted(
        (a for a in articles if a.kind == Kind.INTERACTION),
        key=lambda a: (a.severity_rank, a.title),
    )
    labels = dict(Kind.choices)
    by_kind = [
        (kind, labels[kind], [a for a in articles if a.kind == kind])
        for kind in Kind.values
        if kind != Kind.INTERACTION
    ]
    return render(
        request,
        "interactions/drug_detail.html",
        {
            "drug": drug,
            "interactions": interactions,
            "articles_by_kind": [group for group in by_kind if group[2]],
        },
    )


@require_GET
def article_detail(request, slug):
    articles = Article.objects.with_drugs().prefetch_related("populations", "references")
    article = articles.filter(slug=slug).first()
    if article is None:
        return _moved_or_404(Article, slug)
    # Staff see drafts at their public address, under a banner; nobody else does.
    draft_preview = not article.is_published
    if draft_preview and not _can_preview_drafts(request.user):
        raise Http404("No article found")
    see_also = article.see_also_targets()
    response = render(
        request,
        "interactions/article_detail.html",
        {
            "article": article,
            "see_also": see_also,
            "related_by_kind": article.related_by_kind(exclude=[page.pk for page in see_also]),
            "primary_drug": next(iter(article.drug_list), None),
            "draft_preview": draft_preview,
        },
    )
    if draft_preview:
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def article_kind_list(request, kind):
    labels = dict(Kind.choices)
    if kind not in labels:
        raise Http404("No such kind of article")
    articles = Article.objects.published().of_kind(kind).with_drugs().order_by("title")
    return render(
        request,
        "interactions/article_kind_list.html",
        {"kind": kind, "kind_label": labels[kind], "articles": articles},
    )
