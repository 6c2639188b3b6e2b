"""What search engines and link previews read: absolute URLs and JSON-LD.

Absolute URLs come from settings.SITE_URL when it is set (behind a proxy
the request may not know the public address), otherwise from the request.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.html import format_html
from django.utils.safestring import mark_safe

SITE_NAME = "MedInfo"
# The same characters Django's json_script escapes, so that "</script>" or
# "<!--" in a title cannot end the script element.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def absolute_url(request, path):
    path = escape_uri_path(path)
    if settings.SITE_URL:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path)


def canonical_url(request):
    """Template context: this page's canonical address (no query string)."""
    return {"canonical_url": absolute_url(request, request.path)}


def json_ld_script(data):
    """A <script type="application/ld+json"> element, safely escaped."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    # Safe: the three characters that could end the element are escaped.
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_JSON_SCRIPT_ESCAPES)),
    )


def _publisher(request):
    return {
        "@type": "Organization",
        "name": SITE_NAME,
        "url": absolute_url(request, reverse("interactions:home")),
    }


def _review_data(page):
    """lastReviewed, and reviewedBy only for a clinical review by a person."""
    data = {}
    if page.last_reviewed:
        data["lastReviewed"] = page.last_reviewed
    reviewer = page.reviewed_by
    if reviewer is not None and reviewer.clinical:
        data["reviewedBy"] = {"@type": "Person", "name": reviewer.name, "jobTitle": reviewer.role}
    return data


def _citations(page):
    return [
        {"@type": "CreativeWork", "name": reference.title, "url": reference.url}
        for reference in page.references.all()
    ]


def drug_data(drug, request):
    data = {
        "@type": "Drug",
        "name": drug.title,
        "url": absolute_url(request, drug.get_absolute_url()),
    }
    if drug.brand_name_list:
        data["alternateName"] = drug.brand_name_list
    if drug.drug_class:
        data["drugClass"] = {"@type": "DrugClass", "name": drug.drug_class}
    return data


def drug_json_ld(drug, request):
    return {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": drug.title,
        "description": drug.summary,
        "url": absolute_url(request, drug.get_absolute_url()),
        "inLanguage": "en-GB",
        "dateModified": drug.updated,
        "audience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "about": drug_data(drug, request),
        "citation": _citations(drug),
        "publisher": _publisher(request),
        **_review_data(drug),
    }


def article_json_ld(article, request):
    """MedicalWebPage for a published article (drafts are never shown)."""
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": article.title,
        "headline": article.title,
        "description": article.summary,
        "url": absolute_url(request, article.get_absolute_url()),
        "inLanguage": "en-GB",
        "datePublished": article.created,
        "dateModified": article.updated,
        "audience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "about": [drug_data(drug, request) for drug in article.drug_list],
        "citation": _citations(article),
        "publisher": _publisher(request),
        **_review_data(article),
    }
    return data


def website_json_ld(request):
    """The site itself, with its search, for the home page."""
    search_url = absolute_url(request, reverse("interactions:search"))
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": SITE_NAME,
        "url": absolute_url(request, reverse("interactions:home")),
        "potentialAction": {
            "@type": "SearchAction",
            "target": f"{search_url}?q={{search_term_string}}",
            "query-input": "required name=search_term_string",
        },
    }
