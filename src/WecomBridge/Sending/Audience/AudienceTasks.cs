using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace WecomBridge.Sending.Audience;

/// <summary>
/// The message ids of the tasks an audience expands into: `{messageId}-a{page}-{sender hash}`, one per page and
/// member. The same page and member give the same id, so a task queued again by an expansion run again is claimed
/// once (<see cref="Status.ISendStatusStore.ClaimAsync"/>). Tasks are sends of their own: their status and events
/// carry these ids; their outcomes add up in the audience's progress.
/// </summary>
internal static partial class AudienceTasks
{
    public static string Id(string messageId, int page, string sender) =>
        $"{messageId}-a{page}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sender)))[..8]}";

    /// <summary>The message whose audience a task id belongs to; null for any other id.</summary>
    public static string? ParentOf(string messageId) =>
        messageId.Length > 12 && TaskId().Match(messageId) is { Success: true } m ? m.Groups[1].Value : null;

    // Linear in the id's length without a match timeout: a timeout on a busy machine threw from the send's result path.
    [GeneratedRegex("^(.+)-a[0-9]{1,9}-[0-9a-f]{8}$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex TaskId();
}
