namespace WecomBridge.Tests.Observability;

/// <summary>
/// Tests that read the scrape endpoint run alone. Meters are process-wide and OpenTelemetry's reader merges the
/// same-named instruments of every host in the process into one stream, which it drops when any of those hosts
/// disposes its meter; a test host's scrape is only its own while no other host starts or stops beside it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public class MetricsCollection
{
    public const string Name = "metrics";
}
