from django.urls import path

from silkbridge.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("organisations/import/", views.import_organisations, name="import"),
    path("organisations/import/jobs/<int:job_id>/", views.import_job, name="import_job"),
    path("organisations/import/jobs/<int:job_id>/rejected.csv", views.import_rejects, name="import_rejects"),
    path("organisations/<str:org_id>/", views.organisation_detail, name="detail"),
]
