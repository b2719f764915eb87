namespace PiHub.Core.Hub.Domains;

/// <summary>One <c>input_boolean</c> helper as defined in the config file, with its area and label ids.</summary>
public sealed record InputBooleanOptions(string ObjectId, string Name, bool? Initial = null, string? Icon = null, string? Area = null, IReadOnlyList<string>? Labels = null);
