"""`python -m annotator` behaves like the `annotator` command (no arguments opens the GUI)."""

from annotator.cli.app import main

if __name__ == "__main__":
    main()
