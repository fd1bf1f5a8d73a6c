using System.Globalization;

namespace WecomBridge.Sending.Limits;

/// <summary>
/// The period a mass message counts in for a customer, in the corp's time zone, and its limit: WeCom
/// counts corp and member sends together and shows over-cap recipients as status 3, so the dispatcher
/// takes a cap before it creates a task and gives it back when the task fails.
/// </summary>
internal static class CustomerCaps
{
    /// <summary>The period's key (e.g. 2026-11, 2026-W48, 2026-11-23), its end and the limit.</summary>
    public static (string Key, DateTimeOffset Ends, int Limit) PeriodOf(DateTimeOffset now, SendPolicyOptions policy)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(policy.TimeZone);
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        var cap = policy.CustomerCap;
        var (key, next, defaultLimit) = cap.Period switch
        {
            CapPeriod.Day => (local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), local.Date.AddDays(1), 1),
            CapPeriod.Week => ($"{ISOWeek.GetYear(local)}-W{ISOWeek.GetWeekOfYear(local):00}",
                local.Date.AddDays(7 - ((int)local.DayOfWeek + 6) % 7), 7),
            _ => (local.ToString("yyyy-MM", CultureInfo.InvariantCulture), new DateTime(local.Year, local.Month, 1).AddMonths(1),
                DateTime.DaysInMonth(local.Year, local.Month)),
        };
        return (key, new DateTimeOffset(next, zone.GetUtcOffset(next)), cap.Limit ?? defaultLimit);
    }
}
