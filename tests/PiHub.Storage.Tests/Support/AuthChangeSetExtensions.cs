using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Storage;

namespace PiHub.Storage.Tests.Support;

/// <summary>Adds many records to a change set.</summary>
internal static class AuthChangeSetExtensions
{
    public static AuthChangeSet PutAll(this AuthChangeSet set, IEnumerable<AuthRecord> records)
    {
        foreach (var r in records) set.Put(r);
        return set;
    }
}
