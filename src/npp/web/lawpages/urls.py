from django.urls import path

from npp.web.lawpages import views

app_name = "law"
urlpatterns = [
    path("", views.index, name="index"),
    path("matrix/", views.matrix_view, name="matrix"),
    path("instruments/", views.instruments, name="instruments"),
    path("instruments/<str:iid>/", views.instrument, name="instrument"),
    path("recommendations/", views.recommendations, name="recommendations"),
    path("search/", views.search, name="search"),
    path("cite/<str:cid>/", views.cite, name="cite"),
    path("<str:cc>/", views.state, name="state"),
]
