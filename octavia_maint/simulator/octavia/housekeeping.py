"""Octavia's certificate rotation housekeeping.

Every ``cert_interval`` it asks the amphora repository for amphorae whose
certificate expires within ``cert_expiry_buffer``, marks them
``cert_busy``, and after the ``cert_rotation`` transition gives them a new
``cert_expiration`` (now + ``cert_validity_time``) and clears the flag. It
queries the repository instead of scheduling per amphora so that an edit of
``cert_expiration`` behind the API (Octavia's database) is picked up too.
"""

import logging

LOG = logging.getLogger(__name__)


class CertHousekeeping:
    """The periodic certificate rotation task."""

    def __init__(self, clock, events, transitions, amphorae, settings,
                 stats):
        self._clock = clock
        self._stats = stats
        self._events = events
        self._transitions = transitions
        self._amphorae = amphorae
        self._settings = settings

    def start(self):
        self._events.call_later(self._settings.cert_interval, self._run)

    def _run(self):
        threshold = self._clock.now() + self._settings.cert_expiry_buffer
        expiring = self._amphorae.cert_expiring(threshold)
        for amphora in expiring:
            self._amphorae.update(amphora.id, cert_busy=True)
            self._transitions.schedule('cert_rotation', self._rotated,
                                       amphora.id)
        if expiring:
            LOG.debug("Housekeeping rotates %d amphora certificates",
                      len(expiring))
        self.start()

    def _rotated(self, amphora_id):
        if self._amphorae.get(amphora_id) is None:
            return  # failed over meanwhile; the new one has a new cert
        now = self._clock.now()
        self._amphorae.update(
            amphora_id, cert_busy=False, updated_at=now,
            cert_expiration=now + self._settings.cert_validity_time)
        self._stats.cert_rotated(amphora_id)
