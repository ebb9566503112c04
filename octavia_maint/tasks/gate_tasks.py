"""Gates: steps the operator does outside the cloud API.

Some procedures need a human in the middle (deploy a key, restart the
health managers). The flow waits at a named gate until the operator runs
``octavia-maint job continue ID``; ``job show`` says what it waits for.
"""

from octavia_maint.tasks import base


class WaitForOperator(base.BaseTask):
    """Wait until the operator released this gate of the job.

    Safe to run again: released gates are saved with the job, so after a
    crash the re-run returns at once if the operator already continued,
    and waits again otherwise. Nothing to revert: waiting changes nothing
    in the cloud. A cancel while waiting reverts the job's earlier steps
    as usual.
    """

    def execute(self, gate, instructions):
        self.job.wait_at_gate(gate, instructions)
