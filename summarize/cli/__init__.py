"""The `summarize` command line."""


def main() -> None:
    from summarize.cli.app import app

    app()
