using PiHub.Core.Auth.Model;

namespace PiHub.Core.Auth.Storage;

/// <summary>One operation of a change set: put a record, or delete one by kind and id.</summary>
public readonly record struct AuthChange(AuthRecordKind Kind, string Id, AuthRecord? Record)
{
    public bool IsDelete => Record is null;
}

/// <summary>
/// Everything one auth change writes (user + credentials + groups + tokens + onboarding),
/// committed by <see cref="IAuthStore.CommitAsync"/> as one durable transaction.
/// </summary>
public sealed class AuthChangeSet
{
    private readonly List<AuthChange> _changes = [];

    /// <summary>A short description for logs and the journal ("create owner alice").</summary>
    public string Description { get; }

    public AuthChangeSet(string description) => Description = description;

    public IReadOnlyList<AuthChange> Changes => _changes;

    public bool IsEmpty => _changes.Count == 0;

    public AuthChangeSet Put(AuthRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _changes.Add(new AuthChange(record.Kind, record.Id, record));
        return this;
    }

    public AuthChangeSet Delete(AuthRecordKind kind, string id)
    {
        _changes.Add(new AuthChange(kind, id, null));
        return this;
    }

    public AuthChangeSet Delete(AuthRecord record) => Delete(record.Kind, record.Id);
}
