namespace PiHub.Core.Auth.Flows;

/// <summary>The kinds of answer a login-flow step gives.</summary>
public enum LoginStepKind
{
    /// <summary>Show a form (first step, next step, or the same step again with errors).</summary>
    Form,

    /// <summary>The caller proved who they are; <see cref="LoginFlowManager"/> issues an auth code (after the MFA step, if any).</summary>
    Authenticated,

    /// <summary>The flow ends without a login.</summary>
    Abort,
}
