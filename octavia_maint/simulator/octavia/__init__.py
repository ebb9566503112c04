"""Octavia v2: load balancers, amphorae, failover, health manager, housekeeping."""
