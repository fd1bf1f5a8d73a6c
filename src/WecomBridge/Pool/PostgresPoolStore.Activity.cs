using Npgsql;
using WecomBridge.Pool.Activity;

namespace WecomBridge.Pool;

/// <summary>
/// Activity in PostgreSQL, in the transaction of the change: the last interaction (newer wins), the burst guard's count,
/// then the stage of each contact touched, whose changes go to pool.outbox with their events.
/// </summary>
internal sealed partial class PostgresPoolStore : IPoolActivityStore
{
    private ActivityRules Rules => rules ?? ActivityRules.Default;

    /// <summary>
    /// What <paramref name="change"/> means for activity, stages and the burst guard; true when it wrote events.
    /// <paramref name="writes"/>: the change's own statements, not run yet: they go in the same round trip as the
    /// burst guard's count and the facts the stages read (one round trip per event for all of them).
    /// </summary>
    private async Task<bool> ActivityAsync(NpgsqlConnection connection, NpgsqlTransaction tx, PoolChange change, CancellationToken ct,
        NpgsqlBatch? writes = null)
    {
        var outbox = new List<OutboxEvent>();
        (string? corp, string[] touched) = change switch
        {
            RelationAdded c => (c.Corp, new[] { c.ExternalUserId }),
            RelationDeleted c => (c.Corp, new[] { c.ExternalUserId }),
            ContactRead c => (c.Corp, new[] { c.ExternalUserId }),
            ChatMembersChanged { Joined: true } c => (c.Corp, c.MemberIds.Distinct().ToArray()),
            ContactInteraction c => (c.Corp, new[] { c.ExternalUserId }),
            _ => ((string?)null, Array.Empty<string>()),
        };
        // The last interaction: newer wins, equal keeps the first; only contacts the pool knows.
        (DateTimeOffset At, string Kind)? interaction = change switch
        {
            RelationAdded c => (c.At, InteractionKinds.Added),
            ContactRead { Relations.Count: > 0 } c => (c.Relations.Max(r => r.AddedAt), InteractionKinds.Added),
            ChatMembersChanged { Joined: true } c => (c.At, InteractionKinds.GroupJoin),
            ContactInteraction c => (c.At, c.Kind),
            _ => null,
        };
        var batch = writes ?? new NpgsqlBatch(connection, tx);
        List<ContactFacts> facts = [];
        (int Adds, DateTimeOffset? Started)? count = null;
        await using (batch)
        {
            var burst = change is RelationAdded { State: { } s } ? CountAdd(batch, (RelationAdded)change, s) : 0;
            switch (change)
            {
                case FollowerSubscription { Subscribed: true } c:
                    FollowerInteracted(batch, new FollowerInteraction(c.Account, c.OpenId, c.At, InteractionKinds.Subscribed));
                    break;
                case FollowerInteraction c: FollowerInteracted(batch, c); break;
            }
            if (corp is not null)
            {
                if (interaction is { } i)
                    Add(batch, """
                        UPDATE pool.contacts SET last_interaction_at = @at, last_interaction_kind = @kind
                        WHERE corp = @corp AND external_user_id = ANY(@exts) AND (last_interaction_at IS NULL OR last_interaction_at < @at)
                        """, ("corp", corp), ("exts", touched), ("at", i.At), ("kind", i.Kind));
                AddFacts(batch, "c.corp = @corp AND c.external_user_id = ANY(@exts) ORDER BY c.external_user_id",
                    [("corp", corp), ("exts", touched)]);
            }
            if (batch.BatchCommands.Count == 0) return false;
            if (burst == 0 && corp is null) await batch.ExecuteNonQueryAsync(ct);
            else
            {
                await using var reader = await batch.ExecuteReaderAsync(ct);
                if (burst > 0)
                {
                    await reader.ReadAsync(ct);
                    count = (reader.GetInt32(0), Time(reader, 1));
                    await reader.NextResultAsync(ct);
                }
                if (corp is not null) facts = await ReadFactsAsync(reader, ct);
            }
            if (count is { } n && n.Adds > burst)
                await BurstAsync(connection, tx, (RelationAdded)change, burst, n.Adds, n.Started, outbox, ct);
        }
        await RestageAsync(connection, tx, facts, Rules.Time.GetUtcNow(), outbox, ct);
        return outbox.Count > 0;
    }

