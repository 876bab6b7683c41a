"""`python -m faq`."""

from faq.cli import main

main()
