"""The web application: create_app(), one blueprint per area, templates and static files."""
from exchange.web.app import create_app

__all__ = ["create_app"]
