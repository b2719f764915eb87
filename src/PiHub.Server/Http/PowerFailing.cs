using Microsoft.AspNetCore.Http;
using PiHub.Core;
using PiHub.Core.Hub;
using PiHub.Core.Power;

namespace PiHub.Server.Http;

/// <summary>
/// A change refused because power is failing, however it reached the endpoint: every store's
/// refusal carries a <see cref="StoreRefusedException"/>, whether it arrives as a hub store's
/// <see cref="HubException"/> or as the auth store's refusal wrapped by the auth manager. Every
/// endpoint answers it the same way: 503 and <c>{"message","code":"power_failing"}</c>.
/// </summary>
internal static class PowerFailing
{
    public static bool Is(Exception ex) => StoreRefusedException.IsPowerFailing(ex);

    /// <summary><c>503 {"message": "power is failing; …", "code": "power_failing"}</c>.</summary>
    public static IResult Result() => ApiResults.Error(StatusCodes.Status503ServiceUnavailable, ApiErrorCodes.PowerFailing, WriteGate.Message);
}
