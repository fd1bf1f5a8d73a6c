namespace WecomBridge.Hosting;

/// <summary>A setting that validates but cannot be used on this machine (e.g. a spool folder that is not writable).</summary>
internal sealed class ConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
