using System.Text.RegularExpressions;

namespace WecomBridge.Tests.RabbitMqCluster;

/// <summary>
/// Where the copies of a drill's callbacks on its tap queue came from. Deliveries the broker flagged as redelivered
/// (or counted in x-delivery-count) are the queue's own repeats to a consumer that did not acknowledge them; the rest
/// are publishes. An event the gateway published without spooling it went out once (its publisher neither recovers nor
/// retries), so a second publish of it is the broker's; one it spooled may also have gone out again from the forwarder,
/// whose attempts the gateway logs per event at Debug (SpoolForwarder events 24–27).
/// </summary>
internal sealed partial record DrillCopies(
    int Distinct, int Deliveries, int Redelivered, int PublishedCopies, int DirectCopies, int SpooledCopies,
    int Spooled, int ForwardsConfirmed, int ForwardsLate, int ForwardsFailed, int DroppedConfirmedLate)
{
    /// <summary>Deliveries beyond one per event.</summary>
    public int Copies => Deliveries - Distinct;

    public static DrillCopies Count(IReadOnlyList<TapDelivery> mine, string gatewayLog)
    {
        var spooled = Ids(SpooledLine(), gatewayLog).ToHashSet();
        var forwards = ForwardLine().Matches(gatewayLog).Select(m => m.Groups["outcome"].Value).ToList();
        var published = mine.Where(d => !d.Redelivered && d.DeliveryCount == 0).GroupBy(d => d.EventId)
            .Select(g => (Id: g.Key, Copies: g.Count() - 1)).ToList();
        return new DrillCopies(
            Distinct: mine.Select(d => d.EventId).Distinct().Count(),
            Deliveries: mine.Count,
            Redelivered: mine.Count(d => d.Redelivered || d.DeliveryCount > 0),
            PublishedCopies: published.Sum(p => p.Copies),
            DirectCopies: published.Where(p => !spooled.Contains(p.Id)).Sum(p => p.Copies),
            SpooledCopies: published.Where(p => spooled.Contains(p.Id)).Sum(p => p.Copies),
            Spooled: spooled.Count,
            ForwardsConfirmed: forwards.Count(o => o == "confirmed"),
            ForwardsLate: forwards.Count(o => o == "no"),
            ForwardsFailed: forwards.Count(o => o == "failed"),
            DroppedConfirmedLate: Ids(DroppedLine(), gatewayLog).Count());
    }

    public override string ToString() =>
        $"{Distinct} distinct in {Deliveries} deliveries ({Copies} copies: {Redelivered} flagged redelivered, {PublishedCopies} published again: "
        + $"{DirectCopies} of events never spooled, {SpooledCopies} of spooled ones); {Spooled} spooled, forwarder: {ForwardsConfirmed} confirmed, "
        + $"{ForwardsLate} late, {ForwardsFailed} failed, {DroppedConfirmedLate} dropped as confirmed late";

    private static IEnumerable<string> Ids(Regex line, string log) => line.Matches(log).Select(m => m.Groups["id"].Value);

    [GeneratedRegex(@"Event (?<id>\S+) spooled: ")]
    private static partial Regex SpooledLine();

    [GeneratedRegex(@"Spooled event (?<id>\S+) forwarded: (?<outcome>\w+)")]
    private static partial Regex ForwardLine();

    [GeneratedRegex(@"Spooled event (?<id>\S+) dropped: ")]
    private static partial Regex DroppedLine();
}
