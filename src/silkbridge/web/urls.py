"""URL map of the site."""
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from silkbridge.accounts.urls import site_patterns as account_patterns
from silkbridge.web.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    # Ours first: the password pages in the site's look take Django's URL names before its own.
    path("accounts/", include(account_patterns)),
    path("accounts/", include("django.contrib.auth.urls")),
    path("forums/", include("silkbridge.forums.selfservice_urls")),
    path("forums/", include("silkbridge.forums.urls")),
    path("outcomes/", include("silkbridge.outcomes.urls")),
    path("news/", include("silkbridge.news.urls")),
    path("", include("silkbridge.directory.urls")),
    prefix_default_language=False,
)
if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
