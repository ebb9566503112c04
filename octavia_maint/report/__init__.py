"""The fleet health report: the Operator Guide's *Monitoring* section.

Imports only ``cloud/`` (and ``common/``): it reads the cloud, never jobs.
"""
