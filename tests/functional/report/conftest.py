"""The engine tests' configuration and image fixtures serve here too."""

from tests.functional.engine.conftest import image_file  # noqa: F401
