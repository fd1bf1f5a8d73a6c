using System.Text.Json;
using System.Text.Json.Serialization;

namespace WecomBridge.Fakes.Data;

/// <summary>The seed data of both fakes: the embedded default fixture or a JSON file of the same shape.</summary>
public sealed class Fixture
{
    private const string DefaultResource = "WecomBridge.Fakes.Data.default-fixture.json";

    internal static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    [JsonPropertyName("wecom")] public WeComData WeCom { get; set; } = new();
    [JsonPropertyName("official_account")] public OfficialAccountData OfficialAccount { get; set; } = new();

    /// <summary>Loads the file at <paramref name="path"/>, or the embedded default when it is null.</summary>
    public static Fixture Load(string? path = null)
    {
        using var stream = path is null
            ? typeof(Fixture).Assembly.GetManifestResourceStream(DefaultResource)
                ?? throw new InvalidOperationException($"Missing embedded resource {DefaultResource}.")
            : File.OpenRead(path);
        return JsonSerializer.Deserialize<Fixture>(stream, Json)
            ?? throw new InvalidDataException("The fixture is empty.");
    }

    /// <summary>The embedded default fixture as text, a starting point for your own file.</summary>
    public static string DefaultJson()
    {
        using var stream = typeof(Fixture).Assembly.GetManifestResourceStream(DefaultResource)!;
        return new StreamReader(stream).ReadToEnd();
    }
}
