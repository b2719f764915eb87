namespace PiHub.Core.Admin;

/// <summary>
/// One administration operation and its arguments, the same whether it travels over the admin socket as JSON
/// or is run in-process on the store. Only the fields the operation uses are set. Passwords travel only here,
/// never on a command line.
/// </summary>
public sealed record AdminRequest
{
    /// <summary>One of <see cref="AdminCommands"/>.</summary>
    public required string Command { get; init; }

    /// <summary>The username the operation is about (users, owner, mfa, tokens create).</summary>
    public string? Username { get; init; }

    /// <summary>The new username (users rename).</summary>
    public string? NewUsername { get; init; }

    /// <summary>A display name (users add, users rename).</summary>
    public string? Name { get; init; }

    /// <summary>A new password (users add, users passwd).</summary>
    public string? Password { get; init; }

    /// <summary><c>admin</c>, <c>read-only</c> or <c>user</c> (users add).</summary>
    public string? Role { get; init; }

    /// <summary>Keep the user's sessions and tokens when setting a password.</summary>
    public bool KeepTokens { get; init; }

    /// <summary>A refresh token id (tokens revoke).</summary>
    public string? TokenId { get; init; }

    /// <summary>The client name of a long-lived token (tokens create).</summary>
    public string? Client { get; init; }

    /// <summary>Lifetime in days of a long-lived token (tokens create).</summary>
    public int? Days { get; init; }

    /// <summary>A banned address (bans lift).</summary>
    public string? Address { get; init; }

    /// <summary>Every ban (bans lift --all).</summary>
    public bool All { get; init; }

    /// <summary>A snapshot file name as <c>db snapshots</c> lists it (db restore).</summary>
    public string? Snapshot { get; init; }

    /// <summary>The content of a backup file, base64 (db restore from a file).</summary>
    public string? BackupContent { get; init; }

    /// <summary>Where the backup came from, for messages.</summary>
    public string? BackupName { get; init; }

    /// <summary><c>fail</c> or <c>restore</c> (power simulate).</summary>
    public string? State { get; init; }

    /// <summary>The caller confirmed a destructive operation (onboarding reset).</summary>
    public bool Yes { get; init; }
}
