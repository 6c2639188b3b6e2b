"""Live and pending versions, named reviewers, reviewed drug pages.

Moves status and review fields from Article to Page (drugs go through the
same workflow), turns the free-text "reviewed by" into Reviewer rows (each
marked as an editorial check: free text never said who the person was or
what role they had), moves sources to Page, and lets a pending version share
its live page's slug. Existing drugs were public, so they stay published.
"""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.utils.text import slugify


def forwards(apps, schema_editor):
    Page = apps.get_model("interactions", "Page")
    Article = apps.get_model("interactions", "Article")
    Drug = apps.get_model("interactions", "Drug")
    Reference = apps.get_model("interactions", "Reference")
    Reviewer = apps.get_model("interactions", "Reviewer")
    from interactions.readability import plain_text

    reviewers = {}
    for article in Article.objects.all():
        reviewer = None
        name = article.reviewed_by.strip()
        if name:
            if name not in reviewers:
                key = slugify(name)[:50] or "reviewer"
                reviewers[name], _ = Reviewer.objects.get_or_create(
                    key=key,
                    defaults={
                        "name": name,
                        "role": "Editorial check against the cited sources",
                        "clinical": False,
                    },
                )
            reviewer = reviewers[name]
        Page.objects.filter(pk=article.page_ptr_id).update(
            workflow_status=article.status,
            review_date=article.last_reviewed,
            reviewer=reviewer,
        )
    Page.objects.filter(pk__in=Drug.objects.values("page_ptr_id")).update(
        workflow_status="published"
    )
    for reference in Reference.objects.all():
        Reference.objects.filter(pk=reference.pk).update(page_id=reference.article_id)
    for page in Page.objects.all():
        Page.objects.filter(pk=page.pk).update(body_text=plain_text(page.body_html))


def backwards(apps, schema_editor):
    Page = apps.get_model("interactions", "Page")
    Article = apps.get_model("interactions", "Article")
    Reference = apps.get_model("interactions", "Reference")
    Page.objects.filter(pending_for__isnull=False).delete()
    for article in Article.objects.all():
        page = Page.objects.select_related("reviewer").get(pk=article.page_ptr_id)
        Article.objects.filter(pk=article.pk).update(
            status=page.workflow_status,
            last_reviewed=page.review_date,
            reviewed_by=page.reviewer.name if page.reviewer_id else "",
        )
    for reference in Reference.objects.all():
        Reference.objects.filter(pk=reference.pk).update(article_id=reference.page_id)


def grant_workflow_permissions(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("interactions")
    # Historical app configs have no models module, which create_permissions skips.
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    grants = {
        "Editors": ["view_reviewer", "view_publishedversion"],
        "Medical reviewers": [
            "publish_page",
            "review_page",
            "view_reviewer",
            "view_publishedversion",
        ],
    }
    for name, codenames in grants.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="interactions", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("interactions", "0005_search_terms"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.CreateModel(
            name="Reviewer",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.SlugField(help_text="Short name used in content files, for example jane-smith.", unique=True)),
                ("name", models.CharField(max_length=200, verbose_name="full name")),
                ("role", models.CharField(help_text="For example: Pharmacist.", max_length=200, verbose_name="role or profession")),
                ("registration_body", models.CharField(blank=True, help_text="For example: General Pharmaceutical Council.", max_length=200)),
                ("registration_number", models.CharField(blank=True, max_length=50)),
                ("clinical", models.BooleanField(default=True, help_text="Untick for an editorial check, which pages then show as such.", verbose_name="clinical reviewer")),
                ("user", models.OneToOneField(blank=True, help_text="The account this reviewer publishes with.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="reviewer", to=settings.AUTH_USER_MODEL)),
            ],
            options={"ordering": ["name"]},
        ),
        migrations.AddField(model_name="page", name="workflow_status", field=models.CharField(choices=[("draft", "Draft"), ("review", "In review"), ("published", "Published")], default="draft", max_length=10)),
        migrations.AddField(model_name="page", name="review_date", field=models.DateField(blank=True, null=True, verbose_name="last reviewed")),
        migrations.AddField(model_name="page", name="reviewer", field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="pages", to="interactions.reviewer", verbose_name="reviewed by")),
        migrations.AddField(model_name="page", name="body_text", field=models.TextField(blank=True, editable=False)),
        migrations.AddField(model_name="page", name="pending_for", field=models.OneToOneField(blank=True, editable=False, help_text="Set on a pending version: the live page it will replace.", null=True, on_delete=django.db.models.deletion.CASCADE, related_name="pending_version", to="interactions.page")),
        migrations.AddField(model_name="page", name="version", field=models.PositiveIntegerField(default=0, editable=False)),
        migrations.AddField(model_name="page", name="updated_by", field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
        migrations.AddField(model_name="page", name="submitted_by", field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
        migrations.AddField(model_name="page", name="submitted_at", field=models.DateTimeField(blank=True, editable=False, null=True)),
        migrations.AddField(model_name="reference", name="page", field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="references", to="interactions.page")),
        migrations.AlterField(model_name="reference", name="article", field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="old_references", to="interactions.article")),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="article", name="status"),
        migrations.RemoveField(model_name="article", name="last_reviewed"),
        migrations.RemoveField(model_name="article", name="reviewed_by"),
        migrations.RemoveField(model_name="reference", name="article"),
        migrations.RenameField(model_name="page", old_name="workflow_status", new_name="status"),
        migrations.RenameField(model_name="page", old_name="review_date", new_name="last_reviewed"),
        migrations.RenameField(model_name="page", old_name="reviewer", new_name="reviewed_by"),
        migrations.AlterField(model_name="reference", name="page", field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="references", to="interactions.page")),
        migrations.AlterField(model_name="reference", name="url", field=models.URLField(max_length=500, validators=[django.core.validators.URLValidator(message="Use the source's https:// address.", schemes=["https"])], verbose_name="URL")),
        migrations.AlterField(model_name="page", name="slug", field=models.SlugField(help_text="The page's address. Unique across drugs and articles; other pages link here with [[slug]].", max_length=120)),
        migrations.AddConstraint(model_name="page", constraint=models.UniqueConstraint(condition=models.Q(("pending_for__isnull", True)), fields=("slug",), name="unique_page_slug", violation_error_message="This slug is already used by another drug or article.")),
        migrations.AddField(model_name="drug", name="kind", field=models.CharField(choices=[("medicine", "Medicine"), ("substance", "Other substance (for example alcohol)")], default="medicine", max_length=10, verbose_name="type")),
        migrations.AddField(model_name="drug", name="effects", field=models.JSONField(blank=True, default=list, help_text="Effects that add up with other medicines: drowsiness, slowed-breathing, serotonin, bleeding, heart-rhythm, seizures. The checker warns when two chosen medicines share one.")),
        migrations.AlterModelOptions(name="article", options={"ordering": ["title"]}),
        migrations.AlterModelOptions(name="page", options={"ordering": ["title"], "permissions": [("publish_page", "Can publish, take offline and restore pages"), ("review_page", "Can mark pages as reviewed")]}),
        migrations.CreateModel(
            name="PublishedVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("document", models.JSONField(help_text="Front matter and body, as in a content file.")),
                ("published_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("note", models.CharField(max_length=300)),
                ("page", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="published_versions", to="interactions.page")),
                ("published_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={"ordering": ["-published_at", "-pk"], "get_latest_by": ["published_at", "pk"]},
        ),
        migrations.RunPython(grant_workflow_permissions, migrations.RunPython.noop),
    ]
