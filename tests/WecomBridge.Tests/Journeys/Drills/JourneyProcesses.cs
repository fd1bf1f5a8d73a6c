using Npgsql;
using WecomBridge.Fakes;
using WecomBridge.Fakes.Data;
using WecomBridge.JourneyKit;
using WecomBridge.Journeys.Runtime;
using WecomBridge.Sending.Status;
using WecomBridge.Tests.Infrastructure;
using WecomBridge.Tests.Sending.Dispatcher;

namespace WecomBridge.Tests.Journeys.Drills;

/// <summary>
/// The app as real dispatcher processes running journeys (<see cref="GatewayProcess"/>): the pool and the journeys in
/// the drill's own PostgreSQL database, send status in the real Redis, commands and events on the real RabbitMQ under
/// the drill's own prefix, sends made to a WeCom fake that knows the filled contacts (<see cref="JourneyFill"/>).
/// </summary>
internal static class JourneyProcesses
{
    /// <summary>Settings of a dispatcher with the contact pool and the journey runner on <paramref name="postgres"/>.</summary>
    public static Dictionary<string, string?> Settings(string postgres, string prefix, WeComFake wecom, OfficialAccountFake oa,
        JourneyRuntimeOptions journeys, out string corp)
    {
        var settings = BridgeApp.WithServers();
        foreach (var (key, value) in DispatcherApp.Settings(wecom.BaseUrl, oa.BaseUrl, prefix)) settings[key] = value;
        foreach (var (key, value) in DispatcherApp.OwnKeys(out corp, out _)) settings[key] = value;
        settings["ConnectionStrings:Postgres"] = postgres;
        settings["Journeys:RunnerEnabled"] = "true";
        settings["Journeys:BatchSize"] = journeys.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Journeys:Lease"] = journeys.Lease.ToString("c");
        settings["Journeys:PollInterval"] = journeys.PollInterval.ToString("c");
        // A send whose dispatcher died mid-call is looked at again after this (then ambiguous): the drill waits for it.
        // Calls on a machine this busy may take seconds: the attempt's timeout and the lease leave them room.
        settings["Dispatch:SendLease"] = "00:00:20";
        settings["ApiClients:AttemptTimeout"] = "00:00:10";
        return settings;
    }

    /// <summary>The members and contacts of <see cref="JourneyFill"/> at the fake, so that each step's task is created there.</summary>
    public static void Seed(WeComFake wecom, int count)
    {
        for (var i = 0; i < Math.Min(count, JourneyFill.Members); i++)
            wecom.Data.Employees.Add(new Employee { UserId = JourneyFill.Member(i), Name = "Member " + i });
        for (var i = 0; i < count; i++)
            wecom.Data.ExternalContacts.Add(new ExternalContact
            {
                ExternalUserId = JourneyFill.Contact(i), Name = "Contact " + i, FollowUsers = { new FollowUser { UserId = JourneyFill.Member(i) } },
            });
    }

    /// <summary>Enrolments whose timer a runner of process <paramref name="pid"/> holds (the lease owner names the process).</summary>
    public static async Task<List<Guid>> HeldByAsync(string connectionString, int pid)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT enrolment_id FROM journeys.timers WHERE lease_owner LIKE @owner", connection);
        command.Parameters.AddWithValue("owner", $"%:{pid}:%");
        var held = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) held.Add(reader.GetGuid(0));
        return held;
    }

    /// <summary>Each recorded step: its enrolment's contact and its message id.</summary>
    public static async Task<Dictionary<string, string>> StepMessagesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT e.external_user_id, s.message_id FROM journeys.steps s JOIN journeys.enrolments e ON e.id = s.enrolment_id
            """, connection);
        var messages = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) messages.Add(reader.GetString(0), reader.GetString(1));
        return messages;
    }

    /// <summary>The send status of each message id (null when Redis has none).</summary>
    public static async Task<Dictionary<string, SendStatus?>> StatusesAsync(ISendStatusStore store, IEnumerable<string> messageIds)
    {
        var statuses = new Dictionary<string, SendStatus?>(StringComparer.Ordinal);
        foreach (var chunk in messageIds.Chunk(200))
        {
            var read = await Task.WhenAll(chunk.Select(id => store.GetAsync(id)));
            for (var i = 0; i < chunk.Length; i++) statuses[chunk[i]] = read[i];
        }
        return statuses;
    }
}
