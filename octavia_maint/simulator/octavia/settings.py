"""The Octavia deployment's configuration, as far as the simulator models it.

Names follow Octavia's options (``[controller_worker] amp_image_tag``,
``[health_manager] heartbeat_timeout`` and ``heartbeat_interval``,
``[house_keeping] cert_interval``
and ``cert_expiry_buffer``, ``[certificates] cert_validity_time``,
``[api_settings] pagination_max_limit``). The housekeeping interval
defaults to a minute rather than Octavia's hour so that simulated rotations
finish quickly.
"""

import dataclasses

DAY = 86400.0


@dataclasses.dataclass
class OctaviaSettings:
    service_project_id: str
    service_user_id: str
    amp_flavor: object
    amp_image_tag: str = 'amphora'
    amp_image_owner_id: str = ''
    lb_network_name: str = 'lb-mgmt-net'
    heartbeat_timeout: float = 60.0
    # How often amphorae send a heartbeat ([health_manager]
    # heartbeat_interval).
    heartbeat_interval: float = 10.0
    # How soon the health manager looks again at a stale amphora whose LB
    # is busy (Octavia's health_check_interval).
    health_check_interval: float = 3.0
    cert_interval: float = 60.0
    cert_expiry_buffer: float = 14 * DAY
    cert_validity_time: float = 30 * DAY
    pagination_max_limit: int = 1000
    # The CA the workers sign new amphorae's certificates with
    # ([certificates] ca_certificate): a label, never a key; an operator
    # deploys another with PUT /_sim/certificates.
    ca_id: str = 'ca-1'
