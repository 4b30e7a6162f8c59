from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "npp.web.training"
    label = "training"
    verbose_name = "Training scenarios and group sessions"
