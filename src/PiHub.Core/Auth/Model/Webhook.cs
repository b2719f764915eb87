namespace PiHub.Core.Auth.Model;

/// <summary>A webhook. The id (32 random bytes, hex) is the secret in its URL.</summary>
public sealed record Webhook : AuthRecord
{
    public override AuthRecordKind Kind => AuthRecordKind.Webhook;

    public required string Name { get; init; }

    public bool LocalOnly { get; init; }

    /// <summary>Optional HMAC-SHA256 secret for signature checks.</summary>
    public string? SigningSecret { get; init; }

    public string? CreatedBy { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
