"""Test double of llama_cpp.server.cli: one string flag per settings field."""

from __future__ import annotations

import argparse

from pydantic import BaseModel


def add_args_from_model(parser: argparse.ArgumentParser, model: type[BaseModel]) -> None:
    for name in model.model_fields:
        parser.add_argument(f"--{name}", type=str, default=None)
