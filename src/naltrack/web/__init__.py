"""The naltrack web app (Django): accounts, care, api, and later learn, community, interop."""
