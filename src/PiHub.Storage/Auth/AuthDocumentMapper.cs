using System.Security.Cryptography;
using LiteDB;
using PiHub.Core.Auth.Model;
using static PiHub.Storage.Auth.BsonFields;

namespace PiHub.Storage.Auth;

/// <summary>
/// Maps every auth record to and from a <see cref="BsonDocument"/> by hand, field by field.
/// LiteDB's reflection mapper silently drops properties in a trimmed or AOT build; a hand map
/// cannot. Each document carries <c>_sum</c>, a SHA-256 over its kind and canonical content,
/// so a flipped byte that LiteDB would read back as wrong data is caught instead.
/// </summary>
internal static class AuthDocumentMapper
{
    /// <summary>The field holding the document checksum.</summary>
    public const string SumField = "_sum";

    /// <summary>The LiteDB collection of each record kind.</summary>
    public static string CollectionOf(AuthRecordKind kind) => kind switch
    {
        AuthRecordKind.User => "users",
        AuthRecordKind.Credential => "credentials",
        AuthRecordKind.RefreshToken => "refresh_tokens",
        AuthRecordKind.Mfa => "mfa",
        AuthRecordKind.Ban => "bans",
        AuthRecordKind.Onboarding => "onboarding",
        AuthRecordKind.Webhook => "webhooks",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown auth record kind."),
    };

    /// <summary>Every kind, in the order they are read on start-up.</summary>
    public static readonly IReadOnlyList<AuthRecordKind> Kinds = Enum.GetValues<AuthRecordKind>();

    /// <summary>The document of a record, with its checksum; also returns that checksum.</summary>
    public static BsonDocument ToDocument(AuthRecord record, out byte[] sum)
    {
        var doc = Content(record);
        doc["_id"] = record.Id;
        sum = Checksum(record.Kind, doc);
        doc[SumField] = Convert.ToHexStringLower(sum);
        return doc;
    }

    /// <summary>Reads a record back; throws <see cref="InvalidDataException"/> when the checksum or any field is wrong.</summary>
    public static AuthRecord FromDocument(AuthRecordKind kind, BsonDocument doc, out byte[] sum)
    {
        var stored = Str(doc, SumField);
        sum = Checksum(kind, doc);
        if (!string.Equals(stored, Convert.ToHexStringLower(sum), StringComparison.Ordinal))
        {
            throw new InvalidDataException($"checksum mismatch in {CollectionOf(kind)} document {Describe(doc)}");
        }

        var id = Str(doc, "_id");
        return kind switch
        {
            AuthRecordKind.User => new User
            {
                Id = id, Name = Str(doc, "name"), IsOwner = Bool(doc, "owner"), IsActive = Bool(doc, "active"),
                SystemGenerated = Bool(doc, "system"), LocalOnly = Bool(doc, "local_only"),
                GroupIds = StrList(doc, "groups"), CreatedAt = Time(doc, "created"),
            },
            AuthRecordKind.Credential => new Credential
            {
                Id = id, UserId = Str(doc, "user"), ProviderType = Str(doc, "provider"), Username = Str(doc, "username"),
                PasswordHash = Str(doc, "password_hash"), CreatedAt = Time(doc, "created"),
            },
            AuthRecordKind.RefreshToken => new RefreshToken
            {
                Id = id, UserId = Str(doc, "user"), ClientId = OptStr(doc, "client_id"), ClientName = OptStr(doc, "client_name"),
                ClientIcon = OptStr(doc, "client_icon"), TokenType = Str(doc, "type"), CreatedAt = Time(doc, "created"),
                AccessTokenLifetime = TimeSpan.FromTicks(Long(doc, "access_ttl")), TokenHash = Str(doc, "token_hash"),
                JwtKey = Str(doc, "jwt_key"), LastUsedAt = OptTime(doc, "last_used"), LastUsedIp = OptStr(doc, "last_ip"),
                CredentialId = OptStr(doc, "credential"), ExpireAt = OptTime(doc, "expire"),
                TrustedNetwork = OptStr(doc, "trusted_network"),
            },
            AuthRecordKind.Mfa => new MfaEnrollment
            {
                Id = id, UserId = Str(doc, "user"), ModuleId = Str(doc, "module"), Secret = Str(doc, "secret"),
                Enabled = Bool(doc, "enabled"), LastUsedStep = Long(doc, "last_step"),
                RecoveryCodeHashes = StrList(doc, "recovery_hashes"), CreatedAt = Time(doc, "created"),
            },
            AuthRecordKind.Ban => new IpBan
            {
                Id = id, BannedAt = Time(doc, "at"), BannedUntil = Time(doc, "until"), Level = Int(doc, "level"),
                Reason = Str(doc, "reason"),
            },
            AuthRecordKind.Onboarding => new OnboardingState
            {
                Id = id, UserDone = Bool(doc, "user"), CoreConfigDone = Bool(doc, "core_config"),
                AnalyticsDone = Bool(doc, "analytics"), IntegrationDone = Bool(doc, "integration"),
                RecoveryMode = Bool(doc, "recovery_mode"), RecoveryCodeHash = OptStr(doc, "recovery_code_hash"),
            },
            AuthRecordKind.Webhook => new Webhook
            {
                Id = id, Name = Str(doc, "name"), LocalOnly = Bool(doc, "local_only"),
                SigningSecret = OptStr(doc, "signing_secret"), CreatedBy = OptStr(doc, "created_by"),
                CreatedAt = Time(doc, "created"),
            },
            _ => throw new InvalidDataException($"unknown record kind {(int)kind}"),
        };
    }

