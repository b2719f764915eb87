namespace PiHub.Configuration;

/// <summary>An invalid configuration: one message naming the key, the bad value and what is accepted.</summary>
public sealed class ConfigException(string message) : Exception(message);
