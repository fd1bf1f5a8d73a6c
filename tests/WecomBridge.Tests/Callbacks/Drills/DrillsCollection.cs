namespace WecomBridge.Tests.Callbacks.Drills;

/// <summary>Drills run one at a time: each starts servers and processes of its own.</summary>
[CollectionDefinition("drills", DisableParallelization = true)]
public class DrillsCollection;
