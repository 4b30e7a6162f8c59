from django.urls import path

from npp.web.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("referrals/", views.referral_list, name="referrals"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics.csv", views.statistics_csv, name="statistics-csv"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/person/", views.person, name="person"),
    path("<str:reference>/decision/", views.decision, name="decision"),
    path("<str:reference>/answer/", views.answer, name="answer"),
    path("<str:reference>/stage/", views.advance, name="stage"),
    path("<str:reference>/refer/", views.refer, name="refer"),
    path("<str:reference>/referrals/<int:pk>/", views.referral_update, name="referral"),
    path("<str:reference>/history/", views.history, name="history"),
    path("<str:reference>/record.pdf", views.record_pdf, name="pdf"),
]
