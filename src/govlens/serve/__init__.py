"""The web dashboard and REST API."""
