using Microsoft.Extensions.Options;
using WecomBridge.Messaging;

namespace WecomBridge.Pool;

/// <summary>"Pool": the contact pool the dispatcher projects from the bridge's events (docs/pool.md).</summary>
public sealed class PoolOptions
{
    public const string Section = "Pool";
    public const string EnabledKey = Section + ":Enabled";

    /// <summary>
    /// Whether this dispatcher runs the pool's consumers and API. Unset: on when ConnectionStrings:Postgres is set, and in
    /// the embedded mode (no RabbitMQ: one process, the pool in memory); off with RabbitMQ and no PostgreSQL, where each
    /// dispatcher's memory would hold only the share of the events its queues gave it.
    /// </summary>
    public bool? Enabled { get; set; }
    /// <summary>Keep contacts' names (personal data): off by default.</summary>
    public bool StoreNames { get; set; }
    /// <summary>Keep the remarks members and Official Accounts put on contacts and followers (personal data): off by default.</summary>
    public bool StoreRemarks { get; set; }
    /// <summary>Events each pool queue applies at once (each is one short transaction).</summary>
    public int ConcurrentMessageLimit { get; set; } = 8;
    /// <summary>Largest page GET /api/v1/pool/{corp}/contacts returns (its `limit`).</summary>
    public int MaxPageSize { get; set; } = 1000;

    public static bool UsesPostgres(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration.GetConnectionString("Postgres"));

    public static bool IsEnabled(IConfiguration configuration) =>
        configuration.GetValue<bool?>(EnabledKey) ?? (UsesPostgres(configuration) || !configuration.UsesRabbitMq());
}

internal sealed class PoolOptionsValidator(IConfiguration configuration) : IValidateOptions<PoolOptions>
{
    public ValidateOptionsResult Validate(string? name, PoolOptions options)
    {
        var errors = new List<string>();
        if (options.Enabled == true && configuration.UsesRabbitMq() && !PoolOptions.UsesPostgres(configuration))
            errors.Add("Pool:Enabled is true with RabbitMQ but ConnectionStrings:Postgres is not set: "
                + "the dispatchers of a deployment share the pool in PostgreSQL");
        if (options.ConcurrentMessageLimit is < 1 or > 256) errors.Add("Pool:ConcurrentMessageLimit must be 1–256");
        if (options.MaxPageSize is < 1 or > 10_000) errors.Add("Pool:MaxPageSize must be 1–10000");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
