#!/usr/bin/env bash
# The examples of docs/query-language.md run and print what the document
# says they print (tests/docs/doc_examples.py). After a change that alters an
# output on purpose: python3 tests/docs/doc_examples.py build/tiegraph . --update
# and read the diff.
# Usage: doc_examples.sh TIEGRAPH SOURCE_DIR
set -euo pipefail
exec python3 "$2/tests/docs/doc_examples.py" "$1" "$2"
