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
    private readonly SemaphoreSlim _createGate = new(1, 1);

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

    /// <summary>
    /// Whether a user id belongs to an active administrator, who may dismiss the hub's own notifications. Set by the
    /// composition root from the auth system; until then nobody may.
    /// </summary>
    public Func<string, bool> IsAdministrator { get; set; } = static _ => false;

    /// <summary>Creates or replaces a notification as the hub (no rules apply); durable before it returns.</summary>
    public Task<Notification> CreateAsync(string message, string? title = null, string? notificationId = null, CancellationToken cancellationToken = default) =>
        PutAsync(message, title, notificationId, null, cancellationToken);

    private async Task<Notification> PutAsync(string message, string? title, string? notificationId, string? createdBy, CancellationToken cancellationToken)
    {
        var id = string.IsNullOrWhiteSpace(notificationId) ? HubContext.NewUlid(_time).ToLowerInvariant() : notificationId;
        var n = new Notification(id, title, message, _time.GetUtcNow(), createdBy);
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
            CreateForCallerAsync);
        services.Register(
            new ServiceDescription(Domain, "dismiss", "Dismiss", "Removes a notification.",
                [new ServiceField("notification_id", ServiceFieldType.String, Required: true)]),
            async (call, ct) =>
            {
                var id = call.GetString("notification_id")!;
                if (NotificationRules.IsReserved(id) && _items.ContainsKey(id) && (call.Context.UserId is not { } user || !IsAdministrator(user)))
                {
                    throw new HubException(HubErrorCodes.Unauthorized,
                        $"\"{id}\" is one of the hub's own notices (a ban, a recovered database, a brownout, a recorder failure): only an " +
                        "administrator may dismiss it. Ask the owner to read it and dismiss it.");
                }

                if (!await DismissAsync(id, ct).ConfigureAwait(false))
                {
                    throw new HubException(HubErrorCodes.NotFound, $"There is no notification \"{id}\"; persistent_notification/get lists them.");
                }
            });
    }

    /// <summary>The <c>create</c> service: a reserved id, an oversized field or one notification too many is refused.</summary>
    private async Task CreateForCallerAsync(ServiceCall call, CancellationToken cancellationToken)
    {
        var message = call.GetString("message")!;
        var title = call.GetString("title");
        var id = call.GetString("notification_id");
        if (NotificationRules.RefuseCreate(message, title, id) is { } refusal)
        {
            throw new HubException(id is not null && NotificationRules.IsReserved(id) ? HubErrorCodes.Unauthorized : HubErrorCodes.InvalidFormat, refusal);
        }

        var user = call.Context.UserId;
        await _createGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Replacing one of your own is not one more.
            var replaces = id is not null && _items.TryGetValue(id, out var old) && old.CreatedBy == user;
            if (!replaces && _items.Values.Count(n => n.CreatedBy == user && !NotificationRules.IsReserved(n.NotificationId)) >= NotificationRules.MaxPerUser)
            {
                throw new HubException(HubErrorCodes.HomeAssistantError,
                    $"{NotificationRules.MaxPerUser} notifications from this {(user is null ? "caller" : "user")} are already shown, the most allowed; " +
                    "dismiss some (persistent_notification.dismiss) or reuse a notification_id to replace one.");
            }

            await PutAsync(message, title, id, user, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _createGate.Release();
        }
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
        if (x.CreatedBy is not null) w.WriteString("created_by", x.CreatedBy);
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
            var createdBy = root.TryGetProperty("created_by", out var by) && by.ValueKind == JsonValueKind.String ? by.GetString() : null;
            notification = new Notification(id, title, root.GetProperty("message").GetString() ?? "", root.GetProperty("created_at").GetDateTimeOffset(), createdBy);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return false; // A damaged notification is dropped, never fatal for start-up.
        }
    }
}
