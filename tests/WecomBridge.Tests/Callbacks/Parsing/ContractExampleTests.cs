using System.Text.Json;
using System.Text.Json.Nodes;
using WecomBridge.Callbacks.Parsing;
using WecomBridge.Contracts.Callbacks;
using WecomBridge.Contracts.Contacts;

namespace WecomBridge.Tests.Callbacks.Parsing;

/// <summary>contracts/examples stay true: one example per record, and each round-trips unchanged.</summary>
public class ContractExampleTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    private static readonly Type[] Records = typeof(ExternalContactAdded).Assembly.GetExportedTypes();

    /// <summary>The published messages: records with an EventId. The others are parts of a message (e.g. a list item).</summary>
    private static readonly Type[] Messages = Records.Where(type => type.GetProperty("EventId") is not null).ToArray();

    public static TheoryData<string> RecordNames => new(Messages.Select(type => type.Name).Order());

    [Theory]
    [MemberData(nameof(RecordNames))]
    public void Example_deserializes_and_serializes_back_equal(string name)
    {
        var type = Messages.Single(record => record.Name == name);
        var path = Path.Combine(ContractsDirectory, "examples", name + ".json");
        Assert.True(File.Exists(path), $"contracts/examples/{name}.json is missing");
        var json = File.ReadAllText(path);

        var record = JsonSerializer.Deserialize(json, type, Web);
        var again = JsonSerializer.Serialize(record, type, Web);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(again)), $"{name}.json does not round-trip:\n{again}");
    }

    [Fact]
    public void Every_example_names_a_record()
    {
        var names = Messages.Select(type => type.Name).ToHashSet();
        var examples = Directory.GetFiles(Path.Combine(ContractsDirectory, "examples"), "*.json").Select(Path.GetFileNameWithoutExtension);
        Assert.All(examples, example => Assert.Contains(example!, names));
    }

    [Fact]
    public void Records_are_sealed_with_no_base_class_and_live_in_their_folder_namespace()
    {
        Assert.All(Records, type =>
        {
            Assert.True(type.IsSealed && type.BaseType == typeof(object), type.Name);
            Assert.NotNull(type.GetMethod("<Clone>$")); // a record
            var folder = type.Namespace!["WecomBridge.Contracts.".Length..];
            Assert.True(File.Exists(Path.Combine(ContractsDirectory, "WecomBridge.Contracts", folder, type.Name + ".cs")), type.FullName);
        });
    }

    [Fact]
    public void Readme_documents_every_exchange()
    {
        var readme = File.ReadAllText(Path.Combine(ContractsDirectory, "README.md"));
        Assert.All(Messages, type => Assert.Contains($"`wecombridge.{JsonNamingPolicy.KebabCaseLower.ConvertName(type.Name)}`", readme));
    }

    [Fact]
    public void The_unrecognized_callback_example_is_what_the_parser_makes_of_its_raw_xml()
    {
        var json = File.ReadAllText(Path.Combine(ContractsDirectory, "examples", nameof(UnrecognizedCallbackReceived) + ".json"));
        var example = JsonSerializer.Deserialize<UnrecognizedCallbackReceived>(json, Web)!;

        var parsed = WeComCallbackParser.Parse(
            System.Text.Encoding.UTF8.GetBytes(example.RawXml), example.Corp!, example.App!, example.CorpId!, example.ReceivedAt);

        Assert.Equal(example, parsed.Event);
    }

    private static string ContractsDirectory { get; } = FindContracts();

    private static string FindContracts()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "WecomBridge.sln")))
                return Path.Combine(dir.FullName, "contracts");
        throw new InvalidOperationException("WecomBridge.sln not found above " + AppContext.BaseDirectory);
    }
}
