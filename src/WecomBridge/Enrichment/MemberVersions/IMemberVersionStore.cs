namespace WecomBridge.Enrichment.MemberVersions;

/// <summary>
/// The member_version last read for each group chat (by corp key and chat id), to notice a lost change event:
/// Redis (shared by every gateway instance) or in memory (embedded mode).
/// </summary>
internal interface IMemberVersionStore
{
    Task<string?> GetAsync(string corp, string chatId);
    Task SetAsync(string corp, string chatId, string memberVersion);
}
