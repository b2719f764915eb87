using PiHub.Core.Admin;

namespace PiHub.Cli.Hosting;

/// <summary>A failure pihub-cli reports: one sentence saying what to do next, a stable code and an exit code.</summary>
internal sealed class CliFailure(int exitCode, string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;

    public string Code { get; } = code;

    public AdminError ToError() => new(Code, Message, ExitCode);

    public static CliFailure From(AdminException ex) => new((int)ex.Failure, ex.Code, ex.Message, ex);

    public static CliFailure NotPermitted(string message, Exception? inner = null) =>
        new(ExitCodes.NotPermitted, AdminException.NotPermittedCode, message, inner);

    public static CliFailure Unavailable(string message, Exception? inner = null) =>
        new(ExitCodes.Unavailable, AdminException.StoreUnavailableCode, message, inner);

    public static CliFailure Usage(string message) => new(ExitCodes.Usage, AdminException.InvalidRequestCode, message);
}
