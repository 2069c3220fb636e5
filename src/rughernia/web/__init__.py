"""TALK: the web app and JSON API. ``create_app(settings)`` is in ``rughernia.web.app``."""
