"""URLs of the outcome pages, mounted at /outcomes/."""
from django.urls import path

from silkbridge.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("", views.index, name="list"),
    path("reports/programme/", views.programme_report, name="programme"),
    path("reports/forum/<slug:slug>/", views.forum_report, name="forum_report"),
    path("plotly.min.js", views.plotly_js, name="plotly_js"),
    path("import/", views.import_file, name="import"),
    path("import/jobs/<int:job_id>/", views.import_job, name="import_job"),
    path("import/jobs/<int:job_id>/rejects.csv", views.import_rejects, name="import_rejects"),
    path("<str:kind>/", views.record_list, name="records"),
    path("<str:kind>/new/", views.record_edit, name="create"),
    path("<str:kind>/<int:pk>/", views.record_detail, name="detail"),
    path("<str:kind>/<int:pk>/edit/", views.record_edit, name="edit"),
    path("<str:kind>/<int:pk>/delete/", views.record_delete, name="delete"),
]
