"""The simulator's own control plane under ``/_sim`` (no token needed).

Kept apart from the emulated APIs, as moto keeps ``/moto-api``: counters,
the audit log, reset, fault injection, heartbeat keys, the deployed CA,
time and transition durations, a stand-in for edits of Octavia's database,
and Nova servers for the amphorae of a real Octavia beside it.
"""
