using Microsoft.Extensions.Logging.Abstractions;
using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Storage;
using PiHub.Storage;

// Usage: PiHub.Storage.CrashChild <store-dir> <seed>
// Opens the store, then commits forever; after each acknowledged commit prints
// "ACK <generation> <user-id-or-dash>". The parent kills it with SIGKILL at a random moment.
var options = new AuthStoreOptions
{
    Directory = args[0],
    // Small intervals so kills also land in snapshots and checkpoints.
    SnapshotMinInterval = TimeSpan.FromMilliseconds(50),
    CheckpointIdleDelay = TimeSpan.FromMilliseconds(30),
    CheckpointLogBytes = 64 * 1024,
};
var random = new Random(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
using var store = LiteAuthStore.Open(options, NullLogger.Instance, TimeProvider.System);
Console.WriteLine($"OPEN {store.Current.Generation} {store.Recovery?.Outcome.ToString() ?? "clean"}");
if (store.Current.Owner is null)
{
    var owner = new User { Id = "owner", Name = "Alice", IsOwner = true, GroupIds = [Groups.Admin] };
    await store.CommitAsync(new AuthChangeSet("create owner")
        .Put(owner)
        .Put(new Credential { Id = "cred-owner", UserId = "owner", Username = "alice", PasswordHash = "h" })
        .Put(store.Current.Onboarding with { UserDone = true }));
    Console.WriteLine($"ACK {store.Current.Generation} owner");
}

while (true)
{
    var gen = store.Current.Generation + 1;
    var kind = random.Next(4);
    AuthChangeSet changes;
    string label;
    if (kind == 0 && store.Current.RefreshTokens.Count > 20)
    {
        var victim = store.Current.RefreshTokens.Keys.Order(StringComparer.Ordinal).First();
        changes = new AuthChangeSet($"revoke {victim}").Delete(AuthRecordKind.RefreshToken, victim);
        label = "-";
    }
    else if (kind == 1)
    {
        changes = new AuthChangeSet($"token {gen}").Put(new RefreshToken
        {
            Id = $"t{gen}", UserId = "owner", TokenHash = $"{gen:x64}", JwtKey = "k" + gen,
        });
        label = "-";
    }
    else
    {
        var id = $"u{gen}";
        changes = new AuthChangeSet($"add user {id}")
            .Put(new User { Id = id, Name = $"User {gen}" })
            .Put(new Credential { Id = $"c{gen}", UserId = id, Username = $"user{gen}", PasswordHash = "h" + gen });
        label = id;
    }

    var committed = await store.CommitAsync(changes);
    Console.WriteLine($"ACK {committed.Generation} {label}");
}
