"""Patient pages. Views only fetch; the rules live on the models."""

from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from . import checker as interaction_checker
from . import search as site_search
from . import seo
from .models import Article, Drug, Kind, Page, Reviewer, Status


def _moved_or_404(model, slug):
    """A 301 to the live page that used to have this slug, or a 404."""
    page = model.objects.live().filter(old_slugs__old_slug=slug).first()
    if page is None:
        raise Http404(f"No {model._meta.verbose_name} found")
    return redirect(page, permanent=True)


def _can_preview(user, page):
    return user.is_staff and user.has_perm(f"interactions.view_{page._meta.model_name}")


def _drugs_by_letter(drugs):
    return [
        (letter, list(group)) for letter, group in groupby(drugs, key=lambda d: d.title[0].upper())
    ]


@require_safe
def home(request):
    drugs = Drug.objects.live().only("title", "slug", "summary")
    return render(
        request,
        "interactions/home.html",
        {
            "drugs_by_letter": _drugs_by_letter(drugs),
            "kinds": Kind.choices,
            "recent_articles": Article.objects.recently_reviewed().with_drugs()[:6],
            "json_ld": seo.website_json_ld(request),
        },
    )


@require_safe
def drug_list(request):
    drugs = Drug.objects.live().only("title", "slug", "summary", "brand_names", "drug_class")
    return render(
        request, "interactions/drug_list.html", {"drugs_by_letter": _drugs_by_letter(drugs)}
    )


@require_safe
def drug_detail(request, slug):
    drugs = Drug.objects.main().select_related("reviewed_by").prefetch_related("references")
    drug = drugs.filter(slug=slug).first()
    if drug is None:
        return _moved_or_404(Drug, slug)
    if not drug.is_live:
        if not _can_preview(request.user, drug):
            raise Http404("No drug found")
        return _preview(request, drug)
    return _drug_page(request, drug)


def _drug_page(request, drug, draft_preview=False):
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
            "json_ld": seo.drug_json_ld(drug, request),
            "draft_preview": draft_preview,
        },
    )


@require_safe
def article_detail(request, slug):
    articles = Article.objects.main().with_drugs().prefetch_related("populations", "references")
    article = articles.select_related("reviewed_by").filter(slug=slug).first()
    if article is None:
        return _moved_or_404(Article, slug)
    # Staff see drafts at their public address, under a banner; nobody else does.
    if not article.is_live:
        if not _can_preview(request.user, article):
            raise Http404("No article found")
        return _preview(request, article)
    return _article_page(request, article)


def _article_page(request, article, draft_preview=False):
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
            "json_ld": seo.article_json_ld(article, request),
        },
    )
    return response


def _preview(request, page):
    page = page.specific
    if isinstance(page, Drug):
        response = _drug_page(request, page, draft_preview=True)
    else:
        response = _article_page(request, page, draft_preview=True)
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def preview(request, pk):
    """Staff only: any version of a page (a draft or a pending version) as
    patients would see it, under a banner."""
    page = get_object_or_404(Page.objects.select_related("drug", "article"), pk=pk).specific
    if not _can_preview(request.user, page):
        raise Http404("No page found")
    if page.is_live:
        return redirect(page)
    return _preview(request, page)


@require_safe
def reviewers(request):
    live = Q(pages__status=Status.PUBLISHED, pages__pending_for__isnull=True)
    listed = (
        Reviewer.objects.annotate(page_count=Count("pages", filter=live))
        .filter(page_count__gt=0)
        .order_by("-clinical", "name")
    )
    return render(request, "interactions/reviewers.html", {"reviewers": listed})


@require_safe
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


@require_safe
def search(request):
    lexicon = site_search.Lexicon.load()
    query = site_search.parse_query(request.GET.get("q", ""), lexicon)
    context = {
        "query": query,
        "submitted": "q" in request.GET,
        "examples": site_search.example_searches(lexicon),
    }
    if query.is_useful:
        ranked, capped = site_search.rank(query)
        page = Paginator(ranked, site_search.PER_PAGE).get_page(request.GET.get("page"))
        context.update(
            page_obj=page,
            hits=site_search.load_hits(page.object_list, query),
            capped=capped,
        )
    return render(request, "interactions/search.html", context)


@require_safe
def checker(request):
    lexicon = site_search.Lexicon.load()
    submitted = "drug" in request.GET
    result = interaction_checker.check(request.GET.getlist("drug"), lexicon) if submitted else None
    return render(
        request,
        "interactions/checker.html",
        {
            "result": result,
            "fields": interaction_checker.form_fields(result.entries if result else []),
            "names": lexicon.choices(),
            "max_medicines": interaction_checker.MAX_MEDICINES,
            "no_information": interaction_checker.NO_INFORMATION,
        },
        status=result.status if result else 200,
    )


@require_safe
def severity_guide(request):
    return render(request, "interactions/severity.html")


@require_safe
def robots_txt(request):
    return render(
        request,
        "robots.txt",
        {"sitemap_url": seo.absolute_url(request, reverse("sitemap"))},
        content_type="text/plain; charset=utf-8",
    )
