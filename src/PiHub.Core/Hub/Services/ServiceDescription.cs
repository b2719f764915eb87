namespace PiHub.Core.Hub.Services;

/// <summary>A service as <c>GET /api/services</c> describes it, plus the schema its data is checked against.</summary>
public sealed record ServiceDescription(
    string Domain,
    string Service,
    string Name,
    string Description,
    IReadOnlyList<ServiceField> Fields,
    bool TargetsEntities = false);
