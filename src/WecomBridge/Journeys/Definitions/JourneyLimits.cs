namespace WecomBridge.Journeys.Definitions;

/// <summary>
/// Bounds of a journey definition (docs/journeys.md, "Limits"): whatever an operator sends, a journey stays cheap to
/// validate, store and run, and each bound is a 400 naming the field.
/// </summary>
internal static class JourneyLimits
{
    /// <summary>Journey and step ids: ASCII letters, digits, _ and -, starting with a letter or digit (they appear in URLs).</summary>
    public const int IdLength = 64;
    public const int NameLength = 100;
    public const int DescriptionLength = 1_000;
    public const int Steps = 50;
    /// <summary>Conditions of one step (each a segment filter with the segment filter's own bounds).</summary>
    public const int ConditionsPerStep = 10;
    public const int Exits = 10;
    /// <summary>The longest step delay and wait timeout: a journey ends within about a year of its enrolment.</summary>
    public static readonly TimeSpan LongestDelay = TimeSpan.FromDays(365);
    /// <summary>A wait's event kind: as the pool's interactions name them (lowercase token).</summary>
    public const int EventKindLength = 32;
    /// <summary>Request bodies of the definition endpoints: 50 steps of full-length texts and attachments fit.</summary>
    public const int BodyBytes = 512 * 1024;
    /// <summary>JSON nesting of a body; deeper bodies are refused before anything is read.</summary>
    public const int JsonDepth = 64;
    public const int JourneysPerCorp = 500;
    public const int VersionsPerJourney = 1_000;
}
