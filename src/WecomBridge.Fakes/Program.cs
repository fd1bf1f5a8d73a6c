using WecomBridge.Fakes.Cli;

namespace WecomBridge.Fakes;

// Not a top-level program: the app also references this assembly, and two public `Program` types
// would clash in the tests.
internal static class FakesProgram
{
    public static async Task<int> Main(string[] args)
    {
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        return await FakesCli.RunAsync(args, Console.Out, stop.Token);
    }
}
