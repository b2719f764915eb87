using System.Security.Cryptography;
using System.Text;

namespace PiHub.Core.Auth.Tokens;

/// <summary>Random ids and secrets, and the SHA-256 form secrets are stored in.</summary>
internal static class Secrets
{
    /// <summary>A 128-bit random id, lowercase hex.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>A 512-bit random secret (refresh tokens), lowercase hex.</summary>
    public static string NewRefreshSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(64));

    /// <summary>A 512-bit HMAC key, base64.</summary>
    public static string NewJwtKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));

    /// <summary>Lowercase hex SHA-256 of the UTF-8 text.</summary>
    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Compares two strings in time that depends only on their lengths.</summary>
    public static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
