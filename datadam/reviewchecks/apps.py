from django.apps import AppConfig


class ReviewchecksConfig(AppConfig):
    name = "datadam.reviewchecks"
    label = "reviewchecks"
    verbose_name = "Reviewer checks"
