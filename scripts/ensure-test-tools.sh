#!/usr/bin/env bash
# Independent Kafka clients for the wire-format tests (test/integration/kafka-*.test.ts):
# Debian's kcat and Debian's Python 3 with confluent-kafka (librdkafka) and avro.
# They share no code with stockstreamer, so what they decode proves the bytes on the
# topic are Confluent's wire format, not just "whatever our serde reads back".
# Idempotent: does nothing when everything is already there.
#   scripts/ensure-test-tools.sh [--check]    --check only reports, exit 1 when missing
set -euo pipefail

# Debian's python3 (not a pyenv/venv one first on PATH): that is where python3-* go.
PY=/usr/bin/python3

have_all() {
  command -v kcat >/dev/null 2>&1 \
    && [ -x "$PY" ] \
    && "$PY" -c 'import confluent_kafka, avro.schema, avro.io' >/dev/null 2>&1
}

if have_all; then
  exit 0
fi
if [ "${1:-}" = "--check" ]; then
  echo "ensure-test-tools: missing kcat or $PY with confluent_kafka/avro (run scripts/ensure-test-tools.sh)" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "ensure-test-tools: kcat/python3-confluent-kafka/python3-avro are missing and installing them needs root" >&2
    exit 1
  fi
fi
echo "ensure-test-tools: installing kcat, python3-confluent-kafka, python3-avro (apt-get)"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends kcat python3 python3-confluent-kafka python3-avro >/dev/null
have_all || { echo "ensure-test-tools: apt-get finished but the tools are still missing" >&2; exit 1; }
echo "ensure-test-tools: $(kcat -V 2>/dev/null | head -n 1); python confluent_kafka $("$PY" -c 'import confluent_kafka; print(confluent_kafka.version()[0], "librdkafka", confluent_kafka.libversion()[0])')"
