"""URLs of the account pages, mounted at /accounts/ beside Django's login and password pages."""
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from silkbridge.accounts import forms, views

app_name = "accounts"
urlpatterns = [
    path("welcome/<uidb64>/<token>/", views.welcome, name="welcome"),
    path("sign-up/", views.sign_up, name="sign_up"),
    path("me/", views.home, name="home"),
    path("me/tokens/", views.create_token, name="create_token"),
    path("me/tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
    path("me/organisations/new/", views.new_organisation, name="new_organisation"),
    path("me/organisations/represent/", views.represent, name="represent"),
    path("me/organisations/requests/<int:pk>/", views.decide, name="decide"),
    path("me/organisations/<str:org_id>/profile/", views.profile, name="profile"),
    path("me/export.json", views.export, name="export"),
    path("me/delete/", views.delete, name="delete"),
]

# Django's password reset, in the site's own look; these keep Django's URL names (no namespace).
password_patterns = [
    path("password_reset/", auth_views.PasswordResetView.as_view(
        template_name="accounts/password_reset_form.html", form_class=forms.ResetForm,
        email_template_name="accounts/email/password_reset_body.txt",
        subject_template_name="accounts/email/password_reset_subject.txt"), name="password_reset"),
    path("password_reset/done/", auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/password_reset_done.html"), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html", post_reset_login=True,
        post_reset_login_backend="django.contrib.auth.backends.ModelBackend",
        success_url=reverse_lazy("accounts:home")), name="password_reset_confirm"),
    path("password_change/", auth_views.PasswordChangeView.as_view(
        template_name="accounts/password_change.html", success_url=reverse_lazy("accounts:home")),
        name="password_change"),
]

site_patterns = [path("", include((urlpatterns, "accounts"))), *password_patterns]
