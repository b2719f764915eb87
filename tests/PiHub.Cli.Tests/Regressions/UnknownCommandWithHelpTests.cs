namespace PiHub.Cli.Tests.Regressions;

/// <summary>
/// Issue 23: `pihub-cli usrs --help` printed the root help and exited 0, so a typo in a script or a recovery recipe
/// looked like success. An unknown command is a usage error (exit 2) with or without --help, naming the closest one.
/// </summary>
public sealed class UnknownCommandWithHelpTests
{
    [TestCase("usrs --help", "users")]
    [TestCase("usrs", "users")]
    [TestCase("users lisst --help", "users list")]
    [TestCase("db snapshot --help", "db snapshots")]
    public async Task Run_UnknownCommand_ExitsUsageNamingTheClosest(string args, string closest)
    {
        var (exit, output, error) = await RunAsync(args);

        Assert.That(exit, Is.EqualTo(ExitCodes.Usage), output);
        Assert.That(error, Does.Contain($"Did you mean `pihub-cli {closest}`?"));
        Assert.That(output, Does.Not.Contain("Usage:"), "no help on stdout for a command that does not exist");
    }

    [Test]
    public async Task Run_UnknownWordFarFromEveryCommand_UsageWithoutAGuess()
    {
        var (exit, _, error) = await RunAsync("xyzzyplugh --help");

        Assert.That(exit, Is.EqualTo(ExitCodes.Usage));
        Assert.That(error, Does.Contain("xyzzyplugh").And.Not.Contain("Did you mean"));
    }

    [TestCase("users --help")]
    [TestCase("users passwd --help")]
    [TestCase("--help")]
    public async Task Run_KnownCommandWithHelp_StillHelpAndExitZero(string args)
    {
        var (exit, output, _) = await RunAsync(args);

        Assert.That(exit, Is.EqualTo(ExitCodes.Ok));
        Assert.That(output, Does.Contain("Usage:"));
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliApp.RunAsync(args.Split(' '), new CliConsole(output, error, new StringReader(""), false, _ => null));
        return (exit, output.ToString(), error.ToString());
    }
}
