"""Import URLs, mounted inside the wiki namespace under s/<space>/-/import/."""

from django.urls import path

from importers import views

space_patterns: list = [
    path("", views.import_start, name="import"),
    path("<int:job>/", views.import_job, name="import_job"),
    path("<int:job>/report.json", views.import_report, name="import_report"),
    path("<int:job>/again/", views.import_again, name="import_again"),
]
