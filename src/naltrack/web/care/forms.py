"""Care forms are added with the treatment-course capability."""
