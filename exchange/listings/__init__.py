"""Listings: validation of the import record, import, and the listing services."""
