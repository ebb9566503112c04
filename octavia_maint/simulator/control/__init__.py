"""The simulator's own control plane under ``/_sim`` (no token needed).

Kept apart from the emulated APIs, as moto keeps ``/moto-api``: counters,
the audit log, reset, fault injection, heartbeat keys, time and transition
durations, and a stand-in for edits of Octavia's database.
"""
