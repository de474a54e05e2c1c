"""The personalised patient leaflet: view model, Jinja2 templates, WeasyPrint PDF."""
