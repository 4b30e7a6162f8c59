from django.urls import path

from npp.web.notices import views

app_name = "notices"
urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("verify/trust.json", views.trust_json, name="trust-json"),
    path("verify/revocations.json", views.revocations_json, name="revocations-json"),
    path("verify/sw.js", views.service_worker, name="sw"),
    path("verify/issuers/", views.issuers, name="issuers"),
    path("notices/case/<str:reference>/", views.case_notices, name="case"),
    path("notices/case/<str:reference>/consent/", views.consent, name="consent"),
    path("notices/case/<str:reference>/consent/withdraw/", views.withdraw_consent, name="withdraw"),
    path("notices/case/<str:reference>/issue/", views.issue, name="issue"),
    path("notices/case/<str:reference>/attach/", views.attach, name="attach"),
    path("notices/case/<str:reference>/<str:jti>.json", views.notice_json, name="json"),
    path("notices/case/<str:reference>/<str:jti>.pdf", views.notice_pdf_view, name="pdf"),
    path("notices/case/<str:reference>/<str:jti>/revoke/", views.revoke, name="revoke"),
]
