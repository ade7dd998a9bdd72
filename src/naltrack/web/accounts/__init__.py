"""Clinics, people, roles, the permission layer and the audit trail."""
