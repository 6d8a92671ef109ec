"""Flask-WTF forms of the pages (CSRF on every one); the services do the real validation."""
