namespace PiHub.Core.Hub.Domains;

/// <summary>A persistent notification shown to the owner until dismissed.</summary>
public sealed record Notification(string NotificationId, string? Title, string Message, DateTimeOffset CreatedAt);
