namespace PiHub.Core.Auth;

/// <summary>The fields of a user an admin may change; null leaves a field as it is.</summary>
public sealed record UserUpdate
{
    /// <summary>New display name.</summary>
    public string? Name { get; init; }

    /// <summary>Activate or deactivate (never the owner).</summary>
    public bool? IsActive { get; init; }

    /// <summary>New group ids from <see cref="Model.Groups"/>; the owner must stay in system-admin.</summary>
    public IReadOnlyList<string>? GroupIds { get; init; }

    /// <summary>Restrict logins to local networks.</summary>
    public bool? LocalOnly { get; init; }
}
