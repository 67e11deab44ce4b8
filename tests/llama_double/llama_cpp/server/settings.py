"""Test double of llama_cpp.server.settings: the flags summarize passes, as pydantic models."""

from __future__ import annotations

from pydantic import BaseModel


class ServerSettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = 8000


class ModelSettings(BaseModel):
    model: str
    model_alias: str | None = None
    n_ctx: int = 2048
    seed: int = 0
    logits_all: bool = False
    n_threads: int = 1
    n_threads_batch: int = 1


class Settings(ServerSettings, ModelSettings):
    pass
