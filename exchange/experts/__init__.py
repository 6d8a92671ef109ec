"""The S&T expert database."""
