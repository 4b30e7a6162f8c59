from django.urls import path

from npp.web.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("monitoring/", views.dashboard, name="dashboard"),
    path("monitoring/download/<str:table>.<str:ext>", views.download, name="download"),
    path("monitoring/export/", views.export, name="export"),
    path("monitoring/import/", views.import_cases, name="import"),
    path("comparison/", views.comparison, name="comparison"),
    path("comparison/gaps/", views.gaps, name="gaps"),
    path("comparison/gaps/<str:cc>/", views.gaps, name="gaps-state"),
    path("guides/", views.guides, name="guides"),
    path("guides/<str:cc>/<str:stage>.pdf", views.guide_pdf, name="guide"),
]
