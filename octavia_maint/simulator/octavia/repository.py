"""Where amphora rows live, behind a small repository interface.

Octavia's operators (and our rotate-certs procedure) edit the ``amphora``
table directly, e.g. to set ``cert_expiration`` in the past. Today the rows
are in memory; moving them into a real SQL table with Octavia's column names
means replacing this class only: every read and write of amphora state in
the simulator goes through these methods, and callers treat the returned
objects as read-only snapshots (changes go through :meth:`update`).
"""


class AmphoraRepository:
    """Amphora rows by id, indexed by load balancer."""

    def __init__(self):
        self._rows = {}
        self._by_lb = {}

    def __len__(self):
        return len(self._rows)

    def add(self, amphora):
        self._rows[amphora.id] = amphora
        self._by_lb.setdefault(amphora.loadbalancer_id, {})[amphora.id] = None

    def get(self, amphora_id):
        """The amphora, or None when there is none (or it was deleted)."""
        return self._rows.get(amphora_id)

    def update(self, amphora_id, **changes):
        """Change columns of one row; :returns: the updated amphora."""
        amphora = self._rows[amphora_id]
        for column, value in changes.items():
            if not hasattr(amphora, column):
                raise AttributeError(column)
            setattr(amphora, column, value)
        return amphora

    def delete(self, amphora_id):
        """Remove a row (Octavia marks it DELETED, which the API hides)."""
        amphora = self._rows.pop(amphora_id)
        siblings = self._by_lb.get(amphora.loadbalancer_id, {})
        siblings.pop(amphora_id, None)
        if not siblings:
            self._by_lb.pop(amphora.loadbalancer_id, None)

    def all(self):
        return list(self._rows.values())

    def by_load_balancer(self, lb_id):
        return [self._rows[i] for i in self._by_lb.get(lb_id, ())]

    def cert_expiring(self, before):
        """Allocated amphorae whose certificate expires before ``before``
        and that are not already being rotated (housekeeping's query)."""
        return [a for a in self._rows.values()
                if a.cert_expiration < before and not a.cert_busy
                and a.status == 'ALLOCATED']
