namespace WecomBridge.Journeys.Runtime;

internal sealed partial class PostgresJourneyStore
{
    public async Task<Enrolment?> GetAsync(Guid enrolmentId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = Command(connection, null, $"SELECT {EnrolmentColumns} FROM journeys.enrolments e WHERE id = @id",
            ("id", enrolmentId));
        return (await ReadEnrolmentsAsync(command, ct)).FirstOrDefault();
    }
}
