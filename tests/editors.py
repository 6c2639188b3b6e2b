"""Helpers for admin tests: staff users in the workflow groups, form data.

The groups come from migration 0004_editor_groups, so tests see exactly the
permissions a real editor or reviewer gets.
"""

from django.contrib.auth.models import Group, User
from django.urls import reverse

PASSWORD = "correct horse battery staple"


def staff_user(username, group=None, **fields):
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True, **fields)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def editor(username="edith"):
    return staff_user(username, "Editors", first_name="Edith", last_name="Editor")


def reviewer(username="rita", profile=True):
    """A medical reviewer; with `profile`, linked to the factories' reviewer."""
    user = staff_user(username, "Medical reviewers", first_name="Rita", last_name="Reviewer")
    if profile:
        from tests.factories import reviewer as reviewer_profile

        found = reviewer_profile()
        found.user = user
        found.save()
    return user


def inline(prefix, rows, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value
    return data


def new_article_data(drugs=(), references=(), see_also=(), **fields):
    """POST data for the article add form."""
    data = {
        "title": "Can you take diazepam with alcohol?",
        "slug": "diazepam-and-alcohol",
        "kind": "side-effects",
        "severity": "",
        "summary": "A short answer.",
        "body": "Some plain words.",
        "status": "draft",
    }
    data.update(fields)
    data.update(inline("drug_links", [{"position": i, "drug": d.pk} for i, d in enumerate(drugs)]))
    data.update(
        inline(
            "references",
            [{"position": i, "title": t, "url": u} for i, (t, u) in enumerate(references)],
        )
    )
    data.update(
        inline("see_also_links", [{"position": i, "target": p.pk} for i, p in enumerate(see_also)])
    )
    return data


def article_data(article, **fields):
    """POST data for an article's change form that changes only `fields`."""
    drug_links = list(article.drug_links.all())
    references = list(article.references.all())
    see_also = list(article.see_also_links.all())
    data = {
        "title": article.title,
        "slug": article.slug,
        "kind": article.kind,
        "severity": article.severity,
        "populations": [p.pk for p in article.populations.all()],
        "summary": article.summary,
        "body": article.body,
        "status": article.status,
        "version": article.version,
    }
    data.update(
        inline(
            "drug_links",
            [{"id": x.pk, "position": x.position, "drug": x.drug_id} for x in drug_links],
            initial=len(drug_links),
        )
    )
    data.update(reference_rows(references))
    data.update(
        inline(
            "see_also_links",
            [{"id": x.pk, "position": x.position, "target": x.target_id} for x in see_also],
            initial=len(see_also),
        )
    )
    data.update(fields)
    return data


def reference_rows(references):
    return inline(
        "references",
        [{"id": x.pk, "position": x.position, "title": x.title, "url": x.url} for x in references],
        initial=len(references),
    )


def drug_data(drug, **fields):
    data = {
        "title": drug.title,
        "slug": drug.slug,
        "kind": drug.kind,
        "brand_names": drug.brand_names,
        "drug_class": drug.drug_class,
        "effects": list(drug.effects),
        "summary": drug.summary,
        "body": drug.body,
        "status": drug.status,
        "version": drug.version,
    }
    data.update(reference_rows(list(drug.references.all())))
    data.update(fields)
    return data


def pending_of(page):
    """The pending version of a live page, fresh from the database."""
    return type(page).objects.get(pending_for=page)


def change_url(page):
    return reverse(f"admin:interactions_{page._meta.model_name}_change", args=[page.pk])


def errors_of(response):
    """Every error message on an admin form page, for plain asserts."""
    context = response.context
    messages = []
    messages.extend(str(e) for e in context["adminform"].form.non_field_errors())
    for field, errors in context["adminform"].form.errors.items():
        messages.extend(f"{field}: {e}" for e in errors)
    for formset in context.get("inline_admin_formsets", []):
        messages.extend(str(e) for e in formset.formset.non_form_errors())
        for form_errors in formset.formset.errors:
            for field, errors in form_errors.items():
                messages.extend(f"{formset.formset.prefix}.{field}: {e}" for e in errors)
    return messages


def start_editing(client, page):
    """Press "Edit this page" on a live page; returns its pending version."""
    url = reverse(f"admin:interactions_{page._meta.model_name}_edit", args=[page.pk])
    response = client.post(url)
    assert response.status_code == 302, response
    return pending_of(page)
