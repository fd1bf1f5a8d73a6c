using WecomBridge.Contracts.GroupChats;
using WecomBridge.Enrichment.MemberVersions;
using WecomBridge.Messaging;
using WecomBridge.WeCom;

namespace WecomBridge.Enrichment;

/// <summary>
/// Reads a group chat after it was created or updated: externalcontact/groupchat/get → <see cref="GroupChatSnapshotPublished"/>,
/// then the chat's member_version is stored. An update whose LastMemberVersion differs from the stored version
/// means a change event was lost: the snapshot (a full re-read) is flagged as a gap re-read.
/// </summary>
internal sealed class GroupChatEnricher(WeComClient weCom, WeComCredentials credentials, IMemberVersionStore versions,
    IMessagePublisher events, TimeProvider time, ILogger<GroupChatEnricher> logger)
{
    public async Task EnrichAsync(SourceEvent source, string chatId, string? lastMemberVersion, CancellationToken ct)
    {
        var stored = await versions.GetAsync(source.Corp, chatId);
        var gap = lastMemberVersion is not null && stored is not null && stored != lastMemberVersion;
        if (gap) EnrichmentLog.MemberVersionGap(logger, source.Corp, chatId, stored!, lastMemberVersion!, source.EventId);

        if (await CorpRead.TryAsync(source, credentials, logger, who => weCom.GetGroupChatAsync(who, chatId, ct)) is not { } chat) return;
        var eventId = source.SnapshotIdFor(nameof(GroupChatSnapshotPublished));
        var snapshot = new GroupChatSnapshotPublished(eventId, source.Corp, source.App, source.CorpId, source.OccurredAt,
            source.ReceivedAt, time.GetUtcNow(), source.Name, source.EventId, chat.ChatId, chat.Name, chat.Owner,
            Snapshots.Time(chat.CreateTime), chat.Notice, (chat.MemberList ?? []).Select(Snapshots.Member).ToArray(),
            (chat.AdminList ?? []).Select(a => a.UserId).ToArray(), chat.MemberVersion, gap, gap ? stored : null);
        await events.PublishSnapshotAsync(snapshot, eventId, source.Name, source.EventId, logger, ct);
        // Stored only once published: a redelivery after a failed publish sees the same gap again.
        if (chat.MemberVersion is { Length: > 0 } version) await versions.SetAsync(source.Corp, chatId, version);
    }
}
