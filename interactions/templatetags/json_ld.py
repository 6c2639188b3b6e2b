from django import template

from interactions.seo import json_ld_script

register = template.Library()


@register.filter
def json_ld(data):
    """{{ data|json_ld }}: a safely escaped schema.org JSON-LD script element."""
    return json_ld_script(data)
