"""The ``octavia-maint`` command line: cliff commands over ``jobs/``."""
