"""The bundled cloud simulator: Keystone, Octavia, Nova and Glance over HTTP.

A standalone layer (it imports nothing else of octavia_maint) so that the
product, its tests and its demo can run against a cloud that behaves like
the real one on the wire, with a fleet model, timed transitions and fault
injection. Start it with ``octavia-maint-simulator`` or, from Python, with
:class:`octavia_maint.simulator.server.Simulator`.
"""
