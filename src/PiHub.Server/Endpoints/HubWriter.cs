using System.Text.Json;
using PiHub.Core.Hub;
using PiHub.Core.Hub.Services;

namespace PiHub.Server.Endpoints;

/// <summary>Writes hub objects in Home Assistant's shapes, shared by REST and WebSocket.</summary>
internal static class HubWriter
{
    /// <summary>
    /// The Home Assistant version PiHub's API is compatible with. Clients read it to pick
    /// features (home-assistant-js-websocket uses subscribe_entities from 2022.4 and
    /// message coalescing from 2022.9).
    /// </summary>
    public const string CompatibleHaVersion = "2025.1.0";

    public static void WriteConfig(Utf8JsonWriter w, HubCore hub)
    {
        var info = hub.Info;
        var metric = info.UnitSystem == "metric";
        w.WriteStartObject();
        w.WriteNumber("latitude", info.Latitude);
        w.WriteNumber("longitude", info.Longitude);
        w.WriteNumber("elevation", info.Elevation);
        w.WriteStartObject("unit_system");
        w.WriteString("length", metric ? "km" : "mi");
        w.WriteString("accumulated_precipitation", metric ? "mm" : "in");
        w.WriteString("mass", metric ? "g" : "lb");
        w.WriteString("pressure", metric ? "Pa" : "psi");
        w.WriteString("temperature", metric ? "°C" : "°F");
        w.WriteString("volume", metric ? "L" : "gal");
        w.WriteString("wind_speed", metric ? "m/s" : "mph");
        w.WriteEndObject();
        w.WriteString("location_name", info.LocationName);
        w.WriteString("time_zone", info.TimeZone);
        w.WriteStartArray("components");
        foreach (var c in hub.Components()) w.WriteStringValue(c);
        w.WriteEndArray();
        w.WriteString("config_dir", "/etc/pihub");
        w.WriteStartArray("allowlist_external_dirs");
        w.WriteEndArray();
        w.WriteStartArray("allowlist_external_urls");
        w.WriteEndArray();
        w.WriteString("version", CompatibleHaVersion);
        w.WriteString("pihub_version", info.Version);
        w.WriteString("config_source", "yaml");
        w.WriteBoolean("recovery_mode", false);
        w.WriteBoolean("safe_mode", false);
        w.WriteString("state", "RUNNING");
        w.WriteNull("external_url");
        w.WriteNull("internal_url");
        w.WriteString("currency", info.Currency);
        if (string.IsNullOrEmpty(info.Country)) w.WriteNull("country"); else w.WriteString("country", info.Country);
        w.WriteString("language", info.Language);
        w.WriteEndObject();
    }

    /// <summary><c>[{"domain": …, "services": {name: {name, description, fields, target?}}}]</c>.</summary>
    public static void WriteServices(Utf8JsonWriter w, IReadOnlyList<ServiceDescription> services, bool asObject = false)
    {
        if (asObject) w.WriteStartObject(); else w.WriteStartArray();
        foreach (var domain in services.GroupBy(s => s.Domain))
        {
            if (asObject)
            {
                w.WriteStartObject(domain.Key);
            }
            else
            {
                w.WriteStartObject();
                w.WriteString("domain", domain.Key);
                w.WriteStartObject("services");
            }

            foreach (var s in domain)
            {
                w.WriteStartObject(s.Service);
                w.WriteString("name", s.Name);
                w.WriteString("description", s.Description);
                w.WriteStartObject("fields");
                foreach (var f in s.Fields)
                {
                    w.WriteStartObject(f.Name);
                    w.WriteString("description", f.Description);
                    w.WriteBoolean("required", f.Required);
                    w.WriteStartObject("selector");
                    w.WriteStartObject(Selector(f.Type));
                    w.WriteEndObject();
                    w.WriteEndObject();
                    w.WriteEndObject();
                }

                w.WriteEndObject();
                if (s.TargetsEntities)
                {
                    w.WriteStartObject("target");
                    w.WriteStartArray("entity");
                    w.WriteStartObject();
                    w.WriteStartArray("domain");
                    w.WriteStringValue(s.Domain == "homeassistant" ? "input_boolean" : s.Domain);
                    w.WriteEndArray();
                    w.WriteEndObject();
                    w.WriteEndArray();
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
            if (!asObject) w.WriteEndObject();
        }

        if (asObject) w.WriteEndObject(); else w.WriteEndArray();
    }

    private static string Selector(ServiceFieldType type) => type switch
    {
        ServiceFieldType.Boolean => "boolean",
        ServiceFieldType.Integer or ServiceFieldType.Number => "number",
        ServiceFieldType.Object => "object",
        ServiceFieldType.EntityIds => "entity",
        _ => "text",
    };
}
