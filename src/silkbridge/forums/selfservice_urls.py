"""URLs of the delegate's own forum pages, mounted at /forums/ beside the forum pages."""
from django.urls import path

from silkbridge.forums import selfservice_views as views

app_name = "forums_self"
urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("<slug:slug>/register-mine/", views.register, name="register"),
]
