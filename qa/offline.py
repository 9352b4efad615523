"""Keep the product offline: every library that would phone home is switched off before it is imported.

Each switch is the library's own: environment variables for Gradio, huggingface_hub and transformers.
OpenVINO's telemetry has no such switch (only a consent file in the user's home), so its module is
hidden, and OpenVINO falls back to the no-op stub it ships for installs without telemetry.
"""

from __future__ import annotations

import os
import sys

SWITCHES = {
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "DO_NOT_TRACK": "1",
}
HIDDEN_MODULES = ("openvino_telemetry",)


def stay_offline() -> None:
    """Set every switch, unless the user set it; hide the modules that have none."""
    for name, value in SWITCHES.items():
        os.environ.setdefault(name, value)
    for module in HIDDEN_MODULES:
        sys.modules.setdefault(module, None)
