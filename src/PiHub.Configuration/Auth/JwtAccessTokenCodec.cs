using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PiHub.Core.Auth;
using PiHub.Core.Auth.Model;

namespace PiHub.Configuration.Auth;

/// <summary>
/// Home Assistant's access tokens: HS256 JWTs with <c>iss</c> (refresh token id), <c>iat</c> and <c>exp</c>,
/// signed with the refresh token's own key, written and checked by Microsoft.IdentityModel.
/// Only HS256 is accepted: <c>alg: none</c>, other algorithms, other keys and edited tokens fail.
/// </summary>
public sealed class JwtAccessTokenCodec : IAccessTokenCodec
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <inheritdoc/>
    public string Create(RefreshToken refreshToken, DateTimeOffset issuedAt, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(refreshToken);
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = refreshToken.Id,
            IssuedAt = issuedAt.UtcDateTime,
            Expires = expiresAt.UtcDateTime,
            SigningCredentials = new SigningCredentials(Key(refreshToken), SecurityAlgorithms.HmacSha256),
        };
        return _handler.CreateToken(descriptor);
    }

    /// <inheritdoc/>
    public bool TryReadIssuer(string accessToken, [NotNullWhen(true)] out string? issuer)
    {
        issuer = null;
        if (string.IsNullOrEmpty(accessToken) || !_handler.CanReadToken(accessToken)) return false;
        try
        {
            var token = new JsonWebToken(accessToken);
            issuer = string.IsNullOrEmpty(token.Issuer) ? null : token.Issuer;
        }
        catch (ArgumentException)
        {
            // SecurityTokenMalformedException derives from ArgumentException: not a JWT.
            return false;
        }

        return issuer is not null;
    }

    /// <inheritdoc/>
    public bool TryVerify(string accessToken, RefreshToken refreshToken, out DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(refreshToken);
        expiresAt = default;
        if (string.IsNullOrEmpty(accessToken) || !_handler.CanReadToken(accessToken)) return false;
        JsonWebToken jwt;
        byte[] key;
        byte[] signature;
        try
        {
            jwt = new JsonWebToken(accessToken);
            key = Convert.FromBase64String(refreshToken.JwtKey);
            signature = Base64UrlEncoder.DecodeBytes(jwt.EncodedSignature);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            // Not a JWT (SecurityTokenMalformedException is an ArgumentException), or a damaged key or signature.
            return false;
        }

        // Checked here rather than by the handler's ValidateTokenAsync, which would have to be awaited: HS256 only,
        // issued for this refresh token, signed with its key (compared in constant time), with an expiry.
        // The lifetime itself is checked by AuthManager against its TimeProvider.
        if (jwt.IsEncrypted || jwt.Alg != SecurityAlgorithms.HmacSha256 || jwt.Issuer != refreshToken.Id) return false;
        var expected = HMACSHA256.HashData(key, Encoding.ASCII.GetBytes($"{jwt.EncodedHeader}.{jwt.EncodedPayload}"));
        if (!CryptographicOperations.FixedTimeEquals(expected, signature)) return false;
        if (!jwt.TryGetPayloadValue<long>("exp", out var exp)) return false;
        expiresAt = DateTimeOffset.FromUnixTimeSeconds(exp);
        return true;
    }

    private static SymmetricSecurityKey Key(RefreshToken refreshToken) =>
        new(Convert.FromBase64String(refreshToken.JwtKey));
}
