"""Octavia v2: LBs, amphorae, failover, health manager, housekeeping."""