    /// <summary>A message, click or scan comes only from a follower: one not seen yet is subscribed as of the interaction.</summary>
    private static void FollowerInteracted(NpgsqlBatch batch, FollowerInteraction i) => Add(batch, """
        INSERT INTO pool.followers AS f (account, open_id, subscribed, first_seen_at, changed_at, last_interaction_at, last_interaction_kind)
        VALUES (@account, @open, true, @at, @at, @at, @kind)
        ON CONFLICT (account, open_id) DO UPDATE
        SET last_interaction_at = excluded.last_interaction_at, last_interaction_kind = excluded.last_interaction_kind
        WHERE f.last_interaction_at IS NULL OR f.last_interaction_at < excluded.last_interaction_at
        """, ("account", i.Account), ("open", i.OpenId), ("at", i.At), ("kind", i.Kind));

    /// <summary>The facts the stage rules read, the contacts locked (FOR UPDATE) so that two changes never both move one.</summary>
    private static async Task<List<ContactFacts>> FactsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string where,
        CancellationToken ct, (string, object?)[] parameters)
    {
        await using var batch = new NpgsqlBatch(connection, tx);
        AddFacts(batch, where, parameters);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        return await ReadFactsAsync(reader, ct);
    }

    private static void AddFacts(NpgsqlBatch batch, string where, (string, object?)[] parameters) => Add(batch, $"""
        SELECT c.corp, c.external_user_id, c.first_seen_at, c.last_interaction_at, c.stage, a.total, a.active, a.first_added
        FROM pool.contacts c CROSS JOIN LATERAL (
            SELECT count(*)::int AS total, (count(*) FILTER (WHERE r.deleted_at IS NULL))::int AS active, min(r.added_at) AS first_added
            FROM pool.follow_relations r WHERE r.corp = c.corp AND r.external_user_id = c.external_user_id) a
        WHERE {where}
        FOR UPDATE OF c
        """, parameters);

    private static async Task<List<ContactFacts>> ReadFactsAsync(NpgsqlDataReader reader, CancellationToken ct)
    {
        var facts = new List<ContactFacts>();
        while (await reader.ReadAsync(ct))
            facts.Add(new ContactFacts(reader.GetString(0), reader.GetString(1), Time(reader, 2)!.Value, Time(reader, 3), reader.GetString(4),
                reader.GetInt32(5), reader.GetInt32(6), Time(reader, 7)));
        return facts;
    }

    /// <summary>The stages that change and every event of <paramref name="outbox"/> (with theirs), in one round trip.</summary>
    private async Task RestageAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<ContactFacts> facts, DateTimeOffset now,
        List<OutboxEvent> outbox, CancellationToken ct)
    {
        var batch = new NpgsqlBatch(connection, tx);
        await using (batch)
        {
            foreach (var f in facts)
            {
                var stage = Rules.Evaluate(f, now);
                if (stage == f.Stage) continue;
                Add(batch, "UPDATE pool.contacts SET stage = @stage, stage_changed_at = @now WHERE corp = @corp AND external_user_id = @ext",
                    ("stage", stage), ("now", now), ("corp", f.Corp), ("ext", f.ExternalUserId));
                outbox.Add(ActivityEvents.StageChanged(f, stage, now));
            }
            foreach (var e in outbox)
                Add(batch, "INSERT INTO pool.outbox (event_id, type, body, created_at) VALUES (@id, @type, @body, @at) ON CONFLICT DO NOTHING",
                    ("id", e.EventId), ("type", e.Type), ("body", e.Body), ("at", e.CreatedAt));
            if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync(ct);
        }
    }
}
