"""Notifications: in-app messages of a closed set of kinds, and the mails that carry them."""
