from django.apps import AppConfig


class DatasetsConfig(AppConfig):
    name = "datadam.datasets"
    label = "datasets"
    verbose_name = "Datasets"
