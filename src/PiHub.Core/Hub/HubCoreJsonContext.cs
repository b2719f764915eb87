using System.Text.Json;
using System.Text.Json.Serialization;

namespace PiHub.Core.Hub;

/// <summary>Source-generated JSON metadata for the few types the core serializes (trim and AOT safe).</summary>
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
internal sealed partial class HubCoreJsonContext : JsonSerializerContext;
