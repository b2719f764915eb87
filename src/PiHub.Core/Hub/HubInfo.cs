namespace PiHub.Core.Hub;

/// <summary>What <c>GET /api/config</c> reports about this hub.</summary>
public sealed record HubInfo(
    string LocationName,
    string TimeZone,
    string UnitSystem,
    string Version,
    double Latitude = 0,
    double Longitude = 0,
    int Elevation = 0,
    string Currency = "EUR",
    string Country = "",
    string Language = "en");
