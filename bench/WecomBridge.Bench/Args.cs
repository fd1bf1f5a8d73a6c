namespace WecomBridge.Bench;

/// <summary>--name value pairs after the mode.</summary>
internal sealed class Args(string[] args)
{
    public string Get(string name, string fallback)
    {
        var i = Array.IndexOf(args, "--" + name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    public int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString()));

    public string Required(string name) =>
        Get(name, "") is { Length: > 0 } v ? v : throw new ArgumentException($"--{name} is required");
}
