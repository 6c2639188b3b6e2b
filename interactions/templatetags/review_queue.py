"""The review queue on the admin home page."""

from django import template

from ..models import Page

register = template.Library()
DUE_SOON_DAYS = 30


def _rows(pages):
    from ..admin import admin_change_url

    return [(page.specific, admin_change_url(page.specific)) for page in pages]


@register.inclusion_tag("admin/interactions/_review_queue.html", takes_context=True)
def review_queue(context):
    """What is waiting for a medical reviewer, overdue, or due soon."""
    user = context["request"].user
    if not (user.has_perm("interactions.view_article") or user.has_perm("interactions.view_drug")):
        return {"show": False}
    related = ("drug", "article", "submitted_by", "pending_for")
    waiting = Page.objects.waiting_for_review().select_related(*related).order_by("submitted_at")
    overdue = (
        Page.objects.review_overdue()
        .select_related("drug", "article")
        .order_by("last_reviewed", "title")
    )
    due_soon = sorted(
        Page.objects.select_related("drug", "article").review_due_within(DUE_SOON_DAYS),
        key=lambda page: (page.next_review_due, page.title),
    )
    return {
        "show": True,
        "waiting": _rows(waiting),
        "overdue": _rows(overdue),
        "due_soon": _rows(due_soon),
        "due_soon_days": DUE_SOON_DAYS,
    }
