namespace PiHub.Core.Hub.Domains;

/// <summary>A persistent notification shown to the owner until dismissed.</summary>
/// <param name="NotificationId">Its id: the hub's own are reserved (<see cref="NotificationRules"/>).</param>
/// <param name="Title">An optional title.</param>
/// <param name="Message">The text.</param>
/// <param name="CreatedAt">When it was created or last replaced.</param>
/// <param name="CreatedBy">The user whose service call created it; null for the hub's own and for calls without a user.</param>
public sealed record Notification(string NotificationId, string? Title, string Message, DateTimeOffset CreatedAt, string? CreatedBy = null);
