"""URLs of the forum pages, mounted at /forums/."""
from django.urls import path

from silkbridge.forums import views

app_name = "forums"
urlpatterns = [
    path("", views.forum_list, name="list"),
    path("new/", views.create_forum, name="create"),
    path("<slug:slug>/", views.forum_detail, name="detail"),
    path("<slug:slug>/requests/", views.requests_page, name="requests"),
    path("<slug:slug>/requests/<int:pk>/", views.answer, name="answer"),
    path("<slug:slug>/availability/", views.availability, name="availability"),
    path("<slug:slug>/agenda/", views.agenda, name="my_agenda"),
    path("<slug:slug>/agenda/<str:org_id>/", views.agenda, name="agenda"),
    path("<slug:slug>/agenda/<str:org_id>/ics/", views.agenda_ics, name="agenda_ics"),
    path("<slug:slug>/agenda/<str:org_id>/print/", views.agenda_print, name="agenda_print"),
    path("<slug:slug>/manage/", views.manage, name="manage"),
    path("<slug:slug>/manage/schedule/", views.run_scheduler, name="run_scheduler"),
    path("<slug:slug>/manage/jobs/<int:job_id>/", views.job, name="job"),
    path("<slug:slug>/manage/publish/", views.publish, name="publish"),
    path("<slug:slug>/manage/meetings/<int:pk>/move/", views.move, name="move"),
    path("<slug:slug>/manage/meetings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<slug:slug>/manage/requests/<int:pk>/place/", views.place, name="place"),
    path("<slug:slug>/manage/participants/<int:pk>/", views.participant_action, name="participant"),
    path("<slug:slug>/manage/invite/", views.invite, name="invite"),
    path("<slug:slug>/manage/tables/", views.tables, name="tables"),
    path("<slug:slug>/manage/check-in/", views.checkin, name="checkin"),
    path("<slug:slug>/manage/export.<str:fmt>", views.export, name="export"),
    path("<slug:slug>/manage/setup/", views.edit_forum, name="edit"),
    path("<slug:slug>/manage/setup/hosts/", views.set_hosts, name="hosts"),
    path("<slug:slug>/manage/import/", views.import_people, name="import"),
    path("<slug:slug>/manage/imports/<int:job_id>/", views.import_job, name="import_job"),
    path("<slug:slug>/manage/imports/<int:job_id>/rejects.csv", views.import_rejects, name="import_rejects"),
]
