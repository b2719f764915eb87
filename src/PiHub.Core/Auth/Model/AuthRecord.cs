namespace PiHub.Core.Auth.Model;

/// <summary>The kinds of document the auth store keeps. Numbers are stored on disk: never renumber.</summary>
public enum AuthRecordKind
{
    User = 1,
    Credential = 2,
    RefreshToken = 3,
    Mfa = 4,
    Ban = 5,
    Onboarding = 6,
    Webhook = 7,
}

/// <summary>
/// One document of the auth store. Records are immutable: a change is a new record put
/// into an <see cref="Storage.AuthChangeSet"/>, committed in one transaction with the
/// others of the same change.
/// </summary>
public abstract record AuthRecord
{
    /// <summary>Unique within its <see cref="Kind"/>.</summary>
    public required string Id { get; init; }

    /// <summary>Which collection the record belongs to.</summary>
    public abstract AuthRecordKind Kind { get; }
}
