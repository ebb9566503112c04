"""Nova v2.1: servers on hosts, compute services, microversions up to 2.79."""
