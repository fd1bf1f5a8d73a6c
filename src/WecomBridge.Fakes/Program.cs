Console.WriteLine("WecomBridge.Fakes: standalone mode is not built yet.");
