namespace PiHub.Core.Hub.Services;

/// <summary>The JSON types a service field accepts.</summary>
public enum ServiceFieldType
{
    String,
    Boolean,
    Integer,
    Number,
    Object,

    /// <summary>One entity id or a list of them.</summary>
    EntityIds,
}

/// <summary>One field of a service's data, with its type and whether it must be present.</summary>
public sealed record ServiceField(string Name, ServiceFieldType Type, bool Required = false, string Description = "");
