using Microsoft.Extensions.Options;

namespace WecomBridge.Journeys.Triggers;

/// <summary>
/// "Journeys:PendingTagLifetime": how long the tag ledger keeps the tags of a contact read whose enrolments failed
/// part-way (docs/journeys.md, "What enrols a contact"). Its redelivery finishes them; one that never comes leaves the
/// row, which the pool's retention pass deletes after this.
/// </summary>
public sealed class PendingTagOptions
{
    public const string Section = "Journeys";

    /// <summary>
    /// Longer than the redeliveries expected (a read parked in an _error queue that an operator moves back): a read
    /// redelivered after its row is gone enrols nobody into tagAdded journeys.
    /// </summary>
    public TimeSpan PendingTagLifetime { get; set; } = TimeSpan.FromDays(7);
}

internal sealed class PendingTagOptionsValidator : IValidateOptions<PendingTagOptions>
{
    public ValidateOptionsResult Validate(string? name, PendingTagOptions o) =>
        o.PendingTagLifetime < TimeSpan.FromHours(1) || o.PendingTagLifetime > TimeSpan.FromDays(365)
            ? ValidateOptionsResult.Fail("Journeys:PendingTagLifetime must be 1 hour–365 days")
            : ValidateOptionsResult.Success;
}
