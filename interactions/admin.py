from django.contrib import admin

from .models import Article, ArticleDrug, Drug, Page, Population, Reference, SeeAlso


class ArticleDrugInline(admin.TabularInline):
    model = ArticleDrug
    extra = 2
    fields = ("position", "drug")
    autocomplete_fields = ("drug",)


class ReferenceInline(admin.TabularInline):
    model = Reference
    extra = 1
    fields = ("position", "title", "url")


class SeeAlsoInline(admin.TabularInline):
    model = SeeAlso
    fk_name = "article"
    extra = 1
    fields = ("position", "target")
    autocomplete_fields = ("target",)


@admin.register(Drug)
class DrugAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "drug_class")
    search_fields = ("title", "slug", "brand_names")
    prepopulated_fields = {"slug": ("title",)}
    fields = ("title", "slug", "brand_names", "drug_class", "summary", "body")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "severity", "status", "last_reviewed")
    list_filter = ("kind", "status", "severity")
    search_fields = ("title", "slug", "drugs__title", "drugs__brand_names")
    prepopulated_fields = {"slug": ("title",)}
    inlines = (ArticleDrugInline, ReferenceInline, SeeAlsoInline)
    fields = (
        "title",
        "slug",
        "kind",
        "severity",
        "populations",
        "summary",
        "body",
        "status",
        "last_reviewed",
        "reviewed_by",
    )


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position")


# See-also targets are chosen by autocomplete over every drug and article.
@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    search_fields = ("title", "slug")

    def has_module_permission(self, request):
        return False
