"""The JSON API under /api/v1/ (django-ninja), through the same permission layer as the pages."""
