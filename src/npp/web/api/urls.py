from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from npp.web.api import (
    schema,  # noqa: F401 - registers the OpenAPI auth extensions
    views,
)

app_name = "api"
urlpatterns = [
    path("assessments", views.AssessmentsView.as_view(), name="assessments"),
    path("me", views.MeView.as_view(), name="me"),
    path("cases", views.CaseListView.as_view(), name="cases"),
    path("cases/<str:reference>", views.CaseDetailView.as_view(), name="case"),
    path("cases/<str:reference>/facts", views.CaseFactsView.as_view(), name="case-facts"),
    path("cases/<str:reference>/person", views.CasePersonView.as_view(), name="case-person"),
    path(
        "cases/<str:reference>/decisions", views.CaseDecisionsView.as_view(), name="case-decisions"
    ),
    path("cases/<str:reference>/stage", views.CaseStageView.as_view(), name="case-stage"),
    path(
        "cases/<str:reference>/referrals", views.CaseReferralsView.as_view(), name="case-referrals"
    ),
    path("cases/<str:reference>/referrals/<int:pk>", views.ReferralView.as_view(), name="referral"),
    path("schema/", SpectacularAPIView.as_view(permission_classes=[]), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", permission_classes=[]),
        name="docs",
    ),
]
