"""The base of every octavia-maint task.

Each step first asks the job context whether it may run at all: a
cancelled job raises :class:`JobCancelled` here, and the engine of a
cancelled job reverts what the job already did (jobs/runner.py; any
other failure stops the job without reverting); a conductor that lost
its claim raises :class:`ClaimLost` and leaves the job to the new
owner. That is how ``job cancel`` "stops before the next step" without
touching the engine.
"""

from taskflow import task

from octavia_maint.runtime import context


class BaseTask(task.Task):
    """A TaskFlow task that acts through the job's cloud facade."""

    @property
    def cloud(self):
        return context.current().cloud

    @property
    def job(self):
        return context.current()

    def pre_execute(self):
        context.current().check_active()
