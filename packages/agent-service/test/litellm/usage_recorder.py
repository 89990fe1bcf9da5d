"""LiteLLM custom callback for the agentauth LiteLLM suite.

Loaded by the proxy from the generated config (`litellm_settings.callbacks`). For every call that
LiteLLM logged, it appends one JSON line with what LiteLLM attributed to it: the end user, the
requester's metadata, the model and the usage -- LiteLLM's own standard logging payload, so the
test reads LiteLLM's attribution, not the request it sent. No database is needed.
"""

import json
import os

from litellm.integrations.custom_logger import CustomLogger


class UsageRecorder(CustomLogger):
    def _write(self, kwargs, status):
        payload = kwargs.get("standard_logging_object") or {}
        metadata = payload.get("metadata") or {}
        line = {
            "status": status,
            "end_user": payload.get("end_user"),
            "requester_metadata": metadata.get("requester_metadata"),
            "model": payload.get("model_group") or payload.get("model"),
            "prompt_tokens": payload.get("prompt_tokens"),
            "completion_tokens": payload.get("completion_tokens"),
        }
        with open(os.environ["AGENTAUTH_LITELLM_LOG"], "a", encoding="utf-8") as out:
            out.write(json.dumps(line) + "\n")

    async def async_log_success_event(self, kwargs, response_obj, start_time, end_time):
        self._write(kwargs, "success")

    async def async_log_failure_event(self, kwargs, response_obj, start_time, end_time):
        self._write(kwargs, "failure")


recorder = UsageRecorder()
