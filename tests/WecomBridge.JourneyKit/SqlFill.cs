using System.Diagnostics;
using Npgsql;

namespace WecomBridge.JourneyKit;

/// <summary>
/// A fill written set-based in SQL (the journey fill here, the pool fill of the benchmark): its statements in order on
/// one connection, each with every parameter (a statement ignores those it does not name) and no command timeout, as a
/// fill of millions of rows takes minutes.
/// </summary>
internal static class SqlFill
{
    /// <summary>Runs <paramref name="statements"/> with <paramref name="parameters"/>; the seconds it took.</summary>
    public static async Task<double> RunAsync(string connectionString, IEnumerable<string> statements,
        IReadOnlyDictionary<string, object> parameters)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
            foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
            await command.ExecuteNonQueryAsync();
        }
        return clock.Elapsed.TotalSeconds;
    }
}
