using DbUp;
using Npgsql;

namespace WecomBridge.Pool.Schema;

/// <summary>
/// Creates and migrates the pool's tables (the numbered scripts beside this file, applied once each, in order, journaled
/// in pool.schema_versions) before anything else starts. Instances starting together take turns through a PostgreSQL
/// advisory lock: the first applies the scripts, the others then find nothing left to do.
/// </summary>
internal sealed partial class PoolSchema(string connectionString, ILogger<PoolSchema> logger) : IHostedLifecycleService
{
    public const string Name = "pool";

    /// <summary>The advisory lock's key ("WBPOOL01"): one per database, whatever else uses advisory locks there.</summary>
    private const long LockKey = 0x5742_504F_4F4C_3031;

    public Task StartingAsync(CancellationToken cancellationToken) => MigrateAsync(cancellationToken);

    public async Task MigrateAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({LockKey})", ct);
        try
        {
            await ExecuteAsync(connection, $"CREATE SCHEMA IF NOT EXISTS {Name}", ct);
            var upgrade = DeployChanges.To.PostgresqlDatabase(connectionString, Name)
                .WithScriptsEmbeddedInAssembly(typeof(PoolSchema).Assembly, n => n.Contains(".Pool.Schema.", StringComparison.Ordinal))
                .JournalToPostgresqlTable(Name, "schema_versions")
                .WithTransactionPerScript()
                .LogToNowhere()
                .Build();
            var result = await Task.Run(upgrade.PerformUpgrade, ct);
            if (!result.Successful)
                throw new InvalidOperationException($"Pool schema script {result.ErrorScript?.Name} failed", result.Error);
            Log.Migrated(logger, result.Scripts.Count(), string.Join(", ", result.Scripts.Select(s => s.Name)));
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(1800, LogLevel.Information, "Pool schema up to date ({Applied} scripts applied now: {Scripts})")]
        public static partial void Migrated(ILogger logger, int applied, string scripts);
    }
}
