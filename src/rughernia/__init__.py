"""Rughernia: the 'Rughernia' leaflet's care pathway as software."""

__version__ = "0.1.0"
