from django.urls import path

from . import views

app_name = "learn"

urlpatterns = [
    path("", views.guide_index, name="index"),
    path("ask/", views.ask, name="ask"),
    path("search/", views.search, name="search"),
    path("glossary/", views.glossary, name="glossary"),
    path("compare/", views.compare, name="compare"),
    path("support/", views.support, name="support"),
    path("<slug:article_id>/", views.article, name="article"),
]
