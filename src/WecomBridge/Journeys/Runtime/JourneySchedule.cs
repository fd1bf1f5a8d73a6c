namespace WecomBridge.Journeys.Runtime;

/// <summary>
/// When a step is due: its Delay after the enrolment; with At, the first At (local time of day in the corp's time zone,
/// Dispatch:Policy TimeZone) on or after that. A local time skipped by a daylight-saving change counts as the next valid one.
/// </summary>
internal static class JourneySchedule
{
    public static DateTimeOffset DueAt(JourneyStep step, DateTimeOffset enrolledAt, TimeZoneInfo zone)
    {
        var due = enrolledAt + step.Delay;
        if (step.At is not { } at) return due;
        var local = TimeZoneInfo.ConvertTime(due, zone);
        var candidate = local.Date + at.ToTimeSpan();
        if (candidate < local.DateTime) candidate = candidate.AddDays(1);
        while (zone.IsInvalidTime(candidate)) candidate = candidate.AddMinutes(1);
        return new DateTimeOffset(candidate, zone.GetUtcOffset(candidate)).ToUniversalTime();
    }

    /// <summary>The step at <paramref name="index"/> as a timer target (null past the last step); after a wait, its event and deadline.</summary>
    public static NextStep? Next(JourneyDefinition journey, int index, DateTimeOffset enrolledAt, TimeZoneInfo zone,
        string? waitingFor = null, DateTimeOffset? waitUntil = null) =>
        index < journey.Steps.Count
            ? new NextStep(index, journey.Steps[index].Id, DueAt(journey.Steps[index], enrolledAt, zone), waitingFor, waitUntil)
            : null;
}
