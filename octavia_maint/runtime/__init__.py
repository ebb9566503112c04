"""What a running task may ask of the job and conductor that run it.

Tasks are built by flows at load time and know nothing of job boards; the
job runner (``jobs/``) installs a :class:`context.JobContext` around each
engine run, and tasks reach the cloud-wide failover throttle, the
campaign's circuit breaker and the cancel/claim checks through it.
"""
