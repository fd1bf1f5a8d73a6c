using WecomBridge.Fakes.Cli;

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
return await FakesCli.RunAsync(args, Console.Out, stop.Token);
