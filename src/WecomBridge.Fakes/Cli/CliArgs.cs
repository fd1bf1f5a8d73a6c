namespace WecomBridge.Fakes.Cli;

/// <summary>Hand-written parsing: a command, positional words, then "--name value" options.</summary>
internal sealed class CliArgs
{
    private CliArgs(string? command, List<string> positional, Dictionary<string, string> options, bool help, string? error)
    {
        Command = command;
        Positional = positional;
        Options = options;
        Help = help;
        Error = error;
    }

    public string? Command { get; }
    public List<string> Positional { get; }
    public Dictionary<string, string> Options { get; }
    public bool Help { get; }
    public string? Error { get; }

    public string? Get(string name) => Options.TryGetValue(name, out var value) ? value : null;

    public int Port(string name, int fallback) =>
        Get(name) is { } text
            ? int.TryParse(text, out var port) && port is >= 0 and <= 65535 ? port : throw new FormatException($"--{name} must be a port number.")
            : fallback;

    public static CliArgs Parse(string[] args)
    {
        var positional = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var help = false;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h" or "help") help = true;
            else if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    return new(null, positional, options, help, $"Option {arg} needs a value.");
                options[arg[2..]] = args[++i];
            }
            else positional.Add(arg);
        }
        var command = positional.Count > 0 ? positional[0] : null;
        return new(command, positional.Skip(1).ToList(), options, help, null);
    }
}
