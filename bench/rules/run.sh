#!/usr/bin/env bash
# Rule-library benchmark (must-show 4): 1,000,000 persons (≈60 million
# contribution rows) in a DuckDB file, every built-in rule through
# internal/rules versus the same compiled SQL run directly.
# Flags pass through, e.g.: bash bench/rules/run.sh -persons 200000
set -euo pipefail
cd "$(dirname "$0")/../.."
exec go run ./bench/rules "$@"
