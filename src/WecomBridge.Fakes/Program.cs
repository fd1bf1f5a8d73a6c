namespace WecomBridge.Fakes;

internal static class FakesProgram
{
    public static int Main(string[] args)
    {
        Console.WriteLine("WecomBridge.Fakes: standalone mode is not built yet.");
        return 0;
    }
}
