using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PiHub.Core.Auth;
using PiHub.Core.Auth.Model;

namespace PiHub.Testing.Auth;

/// <summary>
/// A small stand-in for the server's JWT codec, for Core tests: <c>iss.iat.exp.signature</c> with an
/// HMAC-SHA256 signature under the refresh token's key. Not a JWT; the server tests cover the real one.
/// </summary>
public sealed class TestAccessTokenCodec : IAccessTokenCodec
{
    /// <summary>How many signatures were checked (to prove the cache skips them).</summary>
    public int VerifyCount { get; private set; }

    /// <inheritdoc/>
    public string Create(RefreshToken refreshToken, DateTimeOffset issuedAt, DateTimeOffset expiresAt)
    {
        var body = string.Create(CultureInfo.InvariantCulture,
            $"{refreshToken.Id}.{issuedAt.ToUnixTimeSeconds()}.{expiresAt.ToUnixTimeSeconds()}");
        return $"{body}.{Sign(body, refreshToken.JwtKey)}";
    }

    /// <inheritdoc/>
    public bool TryReadIssuer(string accessToken, [NotNullWhen(true)] out string? issuer)
    {
        var parts = accessToken.Split('.');
        issuer = parts.Length == 4 ? parts[0] : null;
        return issuer is not null;
    }

    /// <inheritdoc/>
    public bool TryVerify(string accessToken, RefreshToken refreshToken, out DateTimeOffset expiresAt)
    {
        VerifyCount++;
        expiresAt = default;
        var parts = accessToken.Split('.');
        if (parts.Length != 4 || parts[0] != refreshToken.Id) return false;
        var body = string.Join('.', parts[0], parts[1], parts[2]);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(body, refreshToken.JwtKey)),
                Encoding.ASCII.GetBytes(parts[3])))
        {
            return false;
        }

        expiresAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[2], CultureInfo.InvariantCulture));
        return true;
    }

    private static string Sign(string body, string key) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Convert.FromBase64String(key), Encoding.UTF8.GetBytes(body)));
}
