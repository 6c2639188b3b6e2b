"""Patient pages. Views only fetch; the rules live on the models."""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from . import checker as interaction_checker
from . import feedback as page_feedback
from . import medicine_names, navigation, seo
from . import search as site_search
from .models import Article, Drug, Kind, Page, Reviewer, Status

KIND_LIST_PER_PAGE = 50


def _moved_or_404(model, slug):
    """A 301 to the live page that used to have this slug, or a 404."""
    page = model.objects.live().filter(old_slugs__old_slug=slug).first()
    if page is None:
        raise Http404(f"No {model._meta.verbose_name} found")
    return redirect(page, permanent=True)


def _can_preview(user, page):
    return user.is_staff and user.has_perm(f"interactions.view_{page._meta.model_name}")


@require_safe
def home(request):
    drugs = Drug.objects.live().only("title", "slug", "brand_names")
    return render(
        request,
        "interactions/home.html",
        {
            "drugs_by_letter": navigation.a_to_z(drugs),
            "kinds": [(kind, navigation.kind_label(kind)) for kind in Kind.values],
            "recent_articles": Article.objects.recently_reviewed().with_drugs()[:6],
            "json_ld": seo.website_json_ld(request),
        },
    )


@require_safe
def drug_list(request):
    drugs = Drug.objects.live().only("title", "slug", "summary", "brand_names", "drug_class")
    return render(
        request, "interactions/drug_list.html", {"drugs_by_letter": navigation.a_to_z(drugs)}
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
    by_kind = [
        (kind, navigation.kind_label(kind), [a for a in articles if a.kind == kind])
        for kind in Kind.values
        if kind != Kind.INTERACTION
    ]
    return render(
        request,
        "interactions/drug_detail.html",
        {
            "drug": drug,
            "contents": navigation.drug_contents(drug, len(interactions)),
            "interactions": interactions,
            "articles_by_kind": [group for group in by_kind if group[2]],
            "json_ld": seo.drug_json_ld(drug, request),
            "draft_preview": draft_preview,
        },
    )


@require_safe
def article_detail(request, slug):
    article = Article.objects.main().for_article_page().filter(slug=slug).first()
    if article is None:
        return _moved_or_404(Article, slug)
    # Staff see drafts at their public address, under a banner; nobody else does.
    if not article.is_live:
        if not _can_preview(request.user, article):
            raise Http404("No article found")
        return _preview(request, article)
    return _article_page(request, article)


def _article_page(request, article, draft_preview=False):
    see_also, related_by_kind, more_related = navigation.see_also(article)
    primary_drug = next(iter(article.drug_list), None)
    response = render(
        request,
        "interactions/article_detail.html",
        {
            "article": article,
            "kind_label": navigation.kind_label(article.kind),
            "urgent_help": navigation.urgent_help_anchor(article),
            "see_also": see_also,
            "related_by_kind": related_by_kind,
            "more_related": primary_drug if more_related else None,
            "primary_drug": primary_drug,
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
    if kind not in Kind.values:
        raise Http404("No such kind of article")
    articles = (
        Article.objects.published()
        .of_kind(kind)
        .only("title", "slug", "summary", "kind", "severity")
        .order_by("title")
    )
    page = Paginator(articles, KIND_LIST_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "interactions/article_kind_list.html",
        {
            "kind": kind,
            "kind_label": navigation.kind_label(kind),
            "articles": page.object_list,
            "page_obj": page,
        },
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
            "combination_names": medicine_names.combination_names(),
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


def _page_for_feedback(pk):
    page = Page.objects.live().filter(pk=pk).select_related("drug", "article").first()
    if page is None:
        raise Http404("No page found")
    return page.specific


@never_cache  # the form carries a CSRF token for this visitor
@require_http_methods(["GET", "HEAD", "POST"])
def feedback(request, pk):
    """“Was this page helpful?”: the pages link here, so they need no CSRF token."""
    page = _page_for_feedback(pk)
    status = 200
    if request.method == "POST":
        form = page_feedback.FeedbackForm(request.POST)
        if form.is_valid():
            if page_feedback.allowed(request):
                page_feedback.record(page, form)
                return redirect("interactions:feedback_thanks", pk=page.pk)
            form.add_error(None, page_feedback.TOO_MANY)
            status = 429
        else:
            status = 400
    else:
        helpful = request.GET.get("helpful")
        initial = {"helpful": helpful} if helpful in ("yes", "no") else {}
        form = page_feedback.FeedbackForm(initial=initial)
    return render(
        request, "interactions/feedback.html", {"page": page, "form": form}, status=status
    )


@require_safe
def feedback_thanks(request, pk):
    return render(request, "interactions/feedback_thanks.html", {"page": _page_for_feedback(pk)})


@require_safe
def favicon(request):
    """/favicon.ico, which browsers ask for whatever the page links to."""
    return redirect(static("favicon.svg"), permanent=True)
