using PiHub.Core.Auth.Model;
using PiHub.Core.Auth.Storage;

namespace PiHub.Storage.Tests.Support;

/// <summary>Records and change sets the tests commit.</summary>
internal static class AuthSamples
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 26, 18, 0, 0, 123, TimeSpan.FromHours(1));

    public static User Owner(string id = "owner1", string name = "Alice") => new()
    {
        Id = id, Name = name, IsOwner = true, GroupIds = [Groups.Admin], CreatedAt = T0,
    };

    /// <summary>The owner-creation transaction: user, credential, onboarding done, together.</summary>
    public static AuthChangeSet CreateOwner(string id = "owner1", string name = "Alice") =>
        new AuthChangeSet($"create owner {name}")
            .Put(Owner(id, name))
            .Put(new Credential { Id = "cred-" + id, UserId = id, Username = name.ToLowerInvariant(), PasswordHash = "pbkdf2$x$" + id, CreatedAt = T0 })
            .Put(OnboardingState.Fresh with { UserDone = true });

    public static AuthChangeSet AddUser(int n) =>
        new AuthChangeSet($"add user u{n}")
            .Put(new User { Id = $"u{n}", Name = $"User {n}", CreatedAt = T0.AddSeconds(n) })
            .Put(new Credential { Id = $"c{n}", UserId = $"u{n}", Username = $"user{n}", PasswordHash = $"hash{n}", CreatedAt = T0 });

    public static RefreshToken Token(int n, string userId = "owner1") => new()
    {
        Id = $"t{n}", UserId = userId, ClientId = "http://app/", TokenHash = $"{n:x64}", JwtKey = "a2V5" + n, CreatedAt = T0,
    };

    /// <summary>One of every record kind, every optional property set to a non-default value.</summary>
    public static AuthChangeSet EveryKind() =>
        new AuthChangeSet("every kind")
            .Put(new User
            {
                Id = "u9", Name = "Bob ÆØÅ", IsActive = false, SystemGenerated = true, LocalOnly = true,
                GroupIds = [Groups.Users, Groups.ReadOnly], CreatedAt = T0.AddTicks(7),
            })
            .Put(new Credential { Id = "c9", UserId = "u9", ProviderType = "other", Username = "bob", PasswordHash = "h", CreatedAt = T0 })
            .Put(new RefreshToken
            {
                Id = "t9", UserId = "u9", ClientId = "https://x/", ClientName = "Tasker", ClientIcon = "mdi:x",
                TokenType = RefreshTokenTypes.LongLived, CreatedAt = T0, AccessTokenLifetime = TimeSpan.FromDays(3650),
                TokenHash = "ab", JwtKey = "k", LastUsedAt = T0.AddMinutes(1), LastUsedIp = "192.168.1.20",
                CredentialId = "c9", ExpireAt = T0.AddDays(90), TrustedNetwork = "192.168.1.0/24",
            })
            .Put(new MfaEnrollment
            {
                Id = MfaEnrollment.IdFor("u9"), UserId = "u9", Secret = "JBSWY3DPEHPK3PXP", Enabled = true,
                LastUsedStep = 58_000_001, RecoveryCodeHashes = ["r1", "r2"], CreatedAt = T0,
            })
            .Put(new IpBan { Id = "10.0.0.7", BannedAt = T0, BannedUntil = T0.AddHours(2), Level = 3, Reason = "5 failed logins" })
            .Put(new Webhook { Id = new string('f', 64), Name = "door", LocalOnly = true, SigningSecret = "s", CreatedBy = "u9", CreatedAt = T0 })
            .Put(OnboardingState.Fresh with
            {
                UserDone = true, CoreConfigDone = true, AnalyticsDone = true, IntegrationDone = true,
            });
}
