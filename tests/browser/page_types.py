"""Every kind of public page, one row each, for the browser checks.

Add a page type with one line.
"""

from dataclasses import dataclass

import pytest
from django.urls import reverse


@dataclass(frozen=True)
class PageType:
    id: str
    url_name: str
    args: tuple = ()
    query: str = ""
    status: int | None = 200  # None: any status below 500 (a form error, say)
    page_slug: str = ""  # for pages about a page by its id (feedback): its slug

    @property
    def path(self):
        args = self.args
        if self.page_slug:
            from interactions.models import Page

            args = (Page.objects.live().get(slug=self.page_slug).pk,)
        path = reverse(self.url_name, args=args)
        return f"{path}?{self.query}" if self.query else path


ARTICLE = "diazepam-and-mirtazapine"
ARTICLE_WITH_TABLE = "diazepam-and-mirtazapine-benefits"  # three columns


def article(kind, slug):
    return PageType(f"article-{kind}", "interactions:article_detail", (slug,))


PAGE_TYPES = [
    PageType("home", "interactions:home"),
    PageType("drug-a-z", "interactions:drug_list"),
    PageType("drug", "interactions:drug_detail", ("diazepam",)),
    article("interaction", ARTICLE),
    article("benefits", ARTICLE_WITH_TABLE),
    article("risks", "diazepam-and-mirtazapine-risks"),
    article("side-effects", "diazepam-side-effects"),
    article("special-populations", "diazepam-and-mirtazapine-older-adults"),
    article("questions", "mirtazapine-orion-brand"),
    PageType("kind-index", "interactions:article_kind_list", ("interaction",)),
    PageType("not-found", "interactions:drug_detail", ("no-such-medicine",), status=404),
    PageType("search-results", "interactions:search", query="q=diazepam"),
    PageType("search-empty", "interactions:search", query="q="),
    PageType("search-no-results", "interactions:search", query="q=zzqx"),
    PageType("search-unknown-medicine", "interactions:search", query="q=co-codamol+side+effects"),
    PageType("checker-form", "interactions:checker"),
    PageType("checker-results", "interactions:checker", query="drug=diazepam&drug=mirtazapine"),
    PageType("checker-error", "interactions:checker", query="drug=diazepam", status=None),
    PageType(
        "checker-effects-add-up",
        "interactions:checker",
        query="drug=diazepam&drug=codeine&drug=alcohol",
    ),
    PageType(
        "checker-unknown-medicines",
        "interactions:checker",
        query="drug=co-codamol&drug=zolpidem&drug=sertraline",
    ),
    PageType("feedback-form", "interactions:feedback", query="helpful=no", page_slug=ARTICLE),
    PageType("feedback-thanks", "interactions:feedback_thanks", page_slug="diazepam"),
    PageType("severity-guide", "interactions:severity_guide"),
    PageType("reviewers", "interactions:reviewers"),
]


def each_page_type(func):
    """Parametrize a test over every page type, named by its id."""
    return pytest.mark.parametrize("page_type", PAGE_TYPES, ids=[p.id for p in PAGE_TYPES])(func)


def assert_status(page_type, response):
    if page_type.status is None:
        assert response.status < 500, f"{page_type.id}: HTTP {response.status}"
    else:
        assert response.status == page_type.status, f"{page_type.id}: HTTP {response.status}"
