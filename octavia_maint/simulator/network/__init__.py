"""Neutron, as far as clients need it to exist: a catalog entry and versions.

The octavia CLI plugin builds an openstacksdk network proxy for every
``loadbalancer`` command (to resolve VIP network names), which needs a
``network`` endpoint that answers version discovery. No Neutron resource
is modelled; every other path is a 404 in Neutron's error format.
"""
