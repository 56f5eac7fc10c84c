"""The JSON API at /api/v1/: one NinjaAPI, each app adds its router."""
from ninja import NinjaAPI

from silkbridge.accounts.api import router as accounts_router
from silkbridge.directory.api import router as directory_router
from silkbridge.forums.api import router as forums_router
from silkbridge.forums.selfservice_api import router as my_forums_router
from silkbridge.matching.api import router as matching_router
from silkbridge.news.api import router as news_router
from silkbridge.outcomes.api import router as outcomes_router

api = NinjaAPI(title="silkbridge API", version="1", urls_namespace="api")
# Matches live under an organisation: /api/v1/organisations/{id}/matches.
api.add_router("/organisations", matching_router)
api.add_router("/organisations", directory_router)
api.add_router("/me", accounts_router)
api.add_router("/forums", forums_router)
api.add_router("/me", my_forums_router)
api.add_router("/outcomes", outcomes_router)
api.add_router("/news", news_router)
