using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PiHub.Core.Hub;
using PiHub.Core.Power;
using PiHub.Core.Recorder;
using PiHub.Configuration;
using PiHub.Storage.Recorder;
using PiHub.Server.Hosting;

namespace PiHub.Server.History;

/// <summary>
/// The recorder and its store (<c>&lt;data_dir&gt;/history/</c>, never the auth store). A store that
/// cannot be opened at all does not stop the hub: the recorder then keeps recent history in memory
/// and says so in the log and a notification. Flushed when the service stops, and when the power
/// monitor sees the supply failing (a <see cref="StoreFlush"/> beside the auth and hub stores').
/// </summary>
internal static class RecorderWiring
{
    public static IServiceCollection AddPiHubRecorder(this IServiceCollection services, PiHubOptions options)
    {
        services.AddSingleton(sp =>
        {
            var hub = sp.GetRequiredService<HubCore>();
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("PiHub.Recorder");
            if (!options.Recorder.Enabled) return new HistoryRecorder(hub, null, options.Recorder, logger);
            try
            {
                var store = DayLogHistoryStore.Open(options.Storage.DataDir, logger, sp.GetRequiredService<TimeProvider>());
                return new HistoryRecorder(hub, store, options.Recorder, logger);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return new HistoryRecorder(hub, null, options.Recorder, logger,
                    $"{Path.Combine(options.Storage.DataDir, DayLogHistoryStore.FolderName)} could not be opened ({ex.Message})");
            }
        });
        services.AddHostedService<RecorderService>();
        services.AddSingleton(sp => new StoreFlush("history", ct => sp.GetRequiredService<HistoryRecorder>().FlushAsync(ct)));
        return services;
    }

    /// <summary>Starts the recorder with the host and commits what is left when the host stops.</summary>
    private sealed class RecorderService(HistoryRecorder recorder) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            recorder.Start();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => recorder.DisposeAsync().AsTask();
    }
}
