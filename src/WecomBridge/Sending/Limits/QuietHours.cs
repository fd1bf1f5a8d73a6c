namespace WecomBridge.Sending.Limits;

/// <summary>When a customer-facing send may go: now, or at the end of the corp's quiet hours.</summary>
internal static class QuietHours
{
    /// <summary>Null when <paramref name="now"/> is outside quiet hours; else the instant they end (UTC).</summary>
    public static DateTimeOffset? DeferUntil(DateTimeOffset now, SendPolicyOptions policy)
    {
        var quiet = policy.QuietHours;
        if (!quiet.Enabled) return null;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(policy.TimeZone);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var spansMidnight = quiet.Start > quiet.End;
        var inside = spansMidnight ? time >= quiet.Start || time < quiet.End : time >= quiet.Start && time < quiet.End;
        if (!inside) return null;
        var endDay = spansMidnight && time >= quiet.Start ? local.Date.AddDays(1) : local.Date;
        var endLocal = endDay + quiet.End.ToTimeSpan();
        return new DateTimeOffset(endLocal, zone.GetUtcOffset(endLocal)).ToUniversalTime();
    }
}
