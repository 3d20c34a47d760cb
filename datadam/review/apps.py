from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "datadam.review"
    label = "review"
    verbose_name = "Review"
