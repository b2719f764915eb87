using System.Security.Cryptography;
using System.Text;

namespace PiHub.Server.Webhooks;

/// <summary>
/// The optional per-webhook HMAC-SHA256 check: the header <c>X-PiHub-Signature: sha256=&lt;hex&gt;</c> must hold
/// the HMAC of the raw request body under the webhook's signing secret. Compared in fixed time.
/// </summary>
internal static class WebhookSignature
{
    /// <summary>The request header carrying the signature.</summary>
    public const string Header = "X-PiHub-Signature";

    private const string Prefix = "sha256=";

    /// <summary>The header value a sender must send for <paramref name="body"/> (used by tests and docs).</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>True when <paramref name="header"/> is a valid signature of <paramref name="body"/>.</summary>
    public static bool IsValid(string secret, ReadOnlySpan<byte> body, string? header)
    {
        if (string.IsNullOrEmpty(header) || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) return false;
        var hex = header.AsSpan(Prefix.Length).Trim();
        if (hex.Length != 64) return false;
        Span<byte> given = stackalloc byte[32];
        if (Convert.FromHexString(hex, given, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32) return false;
        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
