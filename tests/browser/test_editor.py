"""An editor writes Markdown in the admin and watches the live preview."""

from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories
from tests.editors import PASSWORD

# An editor's permissions (migration 0004_editor_groups); given directly
# because transactional tests empty the groups table between tests.
EDITOR_PERMISSIONS = [
    "add_article",
    "change_article",
    "view_article",
    "view_drug",
    "view_page",
    "view_population",
    "add_articledrug",
    "add_reference",
    "add_seealso",
]


@pytest.fixture(scope="module", autouse=True)
def restores_migration_data(django_db_blocker):
    """Put back the rows data migrations made, once the tests' flush removed them.

    Transactional tests end by emptying every table; tests after these
    (importing content/) need the populations and groups. Module scope makes
    this run after the last test's flush.
    """
    yield
    populations = import_module("interactions.migrations.0002_populations")
    groups = import_module("interactions.migrations.0004_editor_groups")
    with django_db_blocker.unblock():
        populations.add_populations(apps, None)
        for name in groups.GROUPS:
            group, _ = Group.objects.get_or_create(name=name)
            group.permissions.set(
                Permission.objects.filter(
                    content_type__app_label="interactions", codename__in=groups.codenames(name)
                )
            )


TABLE = "| Medicine | Effect |\n| --- | --- |\n| Diazepam | Sleepy |\n"


def test_editor_sees_the_live_preview_with_a_table_and_a_link(transactional_db, live_server, page):
    diazepam = factories.drug("Diazepam")
    editor = User.objects.create_user("edith", password=PASSWORD, is_staff=True)
    editor.user_permissions.set(Permission.objects.filter(codename__in=EDITOR_PERMISSIONS))

    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "edith")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text("edith")

    page.goto(live_server.url + reverse("admin:interactions_article_add"))
    editor_box = page.locator("textarea.markdownx-editor#id_body")
    preview = page.locator(".markdownx-preview")
    editor_box.fill(TABLE)
    expect(preview.locator("table th").first).to_have_text("Medicine")
    expect(preview.locator("td").nth(1)).to_have_text("Sleepy")

    editor_box.press("End")
    editor_box.press_sequentially("\nSee [[diazepam]] for more.")
    link = preview.locator("a.wikilink")
    expect(link).to_have_text("Diazepam")
    expect(link).to_have_attribute("href", diazepam.get_absolute_url())
    expect(preview.locator("table")).to_have_count(1)
