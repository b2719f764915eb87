using System.Collections.Concurrent;
using System.Text.Json;
using PiHub.Core.Hub.Services;

namespace PiHub.Core.Hub.Domains;

/// <summary>
/// <c>persistent_notification</c>: create and dismiss, kept in the hub store across restarts.
/// The auth system uses it to tell the owner about bans and store recoveries.
/// </summary>
public sealed class NotificationManager
{
    public const string Domain = "persistent_notification";
    public const string UpdatedEvent = "persistent_notifications_updated";
    private const string Collection = "notifications";

    private readonly IHubStore _store;
    private readonly EventBus _bus;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Notification> _items = new(StringComparer.Ordinal);

    public NotificationManager(IHubStore store, EventBus bus, TimeProvider time)
    {
        _store = store;
        _bus = bus;
        _time = time;
        foreach (var (id, json) in store.LoadAll(Collection))
        {
            if (TryRead(id, json, out var n)) _items[id] = n;
        }
    }

    public IReadOnlyList<Notification> All() => _items.Values.OrderBy(n => n.CreatedAt).ToList();

    /// <summary>Creates or replaces a notification; durable before it returns.</summary>
    public async Task<Notification> CreateAsync(string message, string? title = null, string? notificationId = null, CancellationToken cancellationToken = default)
    {
        var id = string.IsNullOrWhiteSpace(notificationId) ? HubContext.NewUlid(_time).ToLowerInvariant() : notificationId;
        var n = new Notification(id, title, message, _time.GetUtcNow());
        await _store.PutAsync(Collection, id, Write(n), cancellationToken).ConfigureAwait(false);
        _items[id] = n;
        Fire();
        return n;
    }

    /// <summary>Dismisses a notification; false when there was none with that id.</summary>
    public async Task<bool> DismissAsync(string notificationId, CancellationToken cancellationToken = default)
    {
        if (!_items.ContainsKey(notificationId)) return false;
        await _store.DeleteAsync(Collection, notificationId, cancellationToken).ConfigureAwait(false);
        _items.TryRemove(notificationId, out _);
        Fire();
        return true;
    }

    public void Setup(ServiceRegistry services)
    {
        services.Register(
            new ServiceDescription(Domain, "create", "Create", "Shows a notification on the dashboard.",
            [
                new ServiceField("message", ServiceFieldType.String, Required: true, "Text of the notification."),
                new ServiceField("title", ServiceFieldType.String, Description: "Optional title."),
                new ServiceField("notification_id", ServiceFieldType.String, Description: "Replaces a notification with the same id."),
            ]),
            (call, ct) => CreateAsync(call.GetString("message")!, call.GetString("title"), call.GetString("notification_id"), ct));
        services.Register(
            new ServiceDescription(Domain, "dismiss", "Dismiss", "Removes a notification.",
                [new ServiceField("notification_id", ServiceFieldType.String, Required: true)]),
            async (call, ct) =>
            {
                var id = call.GetString("notification_id")!;
                if (!await DismissAsync(id, ct).ConfigureAwait(false))
                {
                    throw new HubException(HubErrorCodes.NotFound, $"There is no notification \"{id}\"; persistent_notification/get lists them.");
                }
            });
    }

    /// <summary>Writes the notifications as Home Assistant's <c>persistent_notification/get</c> answers.</summary>
    public void WriteAll(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        foreach (var n in All())
        {
            writer.WritePropertyName(n.NotificationId);
            writer.WriteStartObject();
            writer.WriteString("notification_id", n.NotificationId);
            writer.WriteString("title", n.Title);
            writer.WriteString("message", n.Message);
            writer.WriteString("created_at", HubJson.FormatTime(n.CreatedAt));
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private void Fire() =>
        _bus.Fire(new CustomEvent(UpdatedEvent, HubJson.EmptyObject, HubContext.New(time: _time), _time.GetUtcNow()));

    private static string Write(Notification n) => System.Text.Encoding.UTF8.GetString(HubJson.ToBytes(n, static (w, x) =>
    {
        w.WriteStartObject();
        w.WriteString("title", x.Title);
        w.WriteString("message", x.Message);
        w.WriteString("created_at", x.CreatedAt);
        w.WriteEndObject();
    }));

    private static bool TryRead(string id, string json, out Notification notification)
    {
        notification = null!;
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var title = root.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            notification = new Notification(id, title, root.GetProperty("message").GetString() ?? "", root.GetProperty("created_at").GetDateTimeOffset());
            return true;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return false; // A damaged notification is dropped, never fatal for start-up.
        }
    }
}
