"""Patient feedback ("Was this page helpful?"), which editors and reviewers
can read and mark as dealt with in the admin."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

GROUPS = ("Editors", "Medical reviewers")
CODENAMES = ("view_feedback", "change_feedback")


def allow_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("interactions")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="interactions", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("interactions", "0006_revisions"),
    ]

    operations = [
        migrations.CreateModel(
            name="Feedback",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("page_version", models.PositiveIntegerField(help_text="The live page's version number when the answer was given.", verbose_name="page version")),
                ("helpful", models.BooleanField()),
                ("comment", models.TextField(blank=True, max_length=500)),
                ("created", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ("dealt_with", models.BooleanField(default=False, help_text="Tick once someone has acted on the comment.", verbose_name="dealt with")),
                ("page", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="feedback", to="interactions.page")),
            ],
            options={
                "verbose_name": "feedback",
                "verbose_name_plural": "feedback",
                "ordering": ["-created", "-pk"],
            },
        ),
        migrations.RunPython(allow_groups, migrations.RunPython.noop),
    ]
