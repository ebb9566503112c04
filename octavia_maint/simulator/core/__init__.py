"""The simulator's shared core: HTTP, routing, errors, time, faults, counters.

Nothing here knows any OpenStack service; the service packages declare
routes and error formats as data and the core runs them.
"""
