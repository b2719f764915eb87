using System.Collections.Immutable;
using PiHub.Core.Auth.Model;

namespace PiHub.Core.Auth.Storage;

/// <summary>
/// An immutable view of everything in the auth store at one generation. The store hands
/// out the current one; <see cref="Apply"/> yields the next without touching this one.
/// </summary>
public sealed class AuthData
{
    public static readonly AuthData Empty = new(
        0,
        ImmutableDictionary<string, User>.Empty,
        ImmutableDictionary<string, Credential>.Empty,
        ImmutableDictionary<string, RefreshToken>.Empty,
        ImmutableDictionary<string, MfaEnrollment>.Empty,
        ImmutableDictionary<string, IpBan>.Empty,
        ImmutableDictionary<string, Webhook>.Empty,
        OnboardingState.Fresh);

    public AuthData(
        long generation,
        ImmutableDictionary<string, User> users,
        ImmutableDictionary<string, Credential> credentials,
        ImmutableDictionary<string, RefreshToken> refreshTokens,
        ImmutableDictionary<string, MfaEnrollment> mfa,
        ImmutableDictionary<string, IpBan> bans,
        ImmutableDictionary<string, Webhook> webhooks,
        OnboardingState onboarding)
    {
        Generation = generation;
        Users = users;
        Credentials = credentials;
        RefreshTokens = refreshTokens;
        Mfa = mfa;
        Bans = bans;
        Webhooks = webhooks;
        Onboarding = onboarding;
    }

    /// <summary>Increases by one with every committed change set.</summary>
    public long Generation { get; }

    public ImmutableDictionary<string, User> Users { get; }

    public ImmutableDictionary<string, Credential> Credentials { get; }

    public ImmutableDictionary<string, RefreshToken> RefreshTokens { get; }

    public ImmutableDictionary<string, MfaEnrollment> Mfa { get; }

    public ImmutableDictionary<string, IpBan> Bans { get; }

    public ImmutableDictionary<string, Webhook> Webhooks { get; }

    public OnboardingState Onboarding { get; }

    public User? Owner => Users.Values.FirstOrDefault(u => u.IsOwner && u.IsActive);

    /// <summary>Every record, for stores that persist them all (snapshots, validation).</summary>
    public IEnumerable<AuthRecord> AllRecords()
    {
        foreach (var u in Users.Values) yield return u;
        foreach (var c in Credentials.Values) yield return c;
        foreach (var t in RefreshTokens.Values) yield return t;
        foreach (var m in Mfa.Values) yield return m;
        foreach (var b in Bans.Values) yield return b;
        foreach (var w in Webhooks.Values) yield return w;
        yield return Onboarding;
    }

    /// <summary>Builds the data from loose records (as read from disk), at a given generation.</summary>
    public static AuthData FromRecords(long generation, IEnumerable<AuthRecord> records)
    {
        var set = new AuthChangeSet("load");
        foreach (var r in records) set.Put(r);
        return Empty.ApplyAt(set, generation);
    }

    /// <summary>Returns the data with the change set applied and the generation advanced by one.</summary>
    public AuthData Apply(AuthChangeSet changes) => ApplyAt(changes, Generation + 1);

    private AuthData ApplyAt(AuthChangeSet changes, long generation)
    {
        var users = Users.ToBuilder();
        var creds = Credentials.ToBuilder();
        var tokens = RefreshTokens.ToBuilder();
        var mfa = Mfa.ToBuilder();
        var bans = Bans.ToBuilder();
        var hooks = Webhooks.ToBuilder();
        var onboarding = Onboarding;
        foreach (var c in changes.Changes)
        {
            switch (c.Kind)
            {
                case AuthRecordKind.User: Set(users, c); break;
                case AuthRecordKind.Credential: Set(creds, c); break;
                case AuthRecordKind.RefreshToken: Set(tokens, c); break;
                case AuthRecordKind.Mfa: Set(mfa, c); break;
                case AuthRecordKind.Ban: Set(bans, c); break;
                case AuthRecordKind.Webhook: Set(hooks, c); break;
                case AuthRecordKind.Onboarding:
                    onboarding = c.Record as OnboardingState ?? OnboardingState.Fresh;
                    break;
                default: throw new ArgumentOutOfRangeException(nameof(changes), c.Kind, "Unknown auth record kind.");
            }
        }

        return new AuthData(generation, users.ToImmutable(), creds.ToImmutable(), tokens.ToImmutable(),
            mfa.ToImmutable(), bans.ToImmutable(), hooks.ToImmutable(), onboarding);
    }

    private static void Set<T>(ImmutableDictionary<string, T>.Builder target, AuthChange change)
        where T : AuthRecord
    {
        if (change.Record is null)
        {
            target.Remove(change.Id);
        }
        else
        {
            target[change.Id] = change.Record as T
                ?? throw new ArgumentException($"Record {change.Id} is not a {typeof(T).Name}.", nameof(change));
        }
    }
}
