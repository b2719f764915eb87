using System.Text.Json;
using PiHub.Core.Auth;
using PiHub.Core.Auth.Mfa;
using PiHub.Core.Hub;
using PiHub.Server.Auth;

namespace PiHub.Server.WebSockets.Commands;

/// <summary>
/// TOTP with Home Assistant's command names (<c>auth/setup_mfa</c>, <c>auth/depose_mfa</c>) plus
/// <c>pihub/mfa/recovery_codes</c> and the admin's <c>pihub/mfa/reset</c>. The set-up is HA's data-entry
/// flow: a form with the secret, URI and QR code, then <c>create_entry</c> with the recovery codes.
/// </summary>
internal static class MfaCommands
{
    /// <summary>The id of the TOTP module, as clients name it in <c>mfa_module_id</c>.</summary>
    public const string TotpModuleId = "totp";

    /// <summary>The TOTP module's name as the UI shows it.</summary>
    public const string TotpModuleName = "Authenticator app";

    public static void Register(WsCommandTable table) => table
        .Add("auth/setup_mfa", WsAccess.Read, SetupMfaAsync, credentials: true)
        .Add("auth/depose_mfa", WsAccess.Read, DeposeMfaAsync, credentials: true)
        .Add("pihub/mfa/recovery_codes", WsAccess.Read, RegenerateRecoveryCodesAsync, credentials: true)
        .Add("pihub/mfa/reset", WsAccess.Admin, ResetMfaAsync, credentials: true);

    private static async ValueTask SetupMfaAsync(WsConnection c, int id, JsonElement message, CancellationToken cancellationToken)
    {
        var userId = c.Principal!.User.Id;
        var flowId = message.OptionalString("flow_id");
        var auth = c.Auth();
        if (flowId is null)
        {
            RequireTotpModule(message);
            var setup = await auth.Totp.BeginSetupAsync(userId, cancellationToken).ConfigureAwait(false);
            c.PostResult(id, SetupForm(setup, error: null), MfaResultsJsonContext.Default.MfaSetupForm);
            return;
        }

        var code = UserInputCode(message);
        try
        {
            var codes = await auth.Totp.ConfirmSetupAsync(userId, code, flowId, cancellationToken).ConfigureAwait(false);
            c.PostResult(id, new MfaSetupDone(flowId, TotpModuleId, TotpModuleName, null, new RecoveryCodes(codes)),
                MfaResultsJsonContext.Default.MfaSetupDone);
        }
        catch (AuthException ex) when (ex.Code == AuthErrorCodes.InvalidCode && auth.Totp.TryGetSetup(userId, out var setup))
        {
            c.PostResult(id, SetupForm(setup, AuthErrorCodes.InvalidCode), MfaResultsJsonContext.Default.MfaSetupForm);
        }
        catch (AuthException ex) when (ex.Code == AuthErrorCodes.TooManyRetry)
        {
            c.PostResult(id, new MfaSetupAbort(flowId, TotpModuleId, AuthErrorCodes.TooManyRetry, null, ex.Message),
                MfaResultsJsonContext.Default.MfaSetupAbort);
        }
    }

    private static async ValueTask DeposeMfaAsync(WsConnection c, int id, JsonElement message, CancellationToken cancellationToken)
    {
        RequireTotpModule(message);
        var password = message.RequireString("password");
        var code = message.RequireString("code");
        using var turn = await c.TakePasswordTurnAsync(id, cancellationToken).ConfigureAwait(false);
        if (turn is null) return;
        await c.Auth().Totp.DisableAsync(c.Principal!.User.Id, password, code, c.Client, cancellationToken).ConfigureAwait(false);
        c.PostResult(id, "done", MfaResultsJsonContext.Default.String);
    }

    private static async ValueTask RegenerateRecoveryCodesAsync(WsConnection c, int id, JsonElement message, CancellationToken cancellationToken)
    {
        var password = message.RequireString("password");
        var code = message.RequireString("code");
        using var turn = await c.TakePasswordTurnAsync(id, cancellationToken).ConfigureAwait(false);
        if (turn is null) return;
        var codes = await c.Auth().Totp.RegenerateRecoveryCodesAsync(c.Principal!.User.Id, password, code, c.Client, cancellationToken).ConfigureAwait(false);
        c.PostResult(id, new RecoveryCodes(codes), MfaResultsJsonContext.Default.RecoveryCodes);
    }

    private static async ValueTask ResetMfaAsync(WsConnection c, int id, JsonElement message, CancellationToken cancellationToken)
    {
        var userId = message.RequireString("user_id");
        var removed = await c.Auth().ResetMfaAsync(c.Principal!.User.Id, userId, cancellationToken).ConfigureAwait(false);
        c.PostResult(id, new MfaResetResult(removed), MfaResultsJsonContext.Default.MfaResetResult);
    }

    private static void RequireTotpModule(JsonElement message)
    {
        var module = message.RequireString("mfa_module_id");
        if (module != TotpModuleId)
        {
            throw new HubException(HubErrorCodes.NotFound, $"No MFA module \"{module}\": this hub offers \"{TotpModuleId}\" (an authenticator app).");
        }
    }

    private static string UserInputCode(JsonElement message) =>
        message.TryGetProperty("user_input", out var input) && input.ValueKind == JsonValueKind.Object
            ? input.RequireString("code")
            : throw WsFields.Invalid("Field \"user_input\" is required when \"flow_id\" is given, e.g. {\"code\":\"123456\"}.");

    private static MfaSetupForm SetupForm(TotpSetup setup, string? error) => new(
        setup.FlowId,
        TotpModuleId,
        "init",
        [new SchemaField("code", "string")],
        new TotpPlaceholders(setup.Secret, setup.Uri, TotpQrCode.Svg(setup.Uri)),
        error is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["base"] = error },
        null);
}
