#!/usr/bin/env bash
# The Redis store tests against a Redis Cluster of 3 masters and 3 replicas (scripts/test.sh --redis-cluster): every
# script and multi-key command must keep its keys in one slot there; with the Cluster and Sentinel failover drills
# (namespace WecomBridge.Tests.Cluster; the Sentinel drill starts its own master, replica and 3 Sentinels). Ends with "N passed, N failed" like test.sh.
# Extra arguments go to dotnet test after the filter below (not another --filter: dotnet test refuses two).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
stores="FullyQualifiedName~WecomBridge.Tests.Cluster"
for class in DeadLetters.DeadLetterStoreTests Enrichment.MemberVersionStoreTests Polling.MomentStateTests \
  RateLimits.ConcurrencySlotsTests RateLimits.DepartureTests RateLimits.RateLimiterTests Resync.ResyncStoreTests \
  Sending.Limits.SendPauseStoreTests Sending.Status.SendStatusStoreTests Sending.Suppression.SuppressionTests \
  Sending.Suppression.SuppressionOrderTests Sending.Suppression.TombstoneTests Sending.Errors.SendErrorStoreTests; do
  stores="$stores|FullyQualifiedName~WecomBridge.Tests.$class"
done
exec bash "$root/scripts/test.sh" --redis-cluster --filter "$stores" "$@"
