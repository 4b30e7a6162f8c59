from django.urls import path

from npp.web.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views.code_view, name="code"),
    path("login/setup/", views.setup_view, name="setup"),
    path("logout/", views.logout_view, name="logout"),
]
