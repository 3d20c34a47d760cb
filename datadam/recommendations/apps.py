from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "datadam.recommendations"
    label = "recommendations"
    verbose_name = "Recommendations"
