#!/usr/bin/env bash
# The RabbitMQ cluster tests (namespace WecomBridge.Tests.RabbitMqCluster) against 3 RabbitMQ nodes on private ports
# (scripts/test.sh --rabbitmq-cluster): quorum queues, failover to another node, publisher confirms, the node-loss
# drill. Slower than the default run (the nodes take a while to start and the tests stop nodes); ends with
# "N passed, N failed" like test.sh. Extra arguments go to dotnet test after the filter below (not another --filter: dotnet test refuses two).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
exec bash "$root/scripts/test.sh" --rabbitmq-cluster --filter "FullyQualifiedName~WecomBridge.Tests.RabbitMqCluster" "$@"
