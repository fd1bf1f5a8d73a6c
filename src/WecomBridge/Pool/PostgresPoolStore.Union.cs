namespace WecomBridge.Pool;

/// <summary>The contacts that share a follower's unionid, through the index contacts_union_id.</summary>
internal sealed partial class PostgresPoolStore
{
    public async Task<IReadOnlyList<(string Corp, string ExternalUserId)>> ContactsOfUnionAsync(string unionId, int max,
        CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var c = Command(connection, """
            SELECT corp, external_user_id FROM pool.contacts WHERE union_id = @union ORDER BY corp, external_user_id LIMIT @max
            """, ("union", unionId), ("max", max));
        await using var reader = await c.ExecuteReaderAsync(ct);
        var found = new List<(string Corp, string ExternalUserId)>();
        while (await reader.ReadAsync(ct)) found.Add((reader.GetString(0), reader.GetString(1)));
        return found;
    }
}
