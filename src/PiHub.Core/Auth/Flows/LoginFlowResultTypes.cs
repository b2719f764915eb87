namespace PiHub.Core.Auth.Flows;

/// <summary>Home Assistant's data-entry-flow result types.</summary>
public static class LoginFlowResultTypes
{
    /// <summary>Fill in a form (first step, next step, or again with errors).</summary>
    public const string Form = "form";

    /// <summary>Logged in: <see cref="LoginFlowResult.Result"/> is the auth code.</summary>
    public const string CreateEntry = "create_entry";

    /// <summary>The flow ended without a login; <see cref="LoginFlowResult.Reason"/> says why.</summary>
    public const string Abort = "abort";
}
