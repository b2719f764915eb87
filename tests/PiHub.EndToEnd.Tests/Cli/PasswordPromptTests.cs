using System.Diagnostics;
using PiHub.Testing;

namespace PiHub.EndToEnd.Tests.Cli;

/// <summary>
/// The password prompt as a person meets it: an interactive bash in a tmux pseudo-terminal types
/// `pihub-cli users passwd owner` and the password twice. The password must never be on the screen nor in the
/// shell's history, and must work afterwards.
/// </summary>
public sealed class PasswordPromptTests
{
    private const string Secret = "Tr0ub4dor-and-3";

    [Test]
    public async Task UsersPasswd_TypedAtThePrompt_NeverOnScreenNorInHistory()
    {
        if (!File.Exists("/usr/bin/tmux")) Assert.Ignore("tmux is not installed: run scripts/test.sh, which installs it.");
        var cli = CliProcess.Binary();
        var hub = await PiHubProcess.StartAsync(CliProcess.Server(), []);
        using (var api = new HubApi(hub.BaseUri)) await api.OnboardAsync();
        var history = Path.Combine(hub.DataDir, "..", $"history-{Guid.NewGuid():N}");
        var server = $"pihub-test-{Guid.NewGuid():N}";
        try
        {
            await TmuxAsync(server, "new-session", "-d", "-x", "200", "-y", "50",
                $"env -i HOME=/tmp TERM=xterm HISTFILE={history} PIHUB__STORAGE__DATA_DIR={hub.DataDir} PATH={Path.GetDirectoryName(cli)}:/usr/bin:/bin bash --norc -i");
            await TmuxAsync(server, "send-keys", "set -o history; pihub-cli users passwd owner", "Enter");
            await WaitForScreenAsync(server, "New password for owner:");
            await TmuxAsync(server, "send-keys", "-l", Secret);
            await TmuxAsync(server, "send-keys", "Enter");
            await WaitForScreenAsync(server, "Type it again:");
            await TmuxAsync(server, "send-keys", "-l", Secret);
            await TmuxAsync(server, "send-keys", "Enter");
            var screen = await WaitForScreenAsync(server, "Password of owner changed");
            await TmuxAsync(server, "send-keys", "history -w; echo saved-history", "Enter");
            screen = await WaitForScreenAsync(server, "saved-history");

            Assert.That(screen, Does.Not.Contain(Secret), "the password was echoed");
            Assert.That(File.ReadAllText(history), Does.Contain("pihub-cli users passwd owner").And.Not.Contain(Secret));
            using var api = new HubApi(hub.BaseUri);
            Assert.That((await api.LoginAsync("owner", Secret))["access_token"], Is.Not.Null);
        }
        finally
        {
            await TmuxAsync(server, "kill-server");
            await hub.DisposeAsync();
            File.Delete(history);
        }
    }

    private static async Task<string> WaitForScreenAsync(string server, string text)
    {
        var screen = "";
        for (var i = 0; i < 200; i++)
        {
            screen = await TmuxAsync(server, "capture-pane", "-p", "-S", "-100");
            if (screen.Contains(text, StringComparison.Ordinal)) return screen;
            await Task.Delay(100);
        }

        Assert.Fail($"\"{text}\" never appeared on the terminal:\n{screen}");
        return screen;
    }

    private static async Task<string> TmuxAsync(string server, params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/tmux") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-L");
        start.ArgumentList.Add(server);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }
}
