"""Care models register with naltrack.web.accounts.admin.site as they are added."""
