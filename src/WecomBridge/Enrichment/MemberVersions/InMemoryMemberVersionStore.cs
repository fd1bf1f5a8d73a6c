using System.Collections.Concurrent;

namespace WecomBridge.Enrichment.MemberVersions;

/// <summary>Embedded mode: one process; a corp has few enough chats to keep them all.</summary>
internal sealed class InMemoryMemberVersionStore : IMemberVersionStore
{
    private readonly ConcurrentDictionary<(string Corp, string ChatId), string> _versions = new();

    public Task<string?> GetAsync(string corp, string chatId) =>
        Task.FromResult(_versions.TryGetValue((corp, chatId), out var version) ? version : null);

    public Task SetAsync(string corp, string chatId, string memberVersion)
    {
        _versions[(corp, chatId)] = memberVersion;
        return Task.CompletedTask;
    }
}
