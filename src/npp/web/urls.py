from django.urls import include, path
from django.views.i18n import set_language

from npp.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("npp.web.accounts.urls")),
    path("assess/", include("npp.web.cases.interview_urls")),
    path("cases/", include("npp.web.cases.urls")),
    path("law/", include("npp.web.lawpages.urls")),
    path("training/", include("npp.web.training.urls")),
    path("api/v1/", include("npp.web.api.urls")),
    path("", include("npp.web.monitoring.urls")),
    path("", include("npp.web.notices.urls")),
]

handler403 = "npp.web.views.error_403"
handler404 = "npp.web.views.error_404"
handler500 = "npp.web.views.error_500"
