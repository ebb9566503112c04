"""What the cloud saw: counters for assertions and an audit log of changes.

Tests and benchmarks assert on these instead of on their own bookkeeping:
"every LB was failed over exactly once", "never more than 5 failovers at
once", "no call deleted a tenant VM".
"""

import collections
import itertools
import time


class Stats:
    """Request and failover counters.

    ``failovers_by_lb`` counts every failover the cloud performed on an LB:
    LB failovers and amphora failovers (API or automatic) alike;
    ``amphora_failovers_by_id`` counts amphora failovers by the id of the
    amphora that was replaced; ``automatic_failovers`` those the health
    manager started; ``amphora_configs_by_id`` agent configuration pushes
    (``PUT .../amphorae/{id}/config``). ``server_deletes_by_id`` counts
    every delete of a Nova server (by the API or Octavia's own), and
    ``service_disables_by_host``/``service_enables_by_host`` every status
    change a nova-compute service was asked for, repeated ones included;
    ``cert_rotations_by_amphora`` the certificates housekeeping renewed.
    ``failover_times`` holds the wall-clock start and end of every
    failover, for a benchmark to tell the gap between one failover ending
    and the next starting (the time the engine, not the cloud, takes).
    """

    def __init__(self):
        self.requests_total = 0
        self.injected_errors = 0
        self.failovers_by_lb = collections.Counter()
        self.amphora_failovers_by_id = collections.Counter()
        self.concurrent_failovers = 0
        self.peak_concurrent_failovers = 0
        self.automatic_failovers = 0
        self.failed_failovers = 0
        self.completed_failovers = 0
        self.amphora_configs_by_id = collections.Counter()
        self.server_deletes_by_id = collections.Counter()
        self.service_disables_by_host = collections.Counter()
        self.service_enables_by_host = collections.Counter()
        self.cert_rotations_by_amphora = collections.Counter()
        self.failover_times = {'started': [], 'ended': []}

    def service_status_changed(self, host, status):
        counter = (self.service_disables_by_host if status == 'disabled'
                   else self.service_enables_by_host)
        counter[host] += 1

    def cert_rotated(self, amphora_id):
        self.cert_rotations_by_amphora[amphora_id] += 1

    def failover_started(self, lb_id, amphora_id=None, automatic=False):
        self.failovers_by_lb[lb_id] += 1
        if amphora_id:
            self.amphora_failovers_by_id[amphora_id] += 1
        if automatic:
            self.automatic_failovers += 1
        self.concurrent_failovers += 1
        self.failover_times['started'].append(time.time())
        self.peak_concurrent_failovers = max(self.peak_concurrent_failovers,
                                             self.concurrent_failovers)

    def amphora_configured(self, amphora_id):
        self.amphora_configs_by_id[amphora_id] += 1

    def failover_finished(self, succeeded):
        self.concurrent_failovers -= 1
        self.failover_times['ended'].append(time.time())
        if succeeded:
            self.completed_failovers += 1
        else:
            self.failed_failovers += 1

    def to_dict(self):
        return {
            'requests_total': self.requests_total,
            'injected_errors': self.injected_errors,
            'failovers_total': sum(self.failovers_by_lb.values()),
            'failovers_by_lb': dict(self.failovers_by_lb),
            'amphora_failovers_by_id': dict(self.amphora_failovers_by_id),
            'concurrent_failovers': self.concurrent_failovers,
            'peak_concurrent_failovers': self.peak_concurrent_failovers,
            'automatic_failovers': self.automatic_failovers,
            'completed_failovers': self.completed_failovers,
            'failed_failovers': self.failed_failovers,
            'cert_rotations_by_amphora': dict(self.cert_rotations_by_amphora),
            'amphora_configs_total': sum(
                self.amphora_configs_by_id.values()),
            'amphora_configs_by_id': dict(self.amphora_configs_by_id),
            'server_deletes_by_id': dict(self.server_deletes_by_id),
            'service_disables_by_host': dict(self.service_disables_by_host),
            'service_enables_by_host': dict(self.service_enables_by_host),
            'failover_times': self.failover_times,
        }


class AuditLog:
    """Every mutating API call, oldest first, numbered to page on."""

    def __init__(self, maxlen=100000):
        self._entries = collections.deque(maxlen=maxlen)
        self._seq = itertools.count(1)

    def record(self, time, method, path, target_id, status):
        self._entries.append({'seq': next(self._seq), 'time': time,
                              'method': method, 'path': path,
                              'target_id': target_id, 'status': status})

    def entries(self, since=0):
        """Entries with a sequence number above ``since``."""
        return [dict(e) for e in self._entries if e['seq'] > since]
