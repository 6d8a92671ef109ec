"""WSGI entry point for a production server: `gunicorn exchange.web.wsgi:app`."""
from exchange.web.app import create_app

app = create_app(serving=True)
