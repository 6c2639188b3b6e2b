"""Two groups for the editorial workflow.

Editors write and edit drugs and articles and send articles for review;
Medical reviewers can also publish, mark articles reviewed and delete.
Permissions are normally created after all migrations run, so they are
created here first.
"""

from django.db import migrations

EDITING = [
    ("article", ("add", "change", "view")),
    ("drug", ("add", "change", "view")),
    ("articledrug", ("add", "change", "delete", "view")),
    ("reference", ("add", "change", "delete", "view")),
    ("seealso", ("add", "change", "delete", "view")),
    ("page", ("view",)),
    ("population", ("view",)),
]
# Deleting a drug or article deletes its Page row too.
REVIEWING = [
    ("article", ("delete",)),
    ("drug", ("delete",)),
    ("page", ("delete",)),
]
EXTRA = {"Medical reviewers": ["publish_article", "review_article"]}
GROUPS = {"Editors": EDITING, "Medical reviewers": EDITING + REVIEWING}


def codenames(group):
    names = [f"{action}_{model}" for model, actions in GROUPS[group] for action in actions]
    return names + EXTRA.get(group, [])


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("interactions")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    assign_group_permissions(apps)


def assign_group_permissions(apps):
    """Create the groups with their permissions (the permissions must exist)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label="interactions", codename__in=codenames(name)
            )
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(GROUPS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("interactions", "0003_slug_redirects_and_review_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
