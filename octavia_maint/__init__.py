"""octavia-maint: the Octavia Operator Maintenance Guide as durable
workflows."""
