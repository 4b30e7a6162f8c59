from django.urls import path

from npp.web.cases import interview_views as v

app_name = "assess"
urlpatterns = [
    path("", v.start, name="start"),
    path("restart/", v.restart, name="restart"),
    path("result/", v.result, name="result"),
    path("save/", v.save, name="save"),
    path("case/<str:reference>/", v.edit_case, name="edit-case"),
    path("<slug:key>/", v.step_view, name="step"),
]
