using WecomBridge.Messaging;

namespace WecomBridge.DeadLetters;

/// <summary>
/// Publishes the audit event of an operator's action on what the bridge set aside (dead letters, the spool's
/// quarantine). The action is already durable: a broker that is away only costs the audit event, which is logged.
/// </summary>
internal static partial class OperatorAudit
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    public static async Task PublishAsync<T>(IMessagePublisher publisher, ILogger logger, string auditId, T audit, string subject)
        where T : class
    {
        try
        {
            await publisher.PublishAsync(typeof(T), auditId, EventJson.Serialize(audit), CancellationToken.None).WaitAsync(Bound);
        }
        catch (Exception e)
        {
            Log.AuditFailed(logger, typeof(T).Name, subject, e.GetType().Name);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(12, LogLevel.Error, "Audit event {Type} for {Id} not published ({Error}); the action stands")]
        public static partial void AuditFailed(ILogger logger, string type, string id, string error);
    }
}
