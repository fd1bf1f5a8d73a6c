using System.ComponentModel.DataAnnotations;
using WecomBridge.Api;

namespace WecomBridge.Resync;

/// <summary>
/// POST /api/v1/resync. Corp for contacts, group-chats and tags; account for followers. Contacts also need the
/// members whose customers to read (userIds): the bridge has no employee listing (user/list_id needs the
/// address-book secret), and the CRM knows its members.
/// </summary>
public sealed record ResyncRequest(string? Corp, string? Account, string? Scope, List<string?>? UserIds) : IValidatableObject
{
    public const int MaxUserIds = 10_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (!ResyncScopes.All.Contains(Scope))
        {
            yield return new($"scope must be one of {string.Join(", ", ResyncScopes.All)}.", ["scope"]);
            yield break;
        }
        var wecom = Scope != ResyncScopes.Followers;
        var (needed, other) = wecom ? (Corp, Account) : (Account, Corp);
        var (neededName, otherName) = wecom ? ("corp", "account") : ("account", "corp");
        if (!WeComIdAttribute.IsValid(needed, 64)) yield return new($"{neededName} is required for scope {Scope}: a configured key.", [neededName]);
        if (other is not null) yield return new($"{otherName} does not apply to scope {Scope}.", [otherName]);
        if (Scope == ResyncScopes.Contacts && UserIds is not { Count: > 0 })
            yield return new("userIds (the members whose customers to read) is required for scope contacts.", ["userIds"]);
        if (Scope != ResyncScopes.Contacts && UserIds is not null)
            yield return new("userIds applies to scope contacts only.", ["userIds"]);
        foreach (var error in IdLists.Check(UserIds, "userIds", MaxUserIds, 64)) yield return error;
    }
}

public static class ResyncScopes
{
    public const string Contacts = "contacts";
    public const string GroupChats = "group-chats";
    public const string Tags = "tags";
    public const string Followers = "followers";
    public static readonly string?[] All = [Contacts, GroupChats, Tags, Followers];
}
