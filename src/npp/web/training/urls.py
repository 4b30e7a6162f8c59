from django.urls import path

from npp.web.training import views

app_name = "training"
urlpatterns = [
    path("", views.index, name="index"),
    path("workbook/", views.workbook, name="workbook"),
    path("sessions/new/", views.session_new, name="session_new"),
    path("sessions/<str:code>/", views.session, name="session"),
    path("sessions/<str:code>/reveal/", views.session_reveal, name="reveal"),
    path("join/", views.join, name="join"),
    path("join/<str:code>/", views.play, name="play"),
    path("join/<str:code>/<str:sid>/<str:qid>/", views.play_answer, name="play_answer"),
    path("<str:sid>/", views.scenario, name="scenario"),
    path("<str:sid>/reset/", views.reset, name="reset"),
    path("<str:sid>/<str:qid>/", views.answer, name="answer"),
]