    private static BsonDocument Content(AuthRecord record) => record switch
    {
        User u => new BsonDocument
        {
            ["name"] = u.Name, ["owner"] = u.IsOwner, ["active"] = u.IsActive, ["system"] = u.SystemGenerated,
            ["local_only"] = u.LocalOnly, ["groups"] = List(u.GroupIds), ["created"] = Time(u.CreatedAt),
        },
        Credential c => new BsonDocument
        {
            ["user"] = c.UserId, ["provider"] = c.ProviderType, ["username"] = c.Username,
            ["password_hash"] = c.PasswordHash, ["created"] = Time(c.CreatedAt),
        },
        RefreshToken t => new BsonDocument
        {
            ["user"] = t.UserId, ["client_id"] = OptStr(t.ClientId), ["client_name"] = OptStr(t.ClientName),
            ["client_icon"] = OptStr(t.ClientIcon), ["type"] = t.TokenType, ["created"] = Time(t.CreatedAt),
            ["access_ttl"] = t.AccessTokenLifetime.Ticks, ["token_hash"] = t.TokenHash, ["jwt_key"] = t.JwtKey,
            ["last_used"] = OptTime(t.LastUsedAt), ["last_ip"] = OptStr(t.LastUsedIp),
            ["credential"] = OptStr(t.CredentialId), ["expire"] = OptTime(t.ExpireAt),
            ["trusted_network"] = OptStr(t.TrustedNetwork),
        },
        MfaEnrollment m => new BsonDocument
        {
            ["user"] = m.UserId, ["module"] = m.ModuleId, ["secret"] = m.Secret, ["enabled"] = m.Enabled,
            ["last_step"] = m.LastUsedStep, ["recovery_hashes"] = List(m.RecoveryCodeHashes),
            ["created"] = Time(m.CreatedAt),
        },
        IpBan b => new BsonDocument
        {
            ["at"] = Time(b.BannedAt), ["until"] = Time(b.BannedUntil), ["level"] = b.Level, ["reason"] = b.Reason,
        },
        OnboardingState o => new BsonDocument
        {
            ["user"] = o.UserDone, ["core_config"] = o.CoreConfigDone, ["analytics"] = o.AnalyticsDone,
            ["integration"] = o.IntegrationDone, ["recovery_mode"] = o.RecoveryMode,
            ["recovery_code_hash"] = OptStr(o.RecoveryCodeHash),
        },
        Webhook w => new BsonDocument
        {
            ["name"] = w.Name, ["local_only"] = w.LocalOnly, ["signing_secret"] = OptStr(w.SigningSecret),
            ["created_by"] = OptStr(w.CreatedBy), ["created"] = Time(w.CreatedAt),
        },
        _ => throw new ArgumentException($"Unknown record type {record.GetType().Name}.", nameof(record)),
    };

    /// <summary>SHA-256 over the kind and every field but the checksum, keys in ordinal order.</summary>
    internal static byte[] Checksum(AuthRecordKind kind, BsonDocument doc)
    {
        var canonical = new BsonDocument { ["_kind"] = (int)kind };
        foreach (var key in doc.Keys.Where(k => k != SumField).Order(StringComparer.Ordinal))
        {
            canonical[key] = doc[key];
        }

        return SHA256.HashData(BsonSerializer.Serialize(canonical));
    }

    private static string Describe(BsonDocument doc) =>
        doc.TryGetValue("_id", out var id) && id.IsString ? id.AsString : "(no id)";
}
