namespace PiHub.Core.Hub.Domains;

/// <summary>One <c>input_boolean</c> helper as defined in the config file.</summary>
public sealed record InputBooleanOptions(string ObjectId, string Name, bool? Initial = null, string? Icon = null);
