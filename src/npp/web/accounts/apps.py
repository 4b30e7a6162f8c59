from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "npp.web.accounts"
    label = "accounts"
    verbose_name = "Accounts"
