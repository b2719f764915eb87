using System.Text.Json.Serialization;

namespace PiHub.Server.Auth.Contracts;

/// <summary>One entry of <c>GET /api/onboarding</c>: <c>{"step","done"}</c>.</summary>
/// <param name="Step">Home Assistant's step name: <c>user</c>, <c>core_config</c>, <c>analytics</c>, <c>integration</c>.</param>
/// <param name="Done">True once the step is complete.</param>
/// <param name="RecoveryCodeRequired">
/// PiHub's addition, on the <c>user</c> step only: true while onboarding is in recovery mode, so a page asks for the
/// one-time recovery code before anyone types a password. Absent on the other steps; Home Assistant clients ignore it.
/// </param>
public sealed record OnboardingStepStatus(
    string Step,
    bool Done,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? RecoveryCodeRequired = null);
