namespace PiHub.Core.Auth.Model;

/// <summary>A person (or a system integration) that can hold credentials and tokens.</summary>
public sealed record User : AuthRecord
{
    public override AuthRecordKind Kind => AuthRecordKind.User;

    public required string Name { get; init; }

    /// <summary>Exactly one active user is the owner at every moment.</summary>
    public bool IsOwner { get; init; }

    public bool IsActive { get; init; } = true;

    /// <summary>Created by the hub itself (never shown as a login choice).</summary>
    public bool SystemGenerated { get; init; }

    /// <summary>Only allowed to log in from local networks.</summary>
    public bool LocalOnly { get; init; }

    /// <summary>Group ids from <see cref="Groups"/>.</summary>
    public IReadOnlyList<string> GroupIds { get; init; } = [Groups.Users];

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Owners are always administrators.</summary>
    public bool IsAdmin => IsOwner || GroupIds.Contains(Groups.Admin);

    public bool IsReadOnly => !IsAdmin && GroupIds.Contains(Groups.ReadOnly) && !GroupIds.Contains(Groups.Users);
}
