from django.urls import path

from . import views

app_name = "interactions"

urlpatterns = [
    path("", views.home, name="home"),
    path("drugs/", views.drug_list, name="drug_list"),
    path("drugs/<slug:slug>/", views.drug_detail, name="drug_detail"),
    path("articles/<slug:slug>/", views.article_detail, name="article_detail"),
    path("kinds/<slug:kind>/", views.article_kind_list, name="article_kind_list"),
    path("preview/<int:pk>/", views.preview, name="preview"),
    path("reviewers/", views.reviewers, name="reviewers"),
    path("search/", views.search, name="search"),
    path("interactions/check/", views.checker, name="checker"),
    path("interactions/severity/", views.severity_guide, name="severity_guide"),
    path("feedback/<int:pk>/", views.feedback, name="feedback"),
    path("feedback/<int:pk>/thanks/", views.feedback_thanks, name="feedback_thanks"),
]
