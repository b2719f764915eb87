namespace PiHub.Server.Auth.Contracts;

/// <summary>The body of <c>POST /auth/login_flow</c>.</summary>
public sealed record LoginFlowRequest
{
    public string? ClientId { get; init; }

    /// <summary><c>[type, id]</c>, e.g. <c>["homeassistant", null]</c>.</summary>
    public string?[]? Handler { get; init; }

    public string? RedirectUri { get; init; }

    /// <summary><c>authorize</c> (the default) or <c>link_user</c>.</summary>
    public string? Type { get; init; }
}
