using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PiHub.Server.Webhooks;

/// <summary>
/// The optional per-webhook HMAC-SHA256 check. The sender signs, with the webhook's signing secret, the string
/// <c>{timestamp}.{METHOD}.{path and query as sent}.{raw body}</c> and sends <c>X-PiHub-Timestamp: {timestamp}</c>
/// (Unix seconds) and <c>X-PiHub-Signature: sha256={hex}</c>. Because the method, path and query are signed, a
/// captured request cannot be re-aimed (<c>?action=unlock</c>); because the time is, it is refused once it is more
/// than <see cref="Window"/> old; and a signature already accepted is refused if it comes again within the window.
/// Signatures are compared in fixed time.
/// </summary>
internal sealed class WebhookSignature(TimeProvider time)
{
    /// <summary>The request header carrying the signature.</summary>
    public const string Header = "X-PiHub-Signature";

    /// <summary>The request header carrying the signing time, in Unix seconds.</summary>
    public const string TimestampHeader = "X-PiHub-Timestamp";

    /// <summary>How far a signing time may be from the hub's clock, either way.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private const string Prefix = "sha256=";

    // Signatures accepted within the window (only valid ones get in, so the sender's own rate bounds it).
    private readonly ConcurrentDictionary<string, long> _seen = new(StringComparer.Ordinal);

    /// <summary>The header value a sender sends (used by tests and docs).</summary>
    public static string Sign(string secret, long timestamp, string method, string target, ReadOnlySpan<byte> body) =>
        Prefix + Convert.ToHexStringLower(Mac(secret, timestamp, method, target, body));

    /// <summary>
    /// Null when the request is correctly signed, fresh and not a replay; otherwise what the sender must fix.
    /// <paramref name="target"/> is the path and query exactly as sent, e.g. <c>/api/webhook/abc?x=1</c>.
    /// </summary>
    public string? Check(string secret, string? timestampHeader, string? signatureHeader, string method, string target, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(signatureHeader) || string.IsNullOrEmpty(timestampHeader))
        {
            return $"it needs the headers {TimestampHeader} (Unix seconds) and {Header}: sha256=<hex HMAC-SHA256 of \"{{timestamp}}.{{METHOD}}.{{path?query}}.{{body}}\" " +
                   "with the webhook's signing secret>; one or both were missing.";
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            return $"{TimestampHeader} must be the signing time in whole Unix seconds (date +%s), not \"{timestampHeader}\".";
        }

        if (Math.Abs(now - timestamp) > Window.TotalSeconds)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"its {TimestampHeader} is {Math.Abs(now - timestamp)} s from the hub's clock (at most {Window.TotalSeconds:0} s is accepted): sign each request when sending it, and check the sender's clock.");
        }

        if (!TryParse(signatureHeader, out var given) ||
            !CryptographicOperations.FixedTimeEquals(Mac(secret, timestamp, method, target, body), given))
        {
            return $"its {Header} does not match: sign \"{{timestamp}}.{{METHOD}}.{{path?query}}.{{body}}\" with HMAC-SHA256 and the webhook's signing secret, " +
                   "using the same timestamp, method, path, query and body as the request.";
        }

        Forget(now);
        if (!_seen.TryAdd(signatureHeader.Trim().ToLowerInvariant(), timestamp))
        {
            return "this exact signed request was already received (a replay); sign each request anew with the current time.";
        }

        return null;
    }

    private void Forget(long now)
    {
        if (_seen.Count < 256) return;
        foreach (var (signature, timestamp) in _seen)
        {
            if (Math.Abs(now - timestamp) > Window.TotalSeconds) _seen.TryRemove(signature, out _);
        }
    }

    private static bool TryParse(string header, out byte[] mac)
    {
        mac = [];
        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) return false;
        var hex = header.AsSpan(Prefix.Length).Trim();
        if (hex.Length != 64) return false;
        mac = new byte[32];
        return Convert.FromHexString(hex, mac, out _, out var written) == System.Buffers.OperationStatus.Done && written == 32;
    }

    private static byte[] Mac(string secret, long timestamp, string method, string target, ReadOnlySpan<byte> body)
    {
        var head = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{timestamp}.{method.ToUpperInvariant()}.{target}."));
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(head);
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}
