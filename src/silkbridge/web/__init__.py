"""The Django project: settings, URLs, WSGI/ASGI and the optional task queue."""
