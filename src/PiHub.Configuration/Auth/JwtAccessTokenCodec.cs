using System.Diagnostics.CodeAnalysis;
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
    private static readonly string[] s_algorithms = [SecurityAlgorithms.HmacSha256];
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
        expiresAt = default;
        SymmetricSecurityKey key;
        try
        {
            key = Key(refreshToken);
        }
        catch (FormatException)
        {
            return false;
        }

        var parameters = new TokenValidationParameters
        {
            IssuerSigningKey = key,
            ValidIssuer = refreshToken.Id,
            ValidateIssuer = true,
            ValidateAudience = false,
            ValidateLifetime = false, // checked by AuthManager against its TimeProvider
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidAlgorithms = s_algorithms,
            ValidateIssuerSigningKey = false,
        };

        // Validation is synchronous when no configuration manager is set, so this does not block.
        var result = _handler.ValidateTokenAsync(accessToken, parameters).GetAwaiter().GetResult();
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt) return false;
        if (jwt.Alg != SecurityAlgorithms.HmacSha256 || !jwt.TryGetPayloadValue<long>("exp", out var exp)) return false;
        expiresAt = DateTimeOffset.FromUnixTimeSeconds(exp);
        return true;
    }

    private static SymmetricSecurityKey Key(RefreshToken refreshToken) =>
        new(Convert.FromBase64String(refreshToken.JwtKey));
}
