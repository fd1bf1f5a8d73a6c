using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using WecomBridge.Sending.Status;

namespace WecomBridge.Tests.Sending.Dispatcher;

/// <summary>
/// The dispatcher's status store with a Redis failover played on one message: its first call mark is stored but its
/// reply is lost (the connection drops), and the next <paramref name="failedSaves"/> saves of it fail before reaching
/// Redis (the new master is not reachable yet). Everything else goes through.
/// </summary>
internal sealed class LostReplyStatusStore(ISendStatusStore inner, string messageId, int failedSaves) : ISendStatusStore
{
    private int _marks;
    private int _saves;

    public int FailedSaves => Math.Min(_saves, failedSaves);

    /// <summary>Puts a lost-reply store around the app's own.</summary>
    public static Action<IServiceCollection> Around(string messageId, int failedSaves, Action<LostReplyStatusStore> seen) => services =>
    {
        var original = services.Last(d => d.ServiceType == typeof(ISendStatusStore));
        services.Remove(original);
        services.AddSingleton<ISendStatusStore>(sp =>
        {
            var store = new LostReplyStatusStore((ISendStatusStore)original.ImplementationFactory!(sp), messageId, failedSaves);
            seen(store);
            return store;
        });
    };

    public async Task<CallMark> MarkCallAsync(string id, string owner, DateTimeOffset now, TimeSpan? repeatWindow)
    {
        var mark = await inner.MarkCallAsync(id, owner, now, repeatWindow);
        if (id == messageId && Interlocked.Increment(ref _marks) == 1)
            throw new RedisConnectionException(ConnectionFailureType.SocketClosed, "the master died before its reply");
        return mark;
    }

    public Task<bool> SaveAsync(SendStatus status) =>
        status.MessageId == messageId && Interlocked.Increment(ref _saves) <= failedSaves
            ? throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "no master for the slot yet")
            : inner.SaveAsync(status);

    public Task<AcceptResult> AcceptAsync(SendStatus status, string? idempotencyKey, string requestHash, TimeSpan keyLifetime,
        TimeSpan requeueHold = default) => inner.AcceptAsync(status, idempotencyKey, requestHash, keyLifetime, requeueHold);

    public Task<bool> TakeRequeueAsync(SendStatus status, string expectedState, TimeSpan hold) => inner.TakeRequeueAsync(status, expectedState, hold);
    public Task<SendStatus?> GetAsync(string id) => inner.GetAsync(id);

    public Task<ClaimResult> ClaimAsync(string id, SendStatus ifMissing, DateTimeOffset now, TimeSpan lease, TimeSpan? repeatWindow) =>
        inner.ClaimAsync(id, ifMissing, now, lease, repeatWindow);

    public Task<bool> SaveIfAsync(SendStatus status, string expectedState) => inner.SaveIfAsync(status, expectedState);
    public Task<bool> SettleAsync(SendStatus settled, SendStatus seen) => inner.SettleAsync(settled, seen);
    public Task<IReadOnlyList<string>> ListOpenAsync(string state, DateTimeOffset dueBy, int limit) => inner.ListOpenAsync(state, dueBy, limit);
    public Task ForgetOpenAsync(string id) => inner.ForgetOpenAsync(id);
}
