"""The cloud facade: the only code that talks to openstacksdk."""
