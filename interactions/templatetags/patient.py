from django import template

from interactions.navigation import kind_label as plain_kind_label

register = template.Library()


@register.filter
def kind_label(kind):
    """{{ article.kind|kind_label }}: the kind's name in plain words for patients."""
    return plain_kind_label(kind)
