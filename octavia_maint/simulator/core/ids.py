"""Identifiers and addresses from a seeded RNG, so a fleet is reproducible."""

import hashlib
import ipaddress
import uuid


class IdFactory:
    """UUIDs and MAC addresses drawn from one ``random.Random``."""

    def __init__(self, rng):
        self._rng = rng

    def uuid(self):
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def hex(self):
        return uuid.UUID(self.uuid()).hex

    def mac(self):
        return 'fa:16:3e:%02x:%02x:%02x' % tuple(
            self._rng.randrange(256) for _ in range(3))

    def secret(self):
        """A random key for tests (never logged)."""
        return hashlib.sha256(self.uuid().encode()).hexdigest()[:32]


class AddressPool:
    """Hands out the addresses of a network in order (enough for a fleet)."""

    def __init__(self, cidr):
        self._hosts = ipaddress.ip_network(cidr).hosts()

    def allocate(self):
        """:raises StopIteration: when the network is exhausted."""
        return str(next(self._hosts))
