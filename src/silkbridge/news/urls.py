"""URLs of the news review queue, mounted at /news/."""
from django.urls import path

from silkbridge.news import views

app_name = "news"
urlpatterns = [
    path("", views.article_list, name="list"),
    path("upload/", views.upload, name="upload"),
    path("jobs/<int:job_id>/", views.job, name="job"),
    path("articles/<int:pk>/", views.article_detail, name="article"),
    path("candidates/<int:pk>/accept/", views.candidate_accept, name="accept"),
    path("candidates/<int:pk>/reject/", views.candidate_reject, name="reject"),
    path("candidates/<int:pk>/edit/", views.candidate_edit, name="edit"),
]
