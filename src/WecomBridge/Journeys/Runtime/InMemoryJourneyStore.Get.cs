namespace WecomBridge.Journeys.Runtime;

internal sealed partial class InMemoryJourneyStore
{
    public Task<Enrolment?> GetAsync(Guid enrolmentId, CancellationToken ct = default)
    {
        lock (_gate) return Task.FromResult(_enrolments.GetValueOrDefault(enrolmentId));
    }
}
