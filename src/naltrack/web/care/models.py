"""Care records (episodes, orders, doses, check-ins) are added by the treatment-course capability."""
